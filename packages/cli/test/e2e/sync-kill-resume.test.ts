import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import {
  ensureCliBuilt,
  runBinary,
  startBinary,
  type RunResult,
  type StartedBinary,
} from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';
import { isIdempotent } from '@umapi-kit/client';
import type { PlanEntry } from '@umapi-kit/sync';
import { entryToAction } from '../../../sync/src/apply/entry-action.js';

/**
 * `umapi sync apply` killed for real: the built binary runs against the emulator through a recording proxy, is
 * killed (SIGKILL, or Ctrl-C) at a chosen request, and `--resume` finishes the job. Each time the org must end
 * exactly as after an uninterrupted run, a second plan must be empty, and every plan entry must have reached the
 * server exactly once (the proxy sees every command body that went on to the server): an entry whose answer a
 * kill lost is read back by the resume, idempotent or not, and sent again only if its request never got there.
 */

type Trigger =
  | { on: 'token' }
  | { on: 'action'; nth: number }
  | { on: 'read-back'; nth: number }
  | { on: 'action-from-end'; nth: number };

interface Kill {
  trigger: Trigger;
  /**
   * `drop`: the request is lost with the process (the server never sees it); `before-answer`: the server applies
   * it after the process died; `after-answer`: the process dies just after its answer arrived.
   */
  how: 'drop' | 'before-answer' | 'after-answer';
  signal?: 'SIGKILL' | 'SIGINT';
}

interface Scenario {
  name: string;
  /** The first run is killed by the first kill, each resume by the next; a last resume runs to the end. */
  kills: Kill[];
}

const SCENARIOS: Scenario[] = [
  { name: 'at the token request', kills: [{ trigger: { on: 'token' }, how: 'drop' }] },
  { name: 'first action request lost', kills: [{ trigger: { on: 'action', nth: 1 }, how: 'drop' }] },
  {
    name: 'first action request applied, answer lost',
    kills: [{ trigger: { on: 'action', nth: 1 }, how: 'before-answer' }],
  },
  {
    name: 'just after the first answer',
    kills: [{ trigger: { on: 'action', nth: 1 }, how: 'after-answer' }],
  },
  {
    name: 'second request applied, answer lost',
    kills: [{ trigger: { on: 'action', nth: 2 }, how: 'before-answer' }],
  },
  { name: 'third request lost', kills: [{ trigger: { on: 'action', nth: 3 }, how: 'drop' }] },
  {
    name: 'just after the fourth answer',
    kills: [{ trigger: { on: 'action', nth: 4 }, how: 'after-answer' }],
  },
  {
    name: 'sixth request applied, answer lost',
    kills: [{ trigger: { on: 'action', nth: 6 }, how: 'before-answer' }],
  },
  {
    name: 'second-to-last request lost',
    kills: [{ trigger: { on: 'action-from-end', nth: 2 }, how: 'drop' }],
  },
  {
    name: 'just after the last answer',
    kills: [{ trigger: { on: 'action-from-end', nth: 1 }, how: 'after-answer' }],
  },
  {
    name: 'Ctrl-C with the fifth request in flight',
    kills: [{ trigger: { on: 'action', nth: 5 }, how: 'before-answer', signal: 'SIGINT' }],
  },
  {
    name: 'again while the resume re-sends, then once more',
    kills: [
      { trigger: { on: 'action', nth: 3 }, how: 'before-answer' },
      { trigger: { on: 'action', nth: 1 }, how: 'drop' },
      { trigger: { on: 'action', nth: 2 }, how: 'before-answer' },
    ],
  },
];

let emulator: Emulator;
let proxy: RecordingProxy;
let dir: string;
let env: Record<string, string>;
let planEntryIds: string[];
/** Entries the client may send again after a lost answer without reading them back. */
let idempotentIds: Set<string>;
/** The org after an uninterrupted apply of the plan, ids left out. */
let expected: unknown;
let actionRequestsPerRun: number;

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');
const isReadBack = (request: ProxiedRequest): boolean =>
  request.method === 'GET' && request.path.includes('/organizations/') && request.path.includes('/users/');
