import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { startEmulator, type Emulator, type OrgSnapshot } from '@umapi-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import {
  SqliteStateStore,
  type AccountBinding,
  type Plan,
  type RunReport,
  type SyncRules,
} from '../../src/index.js';
import {
  accountOf,
  differences,
  isExcluded,
  mappedGroupsHeld,
  targets,
  type OrgUser,
} from './support/org-checks.js';
import {
  DEMO_USERS,
  directoryCsv,
  emailOf,
  previousBindings,
  scenarios,
  seedActions,
  syncRules,
  type Person,
  type Scenario,
} from './support/scenario.js';
import {
  applyRound,
  newJournal,
  planRound,
  type PlannedRound,
  type RoundContext,
} from './support/sync-round.js';

/**
 * Properties of a whole sync — directory file → plan → journaled apply → the org — against the emulator's UMAPI
 * (in process, no throttling), over random orgs and directories: email-type, non-email and email-shaped SSO
 * usernames, email chains, username renames, duplicate rows, anchors (and anchors whose account vanished),
 * exclusions and the deletion circuit breaker.
 *
 * - applying the plan gives every directory user the account, groups and attributes the rules ask for, and
 *   leaves no unmatched account the Adobe-only action should have handled;
 * - an anchored person (or one whose username or email still matches) keeps the same account through renames;
 * - the next plan is empty;
 * - an excluded account is in no plan and is never changed;
 * - a held entry is not applied, by an apply or a resume, until it is released.
 *
 * FC_SEED and FC_RUNS choose other runs (the default seed keeps CI deterministic); FC_SHRINK=1 shrinks a failure
 * to a small counterexample; FC_STATS=1 prints how often each case came up.
 */

const numRuns = Number(process.env['FC_RUNS'] ?? 150);
const seed = Number(process.env['FC_SEED'] ?? 20261204);

/** Problems a correct plan may have in these scenarios; anything else is a bug. */
const EXPECTED_PROBLEMS = [
  /another Adobe account keeps it$/, // a move onto an address another account keeps (a swap, or an excluded holder)
  /^cannot be created: another Adobe account keeps this email/,
  /which is no longer in the org; (it is created again|not created again)/,
];

const stats = {
  runs: 0,
  withoutProblems: 0,
  emailMoves: 0,
  usernameMoves: 0,
  anchored: 0,
  chained: 0,
  held: 0,
  merged: 0,
  created: 0,
  removed: 0,
  recreated: 0,
};

let emulator: Emulator;
let root: string;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  root = mkdtempSync(join(tmpdir(), 'sync-properties-'));
});

afterAll(async () => {
  await emulator.close();
  rmSync(root, { recursive: true, force: true });
});

function byId(snapshot: OrgSnapshot): Map<string, OrgUser> {
  return new Map(snapshot.users.map((user) => [user.id, user]));
}

function expectOnlyExpectedProblems(plan: Plan): void {
  const unexpected = plan.problems.filter((p) => !EXPECTED_PROBLEMS.some((re) => re.test(p.message)));
  expect(unexpected).toEqual([]);
}

function expectNoExcludedTargets(plan: Plan, excluded: readonly OrgUser[]): void {
  const touched = plan.entries.filter((entry) => excluded.some((user) => targets(entry, user)));
  expect(touched.map((entry) => `${entry.kind} ${entry.target.user}`)).toEqual([]);
}

function expectFinished(report: RunReport, allowHeld: boolean): void {
  const open = report.entries.filter((e) => e.state !== 'succeeded' && !(allowHeld && e.state === 'held'));
  expect(open.map((e) => `${e.kind} ${e.user}: ${e.state} ${e.message ?? ''}`)).toEqual([]);
}

/** The accounts the held entries address, as they were before the run. */
function heldAccounts(plan: Plan, before: OrgSnapshot): OrgUser[] {
  const held = plan.entries.filter((entry) => entry.held !== undefined);
  return before.users.filter((user) => held.some((entry) => targets(entry, user)));
}

