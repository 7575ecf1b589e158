import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteStateStore, type AccountBinding } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-state-store-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** `count` bindings; every third has a username and domain. */
function bindings(
  count: number,
  emailOf = (n: number) => `user${n}@example.com`,
): [string, AccountBinding][] {
  return Array.from({ length: count }, (_, n): [string, AccountBinding] => {
    const binding: AccountBinding = { type: n % 2 === 0 ? 'federatedID' : 'enterpriseID', email: emailOf(n) };
    if (n % 3 === 0) {
      binding.username = `login${n}`;
      binding.domain = 'example.com';
    }
    return [`anchor-${n}`, binding];
  });
}

describe('SqliteStateStore anchors', () => {
  it('binds any number of anchors and reads them back exactly, per org', async () => {
    const path = join(dir, 'many.db');
    const store = SqliteStateStore.open(path);
    // 0, 1, a statement's worth (100) and around it, and several statements plus a remainder.
    for (const count of [0, 1, 99, 100, 101, 250]) {
      const org = `org-${count}`;
      await store.bindAnchors(org, bindings(count));
      expect(await store.anchors(org)).toEqual(new Map(bindings(count)));
    }
    await store.close();
    const reopened = SqliteStateStore.open(path);
    expect(await reopened.anchors('org-250')).toEqual(new Map(bindings(250)));
    expect((await reopened.anchors('org-unknown')).size).toBe(0);
    await reopened.close();
  });

  it('re-binds existing anchors, drops a username that is gone, and keeps the last of a repeated anchor', async () => {
    const store = SqliteStateStore.open(join(dir, 'rebind.db'));
    await store.bindAnchors('org', bindings(120));
    const renamed = bindings(120, (n) => `renamed${n}@example.com`).map(
      ([anchor, binding]): [string, AccountBinding] => [anchor, { type: binding.type, email: binding.email }],
    );
    // anchor-5 comes twice in one call: in the first statement and again in the second (rows 6 and 105).
    const again: [string, AccountBinding] = ['anchor-5', { type: 'adobeID', email: 'last@example.com' }];
    const calls = [...renamed.slice(0, 104), again, ...renamed.slice(104)];
    await store.bindAnchors('org', calls);
    const read = await store.anchors('org');
    expect(read.size).toBe(120);
    expect(read.get('anchor-5')).toEqual({ type: 'adobeID', email: 'last@example.com' });
    expect(read.get('anchor-0')).toEqual({ type: 'federatedID', email: 'renamed0@example.com' });
    expect(read.get('anchor-119')).toEqual({ type: 'enterpriseID', email: 'renamed119@example.com' });
    await store.close();
  });
});