const isToken = (request: ProxiedRequest): boolean => request.path.startsWith('/ims/token');

function orgState(): unknown {
  const snapshot = emulator.snapshot();
  const users = snapshot.users.map((user) =>
    Object.fromEntries(Object.entries(user).filter(([k]) => k !== 'id')),
  );
  return { users, groups: snapshot.groups };
}

/** How many times each `requestID` (= plan entry id) reached the server since `from`. */
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

const cli = (args: string[]): Promise<RunResult> => runBinary([...args, '--no-pacing'], { cwd: dir, env });

/** Runs `args` and kills the process when the kill's request arrives at the proxy. */
async function runKilled(args: string[], kill: Kill): Promise<RunResult> {
  let actions = 0;
  let reads = 0;
  let fired: ProxiedRequest | undefined;
  const signal = kill.signal ?? 'SIGKILL';
  const matches = (request: ProxiedRequest): boolean => {
    if (isAction(request)) actions += 1;
    if (isReadBack(request)) reads += 1;
    switch (kill.trigger.on) {
      case 'token':
        return isToken(request);
      case 'action':
        return isAction(request) && actions === kill.trigger.nth;
      case 'action-from-end':
        return isAction(request) && actions === actionRequestsPerRun + 1 - kill.trigger.nth;
      case 'read-back':
        return isReadBack(request) && reads === kill.trigger.nth;
    }
  };
  const started: StartedBinary = startBinary([...args, '--no-pacing'], { cwd: dir, env });
  // Set before the event loop turns, so before the process can send anything.
  proxy.hooks = {
    beforeForward: async (request) => {
      if (!matches(request) || fired !== undefined) return 'forward';
      fired = request;
      if (kill.how === 'after-answer') return 'forward';
      started.child.kill(signal);
      // The server only sees it once the process is gone: the answer can never reach it.
      await started.finished;
      return kill.how === 'drop' ? 'drop' : 'forward';
    },
    afterResponse: (request) => {
      if (request === fired && kill.how === 'after-answer') started.child.kill(signal);
    },
  };
  const result = await started.finished;
  await proxy.idle();
  proxy.hooks = {};
  expect(fired, `the kill point was reached (${result.stderr})`).toBeDefined();
  return result;
}

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    seed: 'demo',
    seedUsers: 40,
    limits: 'off',
  });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-kill-'));
  env = {
    ...demoOrgEnv(emulator, { umapi: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`, ims: proxy.url }),
  };

  // The directory: 34 of the 40 generated users with a new last name and mapped groups (updates), 6 left out
  // and Dan and Fay gone (Adobe-only removals), Ben and Cleo changed, Eve's email changed, 40 hires (creates).
  const generated = emulator.snapshot().users.filter((user) => /^user\d+@/.test(user.email));
  expect(generated).toHaveLength(40);
  const rows = [
    'email,firstname,lastname,country,groups,type,username,domain',
    'ben.designer@example.com,Ben,Designer,GB,dev,enterpriseID,,',
    'cleo.dev@example.com,Cleo,Developer,DE,"dev,design",enterpriseID,,',
    'eve.new@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.ops,fed.example.com',
    ...generated
      .slice(0, 34)
      .map(
        (user, i) =>
          `${user.email},${user.firstname ?? 'First'},Renamed ${String(i)},${user.country ?? 'US'},` +
          `${i % 3 === 0 ? 'design' : i % 3 === 1 ? 'dev' : '"design,mkt"'},${user.type},,`,
      ),
    ...Array.from(
      { length: 40 },
      (_, i) =>
        `hire.${String(i)}@fed.example.com,Hire,Number ${String(i)},US,${i % 2 === 0 ? 'design' : '"dev,mkt"'},federatedID,,`,
    ),
  ];
  await writeFile(join(dir, 'users.csv'), rows.join('\n') + '\n');
  await writeFile(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 10, updateAttributes: ['firstname', 'lastname', 'email'] }),
  );

  const planned = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect(planned.stderr).not.toMatch(/error/i);
  expect(planned.code).toBe(0);
  const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { entries: PlanEntry[] };
  planEntryIds = plan.entries.map((entry) => entry.id).sort();
  idempotentIds = new Set(
    plan.entries.filter((entry) => isIdempotent(entryToAction(entry).toWire())).map((entry) => entry.id),
  );
  // Every entry of this plan is idempotent (the email change names Eve by username and domain), so a client could
  // send what a kill left unanswered again; the resume reads them back instead (each arrives once, below).
  expect(idempotentIds.size).toBe(plan.entries.length);
  const kinds = new Map<string, number>();
  for (const entry of plan.entries) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
  expect(Object.fromEntries(kinds)).toMatchObject({ 'remove-from-org': 8, create: 40 });
  expect(kinds.get('update')).toBeGreaterThanOrEqual(30);

  // The reference: one uninterrupted apply.
  const from = proxy.forwarded.length;
  const reference = await cli(['sync', 'apply', 'plan.json', '--journal', 'reference.db', '--yes', '--json']);
  expect(reference.stderr).toBe('');
  expect(reference.code).toBe(0);
  expect([...commandsByEntry(from).keys()].sort()).toEqual(planEntryIds);
  actionRequestsPerRun = proxy.forwarded.slice(from).filter(isAction).length;
  expect(actionRequestsPerRun).toBeGreaterThanOrEqual(9);
  expected = orgState();
  const again = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
  expect((JSON.parse(again.stdout) as { entries: unknown[] }).entries).toEqual([]);
}, 120_000);

afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('umapi sync apply killed and resumed', () => {
  it.each(SCENARIOS.map((scenario, index) => [scenario.name, scenario, index] as const))(
    'killed %s: the resume ends at the planned org, every entry applied exactly once',
    async (_, scenario, index) => {
      emulator.reset();
      const from = proxy.forwarded.length;
      const journal = `journal-${String(index)}.db`;
      const apply = ['sync', 'apply', 'plan.json', '--journal', journal, '--yes', '--json'];

      const [firstKill, ...resumeKills] = scenario.kills;
      const first = await runKilled(apply, firstKill!);
      if (firstKill!.signal === 'SIGINT') {
        expect(first.code).toBe(130);
        expect(first.stderr).toContain('--resume');
      } else {
        expect(first.signal).toBe('SIGKILL');
      }
      for (const kill of resumeKills) {
        const killed = await runKilled([...apply, '--resume'], kill);
        expect(killed.signal).toBe('SIGKILL');
      }

      const resumed = await cli([...apply, '--resume']);
      expect(resumed.stderr).toBe('');
      expect(resumed.code).toBe(0);
      const report = JSON.parse(resumed.stdout) as {
        counts: Record<string, number> & { reconciledThisRun: number };
      };
      expect(report.counts).toMatchObject({
        total: planEntryIds.length,
        succeeded: planEntryIds.length,
        failed: 0,
        ambiguous: 0,
      });
      // Entries are handed to the client as requests fill (2 in flight + 1 filling, 10 commands each), so a
      // kill leaves at most that many to read back, not the rest of the plan.
      expect(report.counts.reconciledThisRun).toBeLessThanOrEqual(31);

      expect(orgState()).toEqual(expected);
      const counts = commandsByEntry(from);
      expect([...counts.keys()].sort()).toEqual(planEntryIds);
      const repeated = [...counts.entries()].filter(([, n]) => n !== 1);
      expect(repeated).toEqual([]);

      const again = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
      expect(again.code).toBe(0);
      expect((JSON.parse(again.stdout) as { entries: unknown[] }).entries).toEqual([]);
    },
    30_000,
  );
});