function expectUnchanged(accounts: readonly OrgUser[], now: OrgSnapshot): void {
  const current = byId(now);
  for (const account of accounts) expect(current.get(account.id)).toEqual(account);
}

/** Every directory user has the account the rules want; accounts left over were handled as Adobe-only. */
function expectDesiredState(
  scenario: Scenario,
  rules: SyncRules,
  round: PlannedRound,
  before: OrgSnapshot,
  after: OrgSnapshot,
  bindings: Map<string, AccountBinding>,
): void {
  const problems = new Set(round.plan.problems.map((p) => p.email.toLowerCase()));
  const excludedBefore = new Set(before.users.filter((u) => isExcluded(u, rules)).map((u) => u.id));
  const beforeById = byId(before);
  const accounted = new Set<string>();
  for (const user of round.directory) {
    const account = accountOf(after.users, user, rules, bindings);
    if (account !== undefined) accounted.add(account.id);
    if (problems.has(user.email.toLowerCase())) continue;
    if (account === undefined) throw new Error(`directory user ${user.email} has no account after apply`);
    if (excludedBefore.has(account.id)) continue;
    expect({ user: user.email, differences: differences(account, user, rules) }).toEqual({
      user: user.email,
      differences: [],
    });
  }

  // Identity survives renames: the person keeps the account they had.
  for (const p of scenario.people) {
    if (p.before === undefined || p.before.vanished || p.after === undefined) continue;
    const user = round.directory.find((u) => u.email.toLowerCase() === emailOf(p, p.after?.slot ?? 0));
    if (user === undefined || problems.has(user.email.toLowerCase())) continue;
    const old = before.users.find((u) => u.email === emailOf(p, p.before?.slot ?? 0));
    if (old === undefined || excludedBefore.has(old.id) || !keepsAccount(scenario, p)) continue;
    const account = accountOf(after.users, user, rules, bindings);
    expect({ person: user.email, account: account?.id }).toEqual({ person: user.email, account: old.id });
  }

  const leftover = after.users.filter(
    (u) => !DEMO_USERS.test(u.email) && !excludedBefore.has(u.id) && !accounted.has(u.id),
  );
  for (const account of leftover) {
    const was = beforeById.get(account.id);
    expect(was, `account ${account.email} appeared without a directory user`).toBeDefined();
    if (was === undefined) continue;
    switch (rules.adobeOnlyUserAction) {
      case 'remove':
      case 'delete':
        throw new Error(`Adobe-only account ${account.email} is still in the org`);
      case 'remove-adobe-groups':
        expect({ account: account.email, groups: account.groups }).toEqual({
          account: account.email,
          groups: [],
        });
        break;
      case 'preserve':
      case 'write-file':
        expect({ account: account.email, mapped: mappedGroupsHeld(account, rules) }).toEqual({
          account: account.email,
          mapped: [],
        });
        break;
      case 'exclude':
        expect(account).toEqual(was);
        break;
    }
  }
}

/** Whether the rules can tell that this directory row is the person's existing account. */
function keepsAccount(scenario: Scenario, p: Person): boolean {
  if (scenario.anchors) return true;
  const sameEmail = p.before?.slot === p.after?.slot;
  if (p.login === 'federated-name') return p.after?.renameUsername === false;
  if (p.login === 'federated-sso') return p.after?.renameUsername === false || sameEmail;
  return sameEmail;
}

