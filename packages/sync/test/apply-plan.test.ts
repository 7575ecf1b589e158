import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan, defaultRules, isComplete, plan, type Plan, type PlanEntry } from '../src/index.js';
import { Journal } from '../src/state/journal.js';
import { FakeClient } from './support/fake-client.js';
import { applyToModel, type ModelUser } from './support/umapi-model.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-apply-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
let journals = 0;
const journalPath = (): string => join(dir, `journal-${String(++journals)}.db`);

const groups = [{ directoryGroup: 'Design', adobeGroups: ['Photoshop'] }];
const adobe: ModelUser[] = [
  {
    type: 'federatedID',
    email: 'old@example.com',
    username: 'old@example.com',
    domain: 'example.com',
    groups: ['Photoshop'],
  },
  {
    type: 'federatedID',
    email: 'keep@example.com',
    username: 'keep@example.com',
    domain: 'example.com',
    groups: [],
  },
];

function makePlan(): Plan {
  const directory = [
    { email: 'keep@example.com', firstname: 'K', lastname: 'L', groups: ['Design'] },
    ...Array.from({ length: 6 }, (_, i) => ({
      email: `new${String(i)}@example.com`,
      firstname: 'N',
      lastname: 'L',
      groups: ['Design'],
      country: 'US',
    })),
  ];
  return plan(directory, adobe, defaultRules({ groups, adobeOnlyUserAction: 'remove' }));
}

function fake(p: Plan, state: ModelUser[] = adobe): FakeClient {
  return new FakeClient(
    state.map((u) => ({ ...u, groups: [...u.groups] })),
    new Map(p.entries.map((e) => [e.id, e])),
  );
}

