import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { PlanEntry } from '@umapi-kit/sync';
import { ensureCliBuilt, runBinary, startBinary, type RunResult } from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';

/**
 * Exactly once, proved: `umapi sync apply` of a plan with 22 chained email moves (one account takes the address
 * another gives up), attribute updates, removals and creates, with 30 % of the action requests faulted — lost
 * before the server saw them, or applied by the server and their answer lost — and the CLI killed (`kill -9`)
 * twice, once in the first run and once in its resume. The recording proxy in front of the emulator sees every
 * answer the server gave, so it counts how many times the server applied each entry: exactly once for every
 * entry, and the org ends equal to the fault-free run's.
 */

interface ActionAnswer {
  errors?: { index?: number; step?: number }[];
}

let emulator: Emulator;
let proxy: RecordingProxy;
let dir: string;
let env: Record<string, string>;
let planEntries: PlanEntry[];
let expected: unknown;

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');
const cli = (args: string[]): Promise<RunResult> => runBinary([...args, '--no-pacing'], { cwd: dir, env });

function orgState(): unknown {
  const snapshot = emulator.snapshot();
  const users = snapshot.users.map((user) =>
    Object.fromEntries(Object.entries(user).filter(([key]) => key !== 'id')),
  );
  return { users, groups: snapshot.groups };
}

/** What the server applied, per entry id: every command of a 2xx answer that the answer does not refuse. */
class AppliedCounter {
  readonly applied = new Map<string, number>();
  refused = 0;

  record(request: ProxiedRequest, answer: { status: number; body: string }): void {
    if (!isAction(request) || answer.status < 200 || answer.status > 299) return;
    const commands = JSON.parse(request.body) as { requestID?: string }[];
    const refusedAtStart = new Set(
      ((JSON.parse(answer.body) as ActionAnswer).errors ?? [])
        .filter((error) => (error.step ?? 0) === 0)
        .map((error) => error.index),
    );
    commands.forEach((command, index) => {
      if (refusedAtStart.has(index)) {
        this.refused += 1;
        return;
      }
      const id = command.requestID ?? '(no requestID)';
      this.applied.set(id, (this.applied.get(id) ?? 0) + 1);
    });
  }
}

/** Faults 30 % of action requests: half lost on the way to the server, half applied and their answer lost. */
class ActionFaults {
  readonly random = seededRandom(19);
  readonly counts = { actions: 0, droppedBefore: 0, lostAfter: 0 };
  readonly #lose = new Set<ProxiedRequest>();

  before(request: ProxiedRequest): 'forward' | 'drop' {
    if (!isAction(request)) return 'forward';
    this.counts.actions += 1;
    const roll = this.random();
    if (roll < 0.15) {
      this.counts.droppedBefore += 1;
      return 'drop';
    }
    if (roll < 0.3) this.#lose.add(request);
    return 'forward';
  }