async function runScenario(scenario: Scenario): Promise<void> {
  emulator.reset();
  const client = demoOrgClient(emulator, { pacing: false });
  const dir = mkdtempSync(join(root, 'run-'));
  const store = SqliteStateStore.open(join(dir, 'state.db'));
  try {
    const seeded = await client.execute(seedActions(scenario.people));
    expect(seeded.outcomes.filter((o) => o.status !== 'succeeded')).toEqual([]);
    const orgId = client.orgId;
    await store.bindAnchors(orgId, previousBindings(scenario));
    if (scenario.previousDirectoryUsers !== undefined) {
      const at = new Date(0).toISOString();
      await store.recordRun({
        orgId,
        kind: 'plan',
        startedAt: at,
        finishedAt: at,
        outcome: 'complete',
        directoryUsers: scenario.previousDirectoryUsers,
      });
    }
    const csvPath = join(dir, 'directory.csv');
    writeFileSync(csvPath, directoryCsv(scenario));
    const rules = syncRules(scenario.rules);
    const ctx: RoundContext = { client, store, rules, csvPath, dir };

    const before = emulator.snapshot();
    const excluded = before.users.filter((u) => isExcluded(u, rules));
    const first = await planRound(ctx);
    expectOnlyExpectedProblems(first.plan);
    expectNoExcludedTargets(first.plan, excluded);
    count(first);

    const journal = newJournal(ctx);
    const held = heldAccounts(first.plan, before);
    const report = await applyRound(ctx, first.plan, journal);
    expectFinished(report, true);
    if (first.plan.entries.some((entry) => entry.held !== undefined)) {
      stats.held += 1;
      expectUnchanged(held, emulator.snapshot());
      // A resume of the same journal does not release them either; only --release-held does.
      expectFinished(await applyRound(ctx, first.plan, journal), true);
      expectUnchanged(held, emulator.snapshot());
      expectFinished(await applyRound(ctx, first.plan, journal, { releaseHeld: true }), false);
    }
    const after = emulator.snapshot();
    expectUnchanged(excluded, after);
    expectDesiredState(scenario, rules, first, before, after, await store.anchors(orgId));

    let next = await planRound(ctx);
    expectNoExcludedTargets(next.plan, excluded);
    if (first.plan.safety !== undefined && next.plan.entries.length > 0) {
      // Held removals kept their emails: what waited for them is planned now, and nothing destructive.
      expect(next.plan.entries.filter((e) => e.kind !== 'create' && e.kind !== 'update')).toEqual([]);
      expectFinished(await applyRound(ctx, next.plan, newJournal(ctx)), false);
      next = await planRound(ctx);
    }
    expect(next.plan.entries).toEqual([]);
    expectUnchanged(excluded, emulator.snapshot());
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function count(round: PlannedRound): void {
  const { plan } = round;
  stats.runs += 1;
  if (plan.problems.length === 0) stats.withoutProblems += 1;
  if (plan.entries.some((e) => e.attributes?.email !== undefined && e.kind === 'update'))
    stats.emailMoves += 1;
  if (plan.entries.some((e) => e.attributes?.username !== undefined)) stats.usernameMoves += 1;
  if (plan.stats.matchedByAnchor > 0) stats.anchored += 1;
  if (plan.entries.some((e) => e.after !== undefined)) stats.chained += 1;
  if (round.merged > 0) stats.merged += 1;
  if (plan.entries.some((e) => e.kind === 'create')) stats.created += 1;
  if (plan.entries.some((e) => e.kind === 'remove-from-org' || e.kind === 'delete-account'))
    stats.removed += 1;
  if (plan.problems.some((p) => p.message.endsWith('it is created again'))) stats.recreated += 1;
}

describe('sync against the emulator, over random orgs and directories', () => {
  it('converges on the directory, keeps identities, never touches excluded or held accounts', async () => {
    await fc.assert(fc.asyncProperty(scenarios, runScenario), {
      numRuns,
      seed,
      endOnFailure: process.env['FC_SHRINK'] === undefined,
    });
    // The runs covered what they claim to (a generator change that stops making a case fails here).
    if (process.env['FC_STATS'] !== undefined) console.log(JSON.stringify(stats));
    const covered = Object.entries(stats).filter(([, n]) => n === 0);
    expect(
      covered.map(([name]) => name),
      JSON.stringify(stats),
    ).toEqual([]);
  }, 240_000);
});
