import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../dist/bin.js');
let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'emulator-files-'));
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

/** Starts the emulator's binary in `cwd`, waits for "Ready", stops it with Ctrl-C; returns what it printed. */
function startAndStop(args: string[]): Promise<string> {
  const child = spawn(process.execPath, [bin, '--port', '0', '--host', '127.0.0.1', ...args], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((done, fail) => {
    const collect = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready.')) child.kill('SIGINT');
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', fail);
    child.on('close', () => {
      done(output);
    });
  });
}

const printedPath = (output: string, label: string): string =>
  new RegExp(`${label}:\\s+(\\S+)`).exec(output)?.[1] ?? '';

describe('where the emulator writes its key and usermanagement.config', () => {
  it('without --db: in a folder of its own under the temp folder, removed when it stops; nothing in the working folder', async () => {
    const output = await startAndStop([]);
    const key = printedPath(output, 'Private key \\(JWT\\)');
    expect(key.startsWith(join(tmpdir(), 'umapi-emulator-'))).toBe(true);
    expect(printedPath(output, 'Config file')).toBe(join(key, '..', 'usermanagement.config'));
    expect(await readdir(cwd)).toEqual([]);
    expect(existsSync(key)).toBe(false);
  });

  it('with --db: next to the database, which is where the admin asked for files', async () => {
    await mkdir(join(cwd, 'emu'));
    const output = await startAndStop(['--db', 'emu/org.sqlite']);
    expect(printedPath(output, 'Private key \\(JWT\\)')).toBe(join(cwd, 'emu', 'umapi-emulator-private.key'));
    expect((await readdir(join(cwd, 'emu'))).sort()).toEqual(
      expect.arrayContaining(['org.sqlite', 'umapi-emulator-private.key', 'usermanagement.config']),
    );
    expect((await readdir(cwd)).sort()).toEqual(['emu']);
  });
});