describe('applyPlan', () => {
  it('applies every entry once and reports success', async () => {
    const p = makePlan();
    const client = fake(p);
    const progress: number[] = [];
    const report = await applyPlan(p, client, {
      journalPath: journalPath(),
      onProgress: (e) => progress.push(e.done),
    });
    expect(client.sent).toEqual(p.entries.map((e) => e.id));
    expect(client.state).toEqual(applyToModel(adobe, p.entries));
    expect(isComplete(report)).toBe(true);
    expect(report.counts).toMatchObject({ total: 8, succeeded: 8, failed: 0, sentThisRun: 8 });
    expect(progress.at(-1)).toBe(8);
  });

  it('records failures with their codes and exits 3; a rerun does not resend anything', async () => {
    const p = makePlan();
    const client = fake(p);
    const failing = p.entries[2]?.id ?? '';
    client.failIds.add(failing);
    const path = journalPath();
    const report = await applyPlan(p, client, { journalPath: path });
    expect(isComplete(report)).toBe(false);
    expect(report.entries.find((e) => e.id === failing)).toMatchObject({
      state: 'failed',
      errorCode: 'error.user.nonexistent',
      message: 'User does not exist',
    });
    const again = await applyPlan(p, client, { journalPath: path });
    expect(again.counts.sentThisRun).toBe(0);
    expect(client.sent).toHaveLength(p.entries.length);
  });

  it.each([
    ['applied anyway', true],
    ['not applied', false],
  ])(
    'an idempotent entry with no answer is read back after its phase, and sent again only if not applied (%s)',
    async (_, applied) => {
      const p = makePlan();
      const client = fake(p);
      const lost = p.entries[1]?.id ?? '';
      expect(p.entries[1]?.kind).toBe('update');
      client.lostAnswers.set(lost, applied);
      const report = await applyPlan(p, client, { journalPath: journalPath() });
      expect(isComplete(report)).toBe(true);
      expect(report.counts).toMatchObject({
        succeeded: 8,
        reconciledThisRun: 1,
        sentThisRun: applied ? 8 : 9,
      });
      expect(report.readBack).toMatchObject({ accounts: 1, listed: false });
      expect(client.gets).toEqual([p.entries[1]?.target.user]);
      // Exactly once: what the server applied is never sent again.
      expect(client.sent.filter((id) => id === lost)).toHaveLength(applied ? 1 : 2);
      expect(client.state).toEqual(applyToModel(adobe, p.entries));
    },
  );

  it.each([
    ['applied anyway', true],
    ['not applied', false],
  ])(
    'an email change with no answer is read back after its phase and sent again only if not applied (%s)',
    async (_, applied) => {
      const entry: PlanEntry = {
        id: 'e-move',
        kind: 'update',
        target: { user: 'keep@example.com', type: 'federatedID' },
        attributes: { email: 'kept@example.com' },
      };
      const p: Plan = { ...makePlan(), entries: [entry] };
      const client = fake(p);
      client.lostAnswers.set(entry.id, applied);
      const report = await applyPlan(p, client, { journalPath: journalPath() });
      expect(report.counts).toMatchObject({ succeeded: 1, reconciledThisRun: 1 });
      expect(report.readBack).toMatchObject({ accounts: 1, listed: false });
      expect(client.gets[0]).toBe('keep@example.com');
      expect(client.sent).toHaveLength(applied ? 1 : 2);
      expect(report.entries[0]?.reconciled).toBe(true);
      expect(client.state).toEqual(applyToModel(adobe, [entry]));
    },
  );

  it.each([
    ['applied before the crash', true],
    ['lost before it was applied', false],
  ])(
    'resumes after a crash (last entry %s): each entry applied exactly once, final state as planned',
    async (_, applied) => {
      const p = makePlan();
      const client = fake(p);
      client.crashAfter = 3;
      client.applyBeforeCrash = applied;
      const path = journalPath();
      await expect(applyPlan(p, client, { journalPath: path })).rejects.toThrow('simulated crash');
      const journal = Journal.open(path, p);
      expect(journal.counts()).toMatchObject({ succeeded: 2, sent: 1, pending: 5 });
      journal.close();

      client.crashAfter = undefined;
      const report = await applyPlan(p, client, { journalPath: path });
      const third = p.entries[2]?.id ?? '';
      // A create with ignoreIfAlreadyExists: idempotent, but read back all the same, and sent again only if the
      // crash came before the server applied it.
      expect(p.entries[2]?.kind).toBe('create');
      expect(client.sent.filter((id) => id === third)).toHaveLength(applied ? 1 : 2);
      expect(new Set(client.sent).size).toBe(p.entries.length);
      expect(client.sent.filter((id) => id !== third)).toHaveLength(p.entries.length - 1);
      expect(client.gets).toEqual([p.entries[2]?.target.user]);
      expect(report.counts).toMatchObject({ succeeded: 8, reconciledThisRun: 1 });
      expect(client.state).toEqual(applyToModel(adobe, p.entries));
      expect(isComplete(report)).toBe(true);
    },
  );

  it('stopped (Ctrl-C) mid-run: entries not yet handed over stay pending, a resume sends each once', async () => {
    const p = makePlan();
    const client = fake(p);
    const controller = new AbortController();
    const path = journalPath();
    let outcomes = 0;
    const report = await applyPlan(p, client, {
      journalPath: path,
      signal: controller.signal,
      onProgress: () => {
        if (++outcomes === 3) controller.abort();
      },
    });
    expect(report.counts).toMatchObject({ succeeded: 3, sent: 0, pending: p.entries.length - 3 });
    const resumed = await applyPlan(p, client, { journalPath: path });
    expect(resumed.counts).toMatchObject({ succeeded: p.entries.length, reconciledThisRun: 0 });
    expect(client.sent).toEqual(p.entries.map((e) => e.id));
  });

  it('test mode journals in memory and leaves the journal file alone', async () => {
    const p = makePlan();
    const client = fake(p);
    const path = journalPath();
    const report = await applyPlan(p, client, { journalPath: path, testOnly: true });
    expect(report.testOnly).toBe(true);
    expect(report.journalPath).toBe(':memory:');
    const real = await applyPlan(p, client, { journalPath: path });
    expect(real.counts.sentThisRun).toBe(p.entries.length);
  });

  it('refuses to run while another apply holds the lock, unless forced', async () => {
    const p = makePlan();
    const client = fake(p);
    const path = journalPath();
    const other = Journal.open(path, p);
    other.acquireLock({ pid: 4242, host: 'other-host' });
    await expect(applyPlan(p, client, { journalPath: path })).rejects.toThrow(
      /locked by pid 4242 on other-host/,
    );
    expect(client.sent).toEqual([]);
    const report = await applyPlan(p, client, { journalPath: path, forceUnlock: true });
    expect(report.counts.succeeded).toBe(p.entries.length);
    other.close();
  });
});
