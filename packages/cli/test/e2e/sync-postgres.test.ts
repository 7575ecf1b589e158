import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { startPostgres, POSTGRES_PASSWORD, type Postgres } from '../../../../test-support/postgres.js';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { PlanEntry } from '@umapi-kit/sync';
import {
  ensureCliBuilt,
  runBinary,
  startBinary,
  type RunResult,
  type StartedBinary,
} from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';

/**
 * The state store in a real PostgreSQL (a throwaway cluster, test-support/postgres.ts): `umapi sync apply` run by
 * the built binary on two "hosts" (each its own working folder, HOME, XDG_STATE_HOME and file-lock folder, and
 * its own copy of the plan file) that share only the database. The org lock is PostgreSQL's; a holder killed with
 * SIGKILL frees it; the other host's `--resume` finds the journal by plan digest and org and finishes, the org
 * ending as after one uninterrupted apply, every entry reaching the server exactly once.
 */

let server: Postgres;
let emulator: Emulator;
let proxy: RecordingProxy;
let root: string;
let hostA: string;
let hostB: string;
/** The state URL without the password (PGPASSWORD carries it), as an operator would set it. */
let stateUrl: string;
let env: Record<string, string>;
let planEntryIds: string[];
let expected: unknown;
let actionRequestsPerRun: number;
/** Every output of every run, to check that the password never appears. */
const outputs: string[] = [];

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');

function orgState(): unknown {
  const snapshot = emulator.snapshot();
  const users = snapshot.users.map((user) =>
    Object.fromEntries(Object.entries(user).filter(([k]) => k !== 'id')),
  );
  return { users, groups: snapshot.groups };
}

