import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrgClient } from '../../../test-support/emulator-org.js';
import {
  applyPlan,
  defaultRules,
  planFromStream,
  SqliteStateStore,
  type AccountBinding,
  type StateStore,
} from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'apply-binds-'));
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The real store, whose writes fail (as on a full disk) until `heal()`. */
class FailingWrites implements StateStore {
  #failing = true;
  constructor(readonly inner: SqliteStateStore) {}
  get location(): string {
    return this.inner.location;
  }
  heal(): void {
    this.#failing = false;
  }
  planKey(): Promise<Buffer> {
    return this.inner.planKey();
  }
  anchors(orgId: string): Promise<Map<string, AccountBinding>> {
    return this.inner.anchors(orgId);
  }
  bindAnchors(orgId: string, bindings: Iterable<readonly [string, AccountBinding]>): Promise<void> {
    if (this.#failing) return Promise.reject(new Error('database or disk is full'));
    return this.inner.bindAnchors(orgId, bindings);
  }
  recordRun(...args: Parameters<StateStore['recordRun']>): Promise<void> {
    return this.inner.recordRun(...args);
  }
  lastRun(...args: Parameters<StateStore['lastRun']>): ReturnType<StateStore['lastRun']> {
    return this.inner.lastRun(...args);
  }
  runs(...args: Parameters<StateStore['runs']>): ReturnType<StateStore['runs']> {
    return this.inner.runs(...args);
  }
  recordFullRead(...args: Parameters<StateStore['recordFullRead']>): Promise<void> {
    return this.inner.recordFullRead(...args);
  }
  lastFullRead(...args: Parameters<StateStore['lastFullRead']>): ReturnType<StateStore['lastFullRead']> {
    return this.inner.lastFullRead(...args);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

describe('applying binds the anchors of every succeeded entry', () => {
  it('a resume binds those an earlier run finished but could not record in the state store', async () => {
    const client = demoOrgClient(emulator, { pacing: false });
    const users = Array.from({ length: 12 }, (_, n) => ({
      id: `hire-${String(n)}`,
      email: `hire${String(n)}@fed.example.com`,
      firstname: 'New',
      lastname: 'Hire',
      country: 'US',
      type: 'federatedID' as const,
      groups: [],
    }));
    const plan = await planFromStream(
      users,
      client.users.list(),
      defaultRules({ adobeOnlyUserAction: 'preserve' }),
    );
    expect(plan.entries.filter((e) => e.kind === 'create')).toHaveLength(12);
    const store = new FailingWrites(SqliteStateStore.open(join(dir, 'state.db')));
    const journalPath = join(dir, 'journal.db');
    const state = { store, orgId: client.orgId };

    await expect(applyPlan(plan, client, { journalPath, state })).rejects.toThrow(/disk is full/);
    expect(emulator.snapshot().users.filter((u) => u.email.startsWith('hire'))).toHaveLength(12);
    expect((await store.anchors(client.orgId)).size).toBe(0);

    store.heal();
    const resumed = await applyPlan(plan, client, { journalPath, state });
    expect(resumed.counts.succeeded).toBe(12);
    expect(resumed.counts.sentThisRun).toBe(0);
    const anchors = await store.anchors(client.orgId);
    expect([...anchors.keys()].sort()).toEqual(users.map((u) => u.id).sort());
    expect(anchors.get('hire-3')).toEqual({ type: 'federatedID', email: 'hire3@fed.example.com' });
    await store.close();
  });
});
