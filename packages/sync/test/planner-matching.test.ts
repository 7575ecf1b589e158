import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import {
  defaultRules,
  Planner,
  SqliteStateStore,
  type AccountBinding,
  type AdobeUser,
  type DirectoryUser,
} from '../src/index.js';

/** Cases the random sync properties found (packages/sync/test/properties), kept as plain examples. */

const dir = mkdtempSync(join(tmpdir(), 'planner-matching-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const rules = defaultRules({ updateUserInfo: true, adobeOnlyUserAction: 'preserve' });

function planOf(
  directory: DirectoryUser[],
  adobe: AdobeUser[],
  anchors?: Map<string, AccountBinding>,
): Planner {
  const planner = new Planner(directory, rules, anchors === undefined ? {} : { anchors });
  for (const user of adobe) planner.addAdobeUser(user);
  planner.finish();
  return planner;
}

describe('matching an SSO username that is not the email', () => {
  // The person signs in as sso2@fed.example.com and wants the address p6, which another account still has.
  const directory: DirectoryUser[] = [
    { email: 'p6@fed.example.com', username: 'sso2@fed.example.com', type: 'federatedID', groups: [] },
  ];
  const mine: AdobeUser = {
    email: 'p2@fed.example.com',
    username: 'sso2@fed.example.com',
    domain: 'fed.example.com',
    type: 'federatedID',
  };
  const other: AdobeUser = {
    email: 'p6@fed.example.com',
    username: 'p6@fed.example.com',
    domain: 'fed.example.com',
    type: 'federatedID',
  };

  for (const [order, adobe] of [
    ['username match listed first', [mine, other]],
    ['email match listed first', [other, mine]],
  ] as const) {
    it(`takes the account with that username, not the one with that email (${order})`, () => {
      const result = planOf(directory, [...adobe]).finish();
      expect(result.stats.matched).toBe(1);
      expect(result.adobeOnlyUsers.map((u) => u.email)).toEqual(['p6@fed.example.com']);
      // The address is kept by the other account: the move is a problem, not an update of the wrong person.
      expect(result.entries).toEqual([]);
      expect(result.problems).toEqual([
        {
          email: 'p6@fed.example.com',
          message: 'cannot move p2@fed.example.com to this email: another Adobe account keeps it',
        },
      ]);
    });
  }

  it('still finds an email-type account by its email when no account has the username yet', () => {
    const result = planOf(directory, [other]).finish();
    expect(result.stats.matched).toBe(1);
    expect(result.adobeOnlyUsers).toEqual([]);
  });
});

describe('an anchor whose account left the org', () => {
  const person: DirectoryUser = {
    id: 'id-1',
    email: 'p4@fed.example.com',
    firstname: 'Ann',
    lastname: 'L',
    country: 'US',
    type: 'federatedID',
    groups: [],
  };
  const gone: AccountBinding = { type: 'federatedID', email: 'p5@fed.example.com' };
  const newcomer: AdobeUser = { email: 'p5@fed.example.com', type: 'federatedID', groups: ['Designers'] };

  it('is marked missing, so an account that later takes its address is not matched by it', async () => {
    const store = SqliteStateStore.open(join(dir, 'missing.db'));
    await store.bindAnchors('org', [['id-1', gone]]);
    const first = planOf([person], [], await store.anchors('org'));
    expect(first.finish().problems.map((p) => p.message)).toEqual([
      'anchor id-1 was bound to p5@fed.example.com, which is no longer in the org; it is created again',
    ]);
    await store.bindAnchors('org', first.bindings());
    expect((await store.anchors('org')).get('id-1')).toEqual({ ...gone, missing: true });

    // Someone else's account now has p5: the person is matched by email (p4, no account) and created, never
    // bound to the newcomer's account.
    const second = planOf([person], [newcomer], await store.anchors('org')).finish();
    expect(second.entries.map((e) => `${e.kind} ${e.target.user}`)).toEqual(['create p4@fed.example.com']);
    expect(second.adobeOnlyUsers.map((u) => u.email)).toEqual(['p5@fed.example.com']);
    await store.close();
  });

  it('binding an account to a new anchor takes it from the anchor that had it', async () => {
    const store = SqliteStateStore.open(join(dir, 'one-per-account.db'));
    await store.bindAnchors('org', [['id-1', gone]]);
    await store.bindAnchors('org', [['id-5', { type: 'federatedID', email: 'P5@fed.example.com' }]]);
    const anchors = await store.anchors('org');
    expect(anchors.get('id-1')).toEqual({ ...gone, missing: true });
    expect(anchors.get('id-5')).toEqual({ type: 'federatedID', email: 'P5@fed.example.com' });
    // An Adobe ID with the same address is another account.
    await store.bindAnchors('org', [['id-9', { type: 'adobeID', email: 'p5@fed.example.com' }]]);
    expect((await store.anchors('org')).get('id-5')?.missing).toBeUndefined();
    await store.close();
  });

  it('a state store made before the missing column gets it', async () => {
    const path = join(dir, 'old.db');
    const store = SqliteStateStore.open(path);
    await store.close();
    const db = new Database(path);
    db.exec('DROP INDEX anchors_account; ALTER TABLE anchors DROP COLUMN missing');
    db.prepare(
      "INSERT INTO anchors VALUES ('org', 'id-1', 'federatedID', 'a@x.com', NULL, NULL, 'then')",
    ).run();
    db.close();
    const reopened = SqliteStateStore.open(path);
    expect((await reopened.anchors('org')).get('id-1')).toEqual({ type: 'federatedID', email: 'a@x.com' });
    await reopened.close();
  });
});
