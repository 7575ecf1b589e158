import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { executeActions } from '../../src/engine/execute-actions.js';
import { openDatabase } from '../../src/store/database.js';
import { createIntegration, findIntegration } from '../../src/store/integrations.js';
import { orgExists } from '../../src/store/orgs.js';
import { seedDemo, seedUsers } from '../../src/store/seed-demo.js';
import { snapshotOrg } from '../../src/store/snapshot.js';
import { findToken, saveToken } from '../../src/store/tokens.js';
import { activeUsers } from '../../src/store/user-queries.js';

const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const requests = [
  [
    {
      user: 'z1@example.com',
      do: [
        { createEnterpriseID: { email: 'z1@example.com', firstname: 'Z', lastname: 'One' } },
        { add: { group: ['Marketing'] } },
      ],
    },
  ],
  [
    {
      usergroup: 'Zeta',
      do: [
        { createUserGroup: { description: 'z' } },
        { add: { user: ['z1@example.com'], productConfiguration: ['Document Cloud 1'] } },
      ],
    },
  ],
  [{ user: 'cleo.dev@example.com', do: [{ removeFromOrg: {} }] }],
];

describe('database', () => {
  it('a file database re-opened after close keeps everything, and migrations run once', () => {
    const file = join(dir, 'reopen.db');
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    const demo = seedDemo(db);
    for (const body of requests) executeActions(db, demo.orgId, JSON.stringify(body), { testOnly: false });
    saveToken(db, { accessToken: 'tok-1', clientId: demo.clientId, orgId: demo.orgId, expiresAt: 1234 });
    const before = snapshotOrg(db, demo.orgId);
    db.close();
    const again = openDatabase(file);
    expect(again.pragma('user_version', { simple: true })).toBe(3);
    expect(snapshotOrg(again, demo.orgId)).toEqual(before);
    expect(findToken(again, 'tok-1')).toEqual({
      clientId: demo.clientId,
      orgId: demo.orgId,
      expiresAt: 1234,
    });
    expect(seedDemo(again)).toEqual(demo);
    again.close();
  });

  it('takes group and other access away from an existing database file it opens', () => {
    const file = join(dir, 'shared.db');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    const db = openDatabase(file);
    seedDemo(db);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    db.close();
  });

  it('leaves the target of a symbolic link planted at the -wal name alone (its mode and its bytes)', () => {
    const file = join(dir, 'planted.db');
    const target = join(dir, 'someone-elses-file');
    writeFileSync(target, 'theirs');
    chmodSync(target, 0o644);
    symlinkSync(target, `${file}-wal`);
    const db = openDatabase(file);
    seedDemo(db);
    db.close();
    expect(statSync(target).mode & 0o777).toBe(0o644);
    expect(readFileSync(target, 'utf8')).toBe('theirs');
  });

  it('snapshots are deterministic: equal histories give equal snapshots', () => {
    const run = (): ReturnType<typeof snapshotOrg> => {
      const db = openDatabase(':memory:');
      const demo = seedDemo(db);
      seedUsers(db, demo.orgId, 50, { seed: 9 });
      for (const body of requests) executeActions(db, demo.orgId, JSON.stringify(body), { testOnly: false });
      return snapshotOrg(db, demo.orgId);
    };
    const first = run();
    expect(run()).toEqual(first);
    expect(first.users.map((u) => u.email)).toEqual([...first.users.map((u) => u.email)].sort());
    expect(first.groups.find((g) => g.name === 'Zeta')).toEqual({
      name: 'Zeta',
      type: 'USER_GROUP',
      description: 'z',
      users: ['z1@example.com'],
      profiles: ['Document Cloud 1'],
    });
    expect(first.users.some((u) => u.email === 'cleo.dev@example.com')).toBe(false);
  });
});

describe('demo seed', () => {
  it('creates the documented org with a usable key pair and integration', () => {
    const db = openDatabase(':memory:');
    const demo = seedDemo(db);
    expect(demo.orgId).toMatch(/^[0-9A-F]{24}@AdobeOrg$/);
    expect(orgExists(db, demo.orgId)).toBe(true);
    expect(orgExists(db, 'nope@AdobeOrg')).toBe(false);
    expect(createPrivateKey(demo.privateKeyPem).asymmetricKeyType).toBe('rsa');
    expect(demo.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(createPublicKey(demo.publicKeyPem).export({ format: 'pem', type: 'spki' })).toBe(
      demo.publicKeyPem,
    );
    expect(findIntegration(db, demo.clientId)).toEqual({
      clientId: demo.clientId,
      clientSecret: demo.clientSecret,
      orgId: demo.orgId,
      technicalAccountId: demo.technicalAccountId,
      publicKeyPem: demo.publicKeyPem,
    });
    const snapshot = snapshotOrg(db, demo.orgId);
    const names = snapshot.groups.map((g) => g.name);
    for (const name of [
      'Designers',
      'Developers',
      'Marketing',
      'TestGroup1',
      'Shared From Partner',
      'Creative Cloud 1',
      'Document Cloud 1',
      'Default Photoshop - 100Gb',
    ]) {
      expect(names).toContain(name);
    }
    expect(new Set(snapshot.users.map((u) => u.type))).toEqual(
      new Set(['adobeID', 'enterpriseID', 'federatedID']),
    );
    createIntegration(db, {
      clientId: 'c2',
      clientSecret: 's2',
      orgId: demo.orgId,
      technicalAccountId: 't2',
      publicKeyPem: 'pem',
    });
    expect(findIntegration(db, 'c2')?.technicalAccountId).toBe('t2');
    expect(findIntegration(db, 'missing')).toBeUndefined();
    expect(findToken(db, 'missing')).toBeUndefined();
  });

  // How fast it is, is measured by bench/emulator.bench.ts.
  it('seedUsers adds users, each in one group or profile', () => {
    const db = openDatabase(':memory:');
    const demo = seedDemo(db);
    seedUsers(db, demo.orgId, 2_000, { seed: 1 });
    expect(activeUsers(db, demo.orgId, undefined).total).toBe(9 + 2_000);
    const generated = snapshotOrg(db, demo.orgId).users.filter((u) => /^user\d+@/.test(u.email));
    expect(generated).toHaveLength(2_000);
    expect(generated.every((u) => u.groups.length === 1)).toBe(true);
    expect(() => {
      seedUsers(db, demo.orgId, -1);
    }).toThrow(/count must be a non-negative integer/);
  });
});