function commandsByEntry(from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of proxy.forwarded.slice(from).filter(isAction)) {
    for (const command of JSON.parse(request.body) as { requestID?: string }[]) {
      const id = command.requestID ?? '(no requestID)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

function hostEnv(host: string): Record<string, string> {
  return { ...env, XDG_STATE_HOME: join(host, 'state-home') };
}

async function cli(host: string, args: string[], extra: Record<string, string> = {}): Promise<RunResult> {
  const result = await runBinary([...args, '--no-pacing'], {
    cwd: host,
    env: { ...hostEnv(host), ...extra },
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

function start(host: string, args: string[]): StartedBinary {
  const started = startBinary([...args, '--no-pacing'], { cwd: host, env: hostEnv(host) });
  void started.finished.then((result) => outputs.push(result.stdout, result.stderr));
  return started;
}

/**
 * Runs `args` on `host` and stops it at its `nth` action request: SIGKILL (or Ctrl-C) before the request leaves
 * (`drop`: the server never sees it; `before-answer`: the server applies it after the process died) or just after
 * its answer arrived (`after-answer`).
 */
async function runKilled(
  host: string,
  args: string[],
  nth: number,
  how: 'drop' | 'before-answer' | 'after-answer',
  signal: 'SIGKILL' | 'SIGINT' = 'SIGKILL',
): Promise<RunResult> {
  let actions = 0;
  let fired: ProxiedRequest | undefined;
  const started = start(host, args);
  proxy.hooks = {
    beforeForward: async (request) => {
      if (!isAction(request) || fired !== undefined) return 'forward';
      actions += 1;
      if (actions !== nth) return 'forward';
      fired = request;
      if (how === 'after-answer') return 'forward';
      started.child.kill(signal);
      await started.finished;
      return how === 'drop' ? 'drop' : 'forward';
    },
    afterResponse: (request) => {
      if (request === fired && how === 'after-answer') started.child.kill(signal);
    },
  };
  const result = await started.finished;
  await proxy.idle();
  proxy.hooks = {};
  expect(fired, `the kill point was reached (${result.stderr})`).toBeDefined();
  return result;
}

async function admin<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({
    connectionString: stateUrl.replace('umapi_test@', `umapi_test:${POSTGRES_PASSWORD}@`),
  });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await ensureCliBuilt();
  server = await startPostgres();
  await server.createDatabase('umapi');
  stateUrl = `postgres://umapi_test@127.0.0.1:${String(server.port)}/umapi`;
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', seedUsers: 30, limits: 'off' });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  root = await mkdtemp(join(tmpdir(), 'umapi-sync-pg-'));
  hostA = join(root, 'host-a');
  hostB = join(root, 'host-b');
  await mkdir(hostA);
  await mkdir(hostB);
  env = {
    ...demoOrgEnv(emulator, { umapi: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`, ims: proxy.url }),
    UMAPI_STATE: stateUrl,
    PGPASSWORD: POSTGRES_PASSWORD,
  };
  const generated = emulator.snapshot().users.filter((user) => /^user\d+@/.test(user.email));
  const rows = [
    'email,firstname,lastname,country,groups,type,username,domain',
    'ben.designer@example.com,Ben,Designer,GB,dev,enterpriseID,,',
    ...generated
      .slice(0, 25)
      .map(
        (user, i) =>
          `${user.email},${user.firstname ?? 'First'},Renamed ${String(i)},${user.country ?? 'US'},` +
          `${i % 2 === 0 ? 'design' : 'dev'},${user.type},,`,
      ),
    ...Array.from(
      { length: 30 },
      (_, i) => `hire.${String(i)}@fed.example.com,Hire,Number ${String(i)},US,design,federatedID,,`,
    ),
  ];
  await writeFile(join(hostA, 'users.csv'), rows.join('\n') + '\n');
  await writeFile(
    join(hostA, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 20, updateAttributes: ['firstname', 'lastname'] }),
  );
  // Planned on host A, on an empty database: the schema is made by the tool.
  const planned = await cli(hostA, [
    'sync',
    'plan',
    '--sync-config',
    'sync.yml',
    '--out',
    'plan.json',
    '--json',
  ]);
  expect(planned.stderr).not.toMatch(/error/i);
  expect(planned.code).toBe(0);
  const plan = JSON.parse(await readFile(join(hostA, 'plan.json'), 'utf8')) as {
    entries: PlanEntry[];
    origin: { stateLocation: string };
  };
  expect(plan.origin.stateLocation).toBe(stateUrl);
  planEntryIds = plan.entries.map((entry) => entry.id).sort();
  expect(planEntryIds.length).toBeGreaterThanOrEqual(50);
  // Host B has its own copy of the plan, in a folder of its own.
  await copyFile(join(hostA, 'plan.json'), join(hostB, 'copy-of-plan.json'));

  const from = proxy.forwarded.length;
  const reference = await cli(hostA, ['sync', 'apply', 'plan.json', '--yes', '--json']);
  expect(reference.stderr).toBe('');
  expect(reference.code).toBe(0);
  expect([...commandsByEntry(from).keys()].sort()).toEqual(planEntryIds);
  actionRequestsPerRun = proxy.forwarded.slice(from).filter(isAction).length;
  expect(actionRequestsPerRun).toBeGreaterThanOrEqual(6);
  expected = orgState();
  // Applied already: the journal is found by plan digest and org, from the other host too.
  const again = await cli(hostB, ['sync', 'apply', 'copy-of-plan.json', '--yes', '--json']);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain(
    `the journal of this plan for org ${emulator.demo?.orgId ?? ''} already exists in ${stateUrl}`,
  );
  expect(again.stderr).toContain('add --resume');
}, 120_000);

afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await server.stop();
  await rm(root, { recursive: true, force: true });
});

/** A fresh start for a scenario: the org as seeded, no journal of the plan (the plan and its key stay). */
async function freshOrg(): Promise<void> {
  emulator.reset();
  await admin('DELETE FROM umapi_kit.journals');
}

describe('state in PostgreSQL, shared by two hosts', () => {
  it.each([
    ['the second request lost', [{ nth: 2, how: 'drop' as const }]],
    ['the third request applied, its answer lost', [{ nth: 3, how: 'before-answer' as const }]],
    ['just after the second answer', [{ nth: 2, how: 'after-answer' as const }]],
    [
      'Ctrl-C with the fourth request in flight',
      [{ nth: 4, how: 'before-answer' as const, signal: 'SIGINT' as const }],
    ],
    [
      'killed again while the other host resumes, then once more',
      [
        { nth: 2, how: 'before-answer' as const },
        { nth: 1, how: 'drop' as const },
        { nth: 2, how: 'before-answer' as const },
      ],
    ],
  ])(
    'killed (%s) on one host, resumed on the other: the planned org, every entry once',
    async (_, kills) => {
      await freshOrg();
      const from = proxy.forwarded.length;
      // Host A starts; each kill hands the run to the other host, which resumes from its own copy of the plan.
      const runs = [
        { host: hostA, args: ['sync', 'apply', 'plan.json', '--yes', '--json'] },
        { host: hostB, args: ['sync', 'apply', 'copy-of-plan.json', '--yes', '--json', '--resume'] },
      ];
      let turn = 0;
      for (const kill of kills) {
        const run = runs[turn % 2]!;
        const args = turn === 0 ? run.args : [...run.args.filter((arg) => arg !== '--resume'), '--resume'];
        const killed = await runKilled(run.host, args, kill.nth, kill.how);
        expect(killed.signal).toBe('SIGKILL');
        turn += 1;
      }
      const last = runs[turn % 2]!;
      const resumed = await cli(last.host, [...last.args.filter((arg) => arg !== '--resume'), '--resume']);
      // The killed holder's lock is gone with its connection: the other host is not refused.
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const report = JSON.parse(resumed.stdout) as { counts: Record<string, number>; journalPath: string };
      expect(report.counts).toMatchObject({
        total: planEntryIds.length,
        succeeded: planEntryIds.length,
        failed: 0,
      });
      expect(report.journalPath).toMatch(
        new RegExp(`^${stateUrl.replace(/[.?]/g, '\\$&')} journal [0-9a-f]{16} \\(org `),
      );
      expect(orgState()).toEqual(expected);
      const counts = commandsByEntry(from);
      expect([...counts.keys()].sort()).toEqual(planEntryIds);
      expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
      expect(await admin('SELECT * FROM umapi_kit.org_locks')).toEqual([]);
    },
    60_000,
  );

  it('of two applies racing for the org from two hosts, one runs and the other exits 2 naming it', async () => {
    await freshOrg();
    let loser: { who: 'a' | 'b'; result: RunResult } | undefined;
    const a = start(hostA, ['sync', 'apply', 'plan.json', '--yes', '--json', '--resume']);
    const b = start(hostB, ['sync', 'apply', 'copy-of-plan.json', '--yes', '--json', '--resume']);
    let held = false;
    proxy.hooks = {
      beforeForward: async (request): Promise<'forward'> => {
        if (!isAction(request) || held) return 'forward';
        held = true;
        // The winner waits at its first request, holding the lock, until the other has given up.
        loser = await Promise.race([
          a.finished.then((result) => ({ who: 'a' as const, result })),
          b.finished.then((result) => ({ who: 'b' as const, result })),
        ]);
        return 'forward';
      },
    };
    const [ra, rb] = await Promise.all([a.finished, b.finished]);
    await proxy.idle();
    proxy.hooks = {};
    expect(loser).toBeDefined();
    const winner = loser?.who === 'a' ? { child: b.child, result: rb } : { child: a.child, result: ra };
    expect(winner.result.code).toBe(0);
    expect(loser?.result.code).toBe(2);
    expect(loser?.result.stderr).toMatch(
      new RegExp(
        `org ${emulator.demo?.orgId ?? ''} is being synced by pid ${String(winner.child.pid)} on \\S+ \\(run [0-9a-f-]{36}, journal plan [0-9a-f]{16}, since 20`,
      ),
    );
    expect(orgState()).toEqual(expected);
  }, 60_000);

  it('users import journals in the database too: killed on one host, finished from the other', async () => {
    await freshOrg();
    const rows = [
      'action,type,user,domain,email,firstname,lastname,country,groups,delete_account',
      ...Array.from(
        { length: 25 },
        (_, i) => `create,federated,import.${String(i)}@fed.example.com,,,Imp,N${String(i)},US,Designers,`,
      ),
    ];
    await writeFile(join(hostA, 'hires.csv'), `${rows.join('\n')}\n`);
    await copyFile(join(hostA, 'hires.csv'), join(hostB, 'hires-copy.csv'));
    const from = proxy.forwarded.length;
    const killed = await runKilled(hostA, ['users', 'import', 'hires.csv', '--yes'], 2, 'before-answer');
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stderr).toContain(
      `journal in ${stateUrl}; if this stops, finish with: umapi users import hires.csv`,
    );
    // Without --resume the other host is told the journal exists; with it, it finishes the import.
    const refused = await cli(hostB, ['users', 'import', 'hires-copy.csv', '--yes']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('the journal of these rows for org');
    const resumed = await cli(hostB, ['users', 'import', 'hires-copy.csv', '--yes', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const counts = commandsByEntry(from);
    expect(counts.size).toBe(25);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    const imported = emulator.snapshot().users.filter((user) => user.email.startsWith('import.'));
    expect(imported).toHaveLength(25);
    expect(await admin('SELECT * FROM umapi_kit.org_locks')).toEqual([]);
  }, 60_000);

  it('lists the run history of every host, as a table and as JSON', async () => {
    const listed = await cli(hostB, [
      'sync',
      'history',
      '--json',
      '--org',
      emulator.demo?.orgId ?? '',
      '--limit',
      '50',
    ]);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as {
      kind: string;
      outcome: string;
      requests?: number;
      counts?: Record<string, number>;
      durationMs?: number;
      runId?: string;
      planDigest?: string;
    }[];
    const applies = runs.filter((run) => run.kind === 'apply');
    // The reference, the resumes, and the race's winner finished (killed runs record nothing).
    expect(applies.filter((run) => run.outcome === 'complete').length).toBeGreaterThanOrEqual(5);
    // The newest: the import (no plan digest), then the race's winner.
    expect(applies[0]).toMatchObject({ outcome: 'complete', counts: { succeeded: 25 } });
    expect(applies[0]?.planDigest).toBeUndefined();
    expect(applies[1]).toMatchObject({ outcome: 'complete', counts: { succeeded: planEntryIds.length } });
    expect(applies[1]?.planDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(applies[1]?.requests).toBeGreaterThan(0);
    expect(applies[1]?.runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(runs.at(-1)?.kind).toBe('plan');
    const table = await cli(hostA, ['sync', 'history', '--output', 'table', '--limit', '3']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/FINISHEDAT\s+ORGID\s+KIND\s+OUTCOME\s+DURATION\s+COUNTS\s+REQUESTS/);
    expect(table.stdout.trim().split('\n')).toHaveLength(4);
    expect(table.stdout).toContain(`succeeded ${String(planEntryIds.length)}`);
  });

  it('refuses a schema newer than this umapi-kit, and a URL that is not a store, exit 2', async () => {
    await admin(
      "CREATE SCHEMA future; CREATE TABLE future.schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO future.schema_migrations VALUES (7, 'later')",
    );
    const newer = await cli(hostA, [
      'sync',
      'history',
      '--state',
      `postgres://umapi_test:${POSTGRES_PASSWORD}@127.0.0.1:${String(server.port)}/umapi?schema=future`,
    ]);
    expect(newer.code).toBe(2);
    expect(newer.stderr).toContain(
      `cannot open the state store ${stateUrl}?schema=future: its schema is version 7, newer than this umapi-kit knows (2)`,
    );
    const wrong = await cli(hostA, ['sync', 'history', '--state', 'mysql://someone:secret@db/x']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("--state: 'mysql://…@db/x' is not a state store umapi-kit knows");
    expect(wrong.stderr).not.toContain('secret');
  });

  it('never printed the database password', () => {
    expect(outputs.length).toBeGreaterThan(10);
    for (const text of outputs) expect(text).not.toContain(POSTGRES_PASSWORD);
  });
});
