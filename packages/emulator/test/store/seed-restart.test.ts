import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { startBin } from '../support/bin-process.js';

const dir = mkdtempSync(join(tmpdir(), 'emulator-seed-restart-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function usersIn(file: string): number {
  const db = openDatabase(file);
  try {
    return db.prepare('SELECT COUNT(*) FROM users').pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('umapi-emulator --seed-users on an existing --db', () => {
  it('seeds once: restarting on the same database does not add the users again (109, not 209, 309)', async () => {
    const file = join(dir, 'org.sqlite');
    const counts: number[] = [];
    for (let start = 0; start < 3; start += 1) {
      const bin = await startBin(['--db', file, '--seed-users', '100', '--port', '0']);
      expect(await bin.stop()).toBe(0);
      counts.push(usersIn(file));
    }
    expect(counts).toEqual([109, 109, 109]);
  }, 30_000);
});
