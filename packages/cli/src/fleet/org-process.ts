import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ExitCode } from '../cli/exit-codes.js';
import { RUN_RECORD_VARIABLE, type RunObservation, type RunRecord } from '../metrics/run-observation.js';
import type { TextSink } from '../output/text-sink.js';

/**
 * The `umapi` entry point this module belongs to (`dist/bin.js`). Run from its sources (tests), the built one
 * beside them: a child process runs JavaScript, not TypeScript.
 */
function umapiBin(): string {
  const here = fileURLToPath(new URL('../bin.js', import.meta.url));
  if (existsSync(here)) return here;
  return here.replace(/([\\/])src([\\/])bin\.js$/, '$1dist$2bin.js');
}

/**
 * Runs one org's `umapi sync run` as a child process: its stderr goes to `stderr` line by line, its figures come
 * back through a record file (`UMAPI_FLEET_RUN_RECORD`), and an interrupt of the fleet is passed on (SIGINT: the
 * child finishes or abandons its request in flight and says how to resume). Returns its exit code; a child
 * killed by a signal is a failure.
 */
export async function runOrgProcess(
  argv: readonly string[],
  options: {
    cwd: string;
    env: Record<string, string | undefined>;
    stderr: TextSink;
    observation: RunObservation;
    signal?: AbortSignal | undefined;
  },
): Promise<number> {
  const folder = await mkdtemp(join(tmpdir(), 'umapi-fleet-org-'));
  const recordFile = join(folder, 'run.json');
  try {
    const child = spawn(process.execPath, [umapiBin(), ...argv], {
      cwd: options.cwd,
      env: { ...options.env, [RUN_RECORD_VARIABLE]: recordFile },
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: a Ctrl-C on the terminal reaches the fleet, which passes on exactly one.
      detached: true,
    });
    const interrupt = (): void => {
      child.kill('SIGINT');
    };
    options.signal?.addEventListener('abort', interrupt, { once: true });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      options.stderr.write(chunk);
    });
    const { code, signal } = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
      (resolve, reject) => {
        child.once('error', reject);
        child.once('close', (exitCode, exitSignal) => {
          resolve({ code: exitCode, signal: exitSignal });
        });
      },
    );
    options.signal?.removeEventListener('abort', interrupt);
    try {
      options.observation.absorb(JSON.parse(await readFile(recordFile, 'utf8')) as RunRecord);
    } catch {
      // No record: the process died before its end (killed, out of memory); its exit says so below.
    }
    if (code === null) {
      options.observation.failure ??= `the org's umapi process was killed (${signal ?? 'signal'})`;
      return ExitCode.failure;
    }
    return code;
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