  loseAnswer(request: ProxiedRequest): boolean {
    if (!this.#lose.delete(request)) return false;
    this.counts.lostAfter += 1;
    return true;
  }
}

/**
 * Runs `args` with the faults on; when `killAt` is given, `kill -9`s the CLI as that action request arrives and
 * lets the server apply it once the process is gone (the answer can never reach it).
 */
async function run(
  args: string[],
  faults: ActionFaults,
  counter: AppliedCounter,
  killAt?: number,
): Promise<RunResult & { killed: boolean }> {
  let actions = 0;
  let killed = false;
  const started = startBinary([...args, '--no-pacing'], { cwd: dir, env });
  proxy.hooks = {
    beforeForward: async (request) => {
      if (isAction(request) && ++actions === killAt) {
        killed = true;
        started.child.kill('SIGKILL');
        await started.finished;
        return 'forward';
      }
      return killed ? 'forward' : faults.before(request);
    },
    beforeAnswer: (request, answer) => {
      counter.record(request, answer);
      return faults.loseAnswer(request) ? 'lose' : 'deliver';
    },
  };
  const result = await started.finished;
  await proxy.idle();
  proxy.hooks = {};
  return { ...result, killed };
}

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', seedUsers: 260, limits: 'off' });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  dir = await mkdtemp(join(tmpdir(), 'umapi-exactly-once-'));
  env = demoOrgEnv(emulator, { umapi: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`, ims: proxy.url });

  // Generated users, matched by username + domain. Chains: in each pair of one domain, the first takes the
  // second's address and the second moves to a new one. Then renames, users left out (removals), and hires.
  const generated = emulator.snapshot().users.filter((user) => /^user\d+@/.test(user.email));
  const row = (user: (typeof generated)[number], changes: { email?: string; lastname?: string }): string =>
    [
      changes.email ?? user.email,
      user.firstname ?? 'First',
      changes.lastname ?? user.lastname ?? 'Last',
      user.country ?? 'US',
      'dev',
      user.type,
      user.username,
      user.domain,
    ].join(',');
  const byDomain = new Map<string, typeof generated>();
  for (const user of generated) byDomain.set(user.domain, [...(byDomain.get(user.domain) ?? []), user]);
  const rows = ['email,firstname,lastname,country,groups,type,username,domain'];
  const used = new Set<string>();
  let chains = 0;
  for (const users of byDomain.values()) {
    for (let i = 0; i + 1 < users.length && chains < 22; i += 2) {
      const [taker, giver] = [users[i], users[i + 1]] as [(typeof users)[number], (typeof users)[number]];
      rows.push(row(giver, { email: `moved.${giver.email}` }), row(taker, { email: giver.email }));
      used.add(taker.email).add(giver.email);
      chains += 1;
    }
  }
  expect(chains).toBe(22);
  const rest = generated.filter((user) => !used.has(user.email));
  rest.slice(0, 90).forEach((user, i) => rows.push(row(user, { lastname: `Renamed ${String(i)}` })));
  rest.slice(90, 200).forEach((user) => rows.push(row(user, {})));
  // rest.slice(200): left out of the directory, so removed from the org.
  for (let i = 0; i < 130; i += 1)
    rows.push(`hire.${String(i)}@fed.example.com,Hire,Number ${String(i)},US,design,federatedID,,`);
  await writeFile(join(dir, 'users.csv'), rows.join('\n') + '\n');
  await writeFile(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 100, updateAttributes: ['firstname', 'lastname', 'email'] }),
  );

  const planned = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect(planned.code, planned.stderr).toBe(0);
  planEntries = (JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { entries: PlanEntry[] })
    .entries;

  // The reference: one apply with no fault and no kill.
  const reference = await cli(['sync', 'apply', 'plan.json', '--journal', 'reference.db', '--yes', '--json']);
  expect(reference.code, reference.stderr).toBe(0);
  expected = orgState();
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('sync apply under 30 % faults and two kill -9', () => {
  it('applies every entry exactly once and ends at the fault-free org, exit 0 after one resume per kill', async () => {
    const kinds = new Map<string, number>();
    for (const entry of planEntries) kinds.set(entry.kind, (kinds.get(entry.kind) ?? 0) + 1);
    const chained = planEntries.filter((entry) => (entry.after ?? []).length > 0);
    expect(chained).toHaveLength(22);
    expect(planEntries.length).toBeGreaterThanOrEqual(300);
    expect(kinds.get('create')).toBe(130);
    expect(kinds.get('remove-from-org')).toBeGreaterThanOrEqual(10);
    expect(kinds.get('update')).toBeGreaterThanOrEqual(90 + 44);

    emulator.reset();
    const faults = new ActionFaults();
    const counter = new AppliedCounter();
    const apply = ['sync', 'apply', 'plan.json', '--journal', 'faulted.db', '--yes', '--json'];
    const first = await run(apply, faults, counter, 12);
    expect(first.killed).toBe(true);
    expect(first.signal).toBe('SIGKILL');
    const second = await run([...apply, '--resume'], faults, counter, 8);
    expect(second.killed).toBe(true);
    expect(second.signal).toBe('SIGKILL');
    const last = await run([...apply, '--resume'], faults, counter);
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);
    const report = JSON.parse(last.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ succeeded: planEntries.length, failed: 0, ambiguous: 0 });

    // What the run went through: 30 % of the action requests faulted, none refused for a chain out of order.
    expect(faults.counts.droppedBefore + faults.counts.lostAfter).toBeGreaterThanOrEqual(
      Math.floor(faults.counts.actions * 0.2),
    );
    expect(faults.counts.lostAfter).toBeGreaterThan(0);
    expect(counter.refused).toBe(0);
    const appliedMoreThanOnce = [...counter.applied].filter(([, n]) => n > 1);
    expect(appliedMoreThanOnce).toEqual([]);
    expect([...counter.applied.keys()].sort()).toEqual(planEntries.map((entry) => entry.id).sort());
    expect(orgState()).toEqual(expected);
    console.info(
      `exactly-once: ${String(planEntries.length)} entries (${String(chained.length)} chained moves), ` +
        `${String(faults.counts.actions)} action requests, ${String(faults.counts.droppedBefore)} lost before ` +
        `and ${String(faults.counts.lostAfter)} after the server applied them, 2 kills, 2 resumes, ` +
        `${String(appliedMoreThanOnce.length)} entries applied more than once`,
    );
  }, 60_000);
});
