import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { access } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** Runs the built `umapi` binary as a child process, the way an admin's shell does. */
export const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
export const cliBin = join(repoRoot, 'packages/cli/dist/bin.js');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
}

/** Builds the CLI when `npm test` did not (e.g. a single test file run with vitest directly). */
export async function ensureCliBuilt(): Promise<void> {
  try {
    await access(cliBin);
  } catch {
    await promisify(execFile)(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-b', 'packages/cli'],
      { cwd: repoRoot },
    );
  }
}

export interface StartedBinary {
  child: ChildProcess;
  /** Settles when the process has exited and its output is closed. */
  finished: Promise<RunResult>;
}

export function startBinary(args: string[], options: RunOptions): StartedBinary {
  const child = spawn(process.execPath, [cliBin, ...args], {
    cwd: options.cwd,
    // Only what the test gives: no UMAPI_* or profiles from the machine running the tests.
    // The org locks go to the test's folder, never the machine's (/run/lock/umapi-kit).
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: options.cwd,
      NO_COLOR: '1',
      UMAPI_LOCK_DIR: join(options.cwd, '.umapi-locks'),
      // Tests plan the same org many times a minute: the page-0 guard is off unless a test turns it on.
      UMAPI_FULL_READ_INTERVAL: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { child, finished: outputOf(child) };
}

/** Collects a piped child's stdout and stderr; settles when it has exited and its output is closed. */
export function outputOf(child: ChildProcess): Promise<RunResult> {
  return new Promise<RunResult>((done, fail) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      done({ code, signal, stdout, stderr });
    });
  });
}

export function runBinary(args: string[], options: RunOptions): Promise<RunResult> {
  return startBinary(args, options).finished;
}
