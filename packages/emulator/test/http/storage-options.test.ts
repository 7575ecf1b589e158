import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator } from '../../src/index.js';
import { openDatabase } from '../../src/store/database.js';
import { seedDemo, seedUsers } from '../../src/store/seed-demo.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

describe('database and seeding options', () => {
  it('keeps state in a file database, and reset wipes it and seeds again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-db-'));
    const file = join(dir, 'org.sqlite');
    const emulator = await startEmulator({ db: file, listen: false, limits: 'off' });
    try {
      const demo = requireDemo(emulator);
      expect(existsSync(file)).toBe(true);
      const token = await demoToken(emulator);
      const before = emulator.snapshot().users.length;
      const response = await emulator.fetch(`${emulator.umapiUrl}/action/${demo.orgId}`, {
        method: 'POST',
        headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
        body: JSON.stringify([{ user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: {} }] }]),
      });
      expect(await response.json()).toMatchObject({ completed: 1 });
      expect(emulator.snapshot().users.length).toBe(before - 1);
      emulator.reset();
      expect(emulator.snapshot().users.length).toBe(before);
      // Tokens lived in the wiped database: the old one no longer works, a new one does.
      const old = await emulator.fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
        headers: umapiHeaders(token, demo.clientId),
      });
      expect(old.status).toBe(401);
      expect(await demoToken(emulator)).toMatch(/^ey/);
    } finally {
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('seeds once per database: restarts on the same file add neither the demo org nor the users again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-db-'));
    const file = join(dir, 'org.sqlite');
    const start = (seedUsers: number): Promise<Emulator> =>
      startEmulator({ db: file, listen: false, limits: 'off', seedUsers });
    try {
      const first = await start(100);
      const demo = requireDemo(first);
      expect(first.snapshot().users).toHaveLength(109);
      const token = await demoToken(first);
      await first.fetch(`${first.umapiUrl}/action/${demo.orgId}`, {
        method: 'POST',
        headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
        body: JSON.stringify([{ user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: {} }] }]),
      });
      await first.close();
      for (const seedUsers of [100, 250]) {
        const again = await start(seedUsers);
        try {
          expect(again.demo).toEqual(demo);
          // The removed demo user stays removed, and no generated user is added again.
          expect(again.snapshot().users).toHaveLength(108);
        } finally {
          await again.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('knows the seeds of a database made before seeding was recorded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-db-'));
    const file = join(dir, 'old.sqlite');
    try {
      const db = openDatabase(file);
      seedUsers(db, seedDemo(db).orgId, 30);
      // What schema version 1 left: no record of the seeds (and none of the later version 3 either).
      db.exec('DROP TABLE seed_runs');
      db.exec('DROP TABLE departed_accounts');
      for (const [table, column] of [
        ['directories', 'managed_by'],
        ['groups', 'contract_name'],
        ['groups', 'is_phantom'],
      ] as const) {
        db.exec(`ALTER TABLE ${table} DROP COLUMN ${column}`);
      }
      db.pragma('user_version = 1');
      db.close();
      const emulator = await startEmulator({ db: file, listen: false, seedUsers: 30 });
      try {
        expect(emulator.snapshot().users).toHaveLength(39);
      } finally {
        await emulator.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds generated users and pages them at the configured page size', async () => {
    const emulator = await startEmulator({ listen: false, seedUsers: 25, pageSizeUsers: 10, limits: 'off' });
    try {
      const demo = requireDemo(emulator);
      const token = await demoToken(emulator);
      const page = await emulator.fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
        headers: umapiHeaders(token, demo.clientId),
      });
      const body = (await page.json()) as { users: unknown[]; lastPage: boolean };
      expect(body.users).toHaveLength(10);
      expect(body.lastPage).toBe(false);
      expect(Number(page.headers.get('x-total-count'))).toBeGreaterThanOrEqual(25);
    } finally {
      await emulator.close();
    }
  });

  it('starts empty with seed: none', async () => {
    const emulator = await startEmulator({ listen: false, seed: 'none' });
    try {
      expect(emulator.demo).toBeUndefined();
      expect(() => emulator.snapshot()).toThrow(/orgId is required/);
    } finally {
      await emulator.close();
    }
  });

  it('rejects bad numeric options with the option name', async () => {
    await expect(startEmulator({ listen: false, timeScale: 0 })).rejects.toThrow(/timeScale/);
    await expect(
      startEmulator({ listen: false, limits: { action: { perClient: -1, global: 1 } } }),
    ).rejects.toThrow(/limits\.action\.perClient/);
  });
});

describe('listening', () => {
  it('fails clearly when the port is taken', async () => {
    const first = await startEmulator({ seed: 'none' });
    try {
      const port = Number(new URL(first.imsUrl).port);
      await expect(startEmulator({ seed: 'none', port })).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${port}`,
      );
    } finally {
      await first.close();
    }
  });
});
