import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, field, startBin } from '../support/bin-process.js';
const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-modes-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Runs the bin under `umask` until it is ready, hands its output to `check`, then stops it. */
async function whileRunning(umask: string, args: string[], check: (output: string) => void): Promise<void> {
  const bin = await startBin(['--port', '0', ...args], { umask });
  let exitCode: number | null;
  try {
    check(bin.output);
  } finally {
    exitCode = await bin.stop();
  }
  expect(exitCode).toBe(0);
}

describe('files the emulator writes are owner-only', () => {
  it.each(['022', '000'])(
    'under umask %s: the database, its -wal and -shm, the key and a rewritten config are 0600',
    async (umask) => {
      const db = join(mkdtempSync(join(dir, `db-${umask}-`)), 'org.sqlite');
      const config = join(dirname(db), 'usermanagement.config');
      writeFileSync(config, 'left from an earlier run\n');
      chmodSync(config, 0o644);
      await whileRunning(umask, ['--db', db, '--seed-users', '5'], (output) => {
        expect(field(output, 'Config file')).toBe(config);
        for (const file of [db, `${db}-wal`, `${db}-shm`, field(output, 'Private key'), config]) {
          expect([file, modeOf(file)]).toEqual([file, '600']);
        }
      });
      expect(modeOf(db)).toBe('600');
    },
  );

  it('under umask 000: the temporary folder for the client files is 0700', async () => {
    await whileRunning('000', [], (output) => {
      const keyPath = field(output, 'Private key');
      expect(modeOf(dirname(keyPath))).toBe('700');
      expect(modeOf(keyPath)).toBe('600');
      expect(modeOf(field(output, 'Config file'))).toBe('600');
    });
  });

  it('refuses a symbolic link planted at usermanagement.config, writes nothing through it, and exits', () => {
    const folder = mkdtempSync(join(dir, 'planted-'));
    const victim = join(folder, 'victim.txt');
    writeFileSync(victim, "not the emulator's\n");
    const config = join(folder, 'usermanagement.config');
    symlinkSync(victim, config);
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', BIN, '--port', '0', '--db', join(folder, 'org.sqlite')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toContain(`${config} is a symbolic link: refusing to write secrets through it`);
    expect(result.status).toBe(1);
    expect(readFileSync(victim, 'utf8')).toBe("not the emulator's\n");
  });
});
