import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startPostgres, POSTGRES_PASSWORD, type Postgres } from '../../../test-support/postgres.js';
import {
  defaultRules,
  earlyFullRead,
  JournalError,
  LockError,
  parseStateLocation,
  plan,
  planFingerprint,
  PostgresStateStore,
  SCHEMA_VERSION,
  StateFileError,
} from '../src/index.js';

let server: Postgres;
let url: string;

beforeAll(async () => {
  server = await startPostgres();
  url = await server.createDatabase('state_store');
}, 60_000);
afterAll(async () => {
  await server.stop();
});

const ORG = 'C0FFEE0123456789ABCDEF01@AdobeOrg';
const samplePlan = plan(
  [
    { email: 'a@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' },
    { email: 'b@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' },
  ],
  [],
  defaultRules(),
);

async function open(schema: string): Promise<PostgresStateStore> {
  return PostgresStateStore.open(url, schema);
}

describe('the PostgreSQL state store', () => {
  it('creates its schema on an empty database, records the version, and opens it again unchanged', async () => {
    const store = await open('fresh');
    expect(store.location).not.toContain(POSTGRES_PASSWORD);
    expect(store.location).toMatch(/^postgres:\/\/umapi_test@127\.0\.0\.1:\d+\/state_store\?schema=fresh$/);
    await store.close();
    const again = await open('fresh');
    const versions = await again.pool.query<{ version: number }>(
      'SELECT version FROM fresh.schema_migrations ORDER BY version',
    );
    expect(versions.rows.map((row) => row.version)).toEqual([1, 2]);
    expect(SCHEMA_VERSION).toBe(2);
    await again.close();
  });

  it('refuses a schema newer than it knows, naming the versions and without the password', async () => {
    const store = await open('newer');
    await store.pool.query(
      "INSERT INTO newer.schema_migrations (version, description) VALUES (99, 'future')",
    );
    await store.close();
    const refused = await open('newer').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(StateFileError);
    expect((refused as Error).message).toMatch(
      /cannot open the state store postgres:\/\/umapi_test@.*schema=newer: its schema is version 99, newer than this umapi-kit knows \(2\)/,
    );
    expect((refused as Error).message).not.toContain(POSTGRES_PASSWORD);
  });

  it('names an unreachable server without the password', async () => {
    const location = parseStateLocation(
      `postgres://someone:${POSTGRES_PASSWORD}@127.0.0.1:1/nowhere?connect_timeout=2`,
    );
    if (location.kind !== 'postgres') throw new Error('expected postgres');
    expect(location.display).not.toContain(POSTGRES_PASSWORD);
    const refused = await PostgresStateStore.open(location.connectionString, location.schema).catch(
      (error: unknown) => error as Error,
    );
    expect(refused).toBeInstanceOf(StateFileError);
    expect((refused as Error).message).toMatch(
      /cannot open the state store postgres:\/\/someone@127\.0\.0\.1:1\/nowhere/,
    );
    expect((refused as Error).message).not.toContain(POSTGRES_PASSWORD);
  });

  it('keeps anchors, runs and full reads per org, one schema for many orgs', async () => {
    const store = await open('orgs');
    await store.bindAnchors(ORG, [['a1', { type: 'federatedID', email: 'a@example.com' }]]);
    await store.bindAnchors('OTHER@AdobeOrg', [['a1', { type: 'federatedID', email: 'z@example.com' }]]);
    // Another anchor takes the account: the first loses it.
    await store.bindAnchors(ORG, [['a2', { type: 'federatedID', email: 'A@example.com' }]]);
    expect([...(await store.anchors(ORG))]).toEqual([
      ['a1', { type: 'federatedID', email: 'a@example.com', missing: true }],
      ['a2', { type: 'federatedID', email: 'A@example.com' }],
    ]);
    expect((await store.anchors('OTHER@AdobeOrg')).get('a1')?.email).toBe('z@example.com');
    const base = {
      kind: 'apply' as const,
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
    };
    await store.recordRun({ ...base, orgId: ORG, outcome: 'complete', requests: 3 });
    await store.recordRun({ ...base, orgId: 'OTHER@AdobeOrg', outcome: 'incomplete' });
    await store.recordRun({ ...base, orgId: ORG, outcome: 'incomplete', requests: 5 });
    expect((await store.runs({ orgId: ORG, limit: 10 })).map((run) => run.requests)).toEqual([5, 3]);
    expect((await store.runs({ limit: 2 })).map((run) => run.orgId)).toEqual([ORG, 'OTHER@AdobeOrg']);
    expect((await store.lastRun(ORG, 'apply'))?.requests).toBe(3);
    expect(await store.lastFullRead(ORG, 'users')).toBeUndefined();
    await store.recordFullRead(ORG, 'users', '2026-01-01T10:00:00.000Z');
    expect(await store.lastFullRead(ORG, 'users')).toBe('2026-01-01T10:00:00.000Z');
    expect(await store.lastFullRead(ORG, 'groups')).toBeUndefined();
    expect(
      await earlyFullRead(store, ORG, ['groups', 'users'], Date.parse('2026-01-01T11:00:00Z'), 7_200_000),
    ).toEqual({
      listing: 'users',
      lastReadAt: '2026-01-01T10:00:00.000Z',
      nextAllowedAt: '2026-01-01T12:00:00.000Z',
    });
    expect(
      await earlyFullRead(store, ORG, ['users'], Date.parse('2026-01-01T12:00:00Z'), 7_200_000),
    ).toBeUndefined();
    const key = await store.planKey();
    await store.close();
    const again = await open('orgs');
    expect((await again.planKey()).equals(key)).toBe(true);
    await again.close();
  });

  it('finds a journal by plan digest and org from another store instance, with its states', async () => {
    const first = await open('journals');
    expect(await first.findJournal(ORG, samplePlan)).toBeUndefined();
    const journal = await first.openJournal(samplePlan, { orgId: ORG, path: '/nowhere/on/this/host.db' });
    const [a, b] = samplePlan.entries.map((entry) => entry.id);
    if (a === undefined || b === undefined) throw new Error('plan too short');
    await expect(journal.transition(a, 'succeeded')).rejects.toThrow(
      `entry ${a}: cannot go from pending to succeeded`,
    );
    await journal.transition(a, 'sent');
    await journal.transition(a, 'failed', { errorCode: 'error.x', message: 'no' });
    await journal.transition(b, 'sent');
    await journal.close();
    await first.close();
    // Another "host": a new store on the same database, and no file anywhere.
    const second = await open('journals');
    expect(await second.findJournal(ORG, samplePlan)).toMatchObject({ counts: { failed: 1, sent: 1 } });
    expect(await second.findJournal('OTHER@AdobeOrg', samplePlan)).toBeUndefined();
    const reopened = await second.openJournal(samplePlan, { orgId: ORG, path: 'elsewhere.db' });
    expect(reopened.rows().map((row) => [row.state, row.errorCode, row.attempts])).toEqual([
      ['failed', 'error.x', 1],
      ['sent', undefined, 1],
    ]);
    // The same digest with other entries is another plan's journal.
    const forged = {
      ...plan(
        [{ email: 'c@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' }],
        [],
        defaultRules(),
      ),
      digest: planFingerprint(samplePlan),
    };
    await expect(second.openJournal(forged, { orgId: ORG, path: 'x' })).rejects.toBeInstanceOf(JournalError);
    await reopened.close();
    await second.close();
  });

  it('gives the org lock to one store at a time, names the holder, and frees it when the connection drops', async () => {
    const first = await open('locks');
    const second = await open('locks');
    const held = await first.lockOrg(ORG, { runId: 'run-1', journal: 'j1' }, { pid: 4242, host: 'host-a' });
    const refused = await second
      .lockOrg(ORG, { runId: 'run-2', journal: 'j2' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LockError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `org ${ORG} is being synced by pid 4242 on host-a \\(run run-1, journal j1, since 20\\d\\d-`,
      ),
    );
    // Another org is not in the way.
    const other = await second.lockOrg('OTHER@AdobeOrg', { runId: 'run-3', journal: 'j3' });
    await other.release();
    // The holder's connection ends without a release (as when its process is killed): the server frees the lock.
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'umapi-kit org lock'",
    );
    await admin.end();
    const taken = await second.lockOrg(ORG, { runId: 'run-4', journal: 'j4' }, { pid: 7, host: 'host-b' });
    const third = await open('locks');
    await expect(third.lockOrg(ORG, { runId: 'run-5', journal: 'j5' })).rejects.toThrow(
      /pid 7 on host-b \(run run-4/,
    );
    await taken.release();
    await (await third.lockOrg(ORG, { runId: 'run-6', journal: 'j6' })).release();
    await held.release().catch(() => undefined);
    await Promise.all([first.close(), second.close(), third.close()]);
  });
});
