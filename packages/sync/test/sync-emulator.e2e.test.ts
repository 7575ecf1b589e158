import { demoOrgClient } from '../../../test-support/emulator-org.js';
import { executeTotals } from '../../../test-support/execute-totals.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UmapiClient } from '@umapi-kit/client';
import { type Action, type ExecuteResult, type UmapiService } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  createSource,
  isComplete,
  loadDirectory,
  loadSyncConfig,
  planFromStream,
  type Plan,
  type SyncConfig,
} from '../src/index.js';
import { demoSyncYaml } from './support/demo-sync-yaml.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-e2e-'));
let emulator: Emulator;
let client: UmapiClient;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  client = demoOrgClient(emulator, {
    pacing: false,
  });
  writeFileSync(
    join(dir, 'users.csv'),
    [
      'email,firstname,lastname,country,groups,type,username,domain',
      'ben.designer@example.com,Ben,Designer,GB,dev,enterpriseID,,',
      'cleo.dev@example.com,Cleo,Developer,DE,dev,enterpriseID,,',
      'eve.new@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.ops,fed.example.com',
      'new.person@fed.example.com,New,Person,US,"design, mkt",federatedID,,',
      'broken-row,,,,,,,',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 5, updateAttributes: ['firstname', 'lastname', 'email'] }),
  );
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function makePlan(config: SyncConfig): Promise<Plan> {
  const directory = await loadDirectory(createSource(config.source), { strict: config.strict });
  expect(directory.errors.map((e) => e.line)).toEqual([6]);
  return planFromStream(directory.users, client.users.list(), config.rules);
}

describe('sync against the emulator', () => {
  it('CSV in → plan → apply → org matches the directory; a second plan is empty', async () => {
    const config = await loadSyncConfig(join(dir, 'sync.yml'));
    const plan = await makePlan(config);
    expect(plan.entries.map((e) => `${e.kind} ${e.target.user}`).sort()).toEqual([
      'create new.person@fed.example.com',
      'remove-from-org dan.market@fed.example.com',
      'remove-from-org fay.sso@fed.example.com',
      'update ben.designer@example.com',
      'update cleo.dev@example.com',
      'update eve.ops',
    ]);

    const report = await applyPlan(plan, client, { journalPath: join(dir, 'journal.db') });
    expect(report.entries.filter((e) => e.state !== 'succeeded')).toEqual([]);
    expect(isComplete(report)).toBe(true);
    expect(report.requests).toBeGreaterThan(0);

    const users = new Map(emulator.snapshot().users.map((u) => [u.email, u]));
    expect(users.get('ben.designer@example.com')?.groups).toEqual(['Developers', '_admin_Creative Cloud 1']);
    expect(users.get('cleo.dev@example.com')).toMatchObject({ lastname: 'Developer' });
    expect(users.get('eve.new@fed.example.com')).toMatchObject({
      username: 'eve.ops',
      groups: expect.arrayContaining(['Developers']) as unknown,
    });
    expect(users.get('new.person@fed.example.com')).toMatchObject({
      type: 'federatedID',
      groups: ['Designers', 'Marketing'],
    });
    expect(users.has('dan.market@fed.example.com')).toBe(false);
    expect(users.has('fay.sso@fed.example.com')).toBe(false);
    expect(users.get('ada.admin@example.com')?.groups).toEqual(['Designers', '_org_admin']);
    expect(users.has('gus.freelancer@gmail.com')).toBe(true);
    expect(users.has('ivy.partner@partner.example.org')).toBe(true);

    const again = await makePlan(config);
    expect(again.entries).toEqual([]);
  });

  it('a crash after the requests left (outcomes never journaled) resumes by reading every entry back, sending none again', async () => {
    emulator.reset();
    const config = await loadSyncConfig(join(dir, 'sync.yml'));
    const plan = await makePlan(config);
    const journalPath = join(dir, 'crash-journal.db');
    // The applier runs one execute per phase (removals, updates, creates): the process "dies" once the last
    // request has left, before any outcome reached the journal.
    let sent = 0;
    const crashing: UmapiService = {
      orgId: client.orgId,
      users: client.users,
      groups: client.groups,
      async execute(actions, options = {}) {
        const withoutOutcomes = { ...options };
        delete withoutOutcomes.onOutcome;
        const result = await client.execute(counted(actions), withoutOutcomes);
        if (sent === plan.entries.length) throw new Error('killed before any outcome was written');
        return { ...result, outcomes: [] };
      },
    };
    async function* counted(actions: Iterable<Action> | AsyncIterable<Action>): AsyncIterable<Action> {
      for await (const action of actions) {
        sent += 1;
        yield action;
      }
    }
    await expect(applyPlan(plan, crashing, { journalPath })).rejects.toThrow('killed before');
    const actionPosts = (): number =>
      emulator.requestLog().filter((entry) => entry.method === 'POST' && entry.path.includes('/action/'))
        .length;
    const postsBefore = actionPosts();
    expect(postsBefore).toBeGreaterThan(0);

    const readsBefore = emulator.requestLog().filter((entry) => entry.endpointClass === 'userRead').length;
    const report = await applyPlan(plan, client, { journalPath });
    // Every entry of this plan is idempotent (creates ignore an existing user, group changes and removals repeat
    // harmlessly), yet none is sent again: each is read back, found applied, and the server applied it once.
    expect(report.counts).toMatchObject({
      succeeded: plan.entries.length,
      reconciledThisRun: plan.entries.length,
      sentThisRun: 0,
    });
    expect(actionPosts()).toBe(postsBefore);
    expect(
      emulator.requestLog().filter((entry) => entry.endpointClass === 'userRead').length,
    ).toBeGreaterThan(readsBefore);
    expect(isComplete(report)).toBe(true);
    const again = await makePlan(config);
    expect(again.entries).toEqual([]);
  });

  it('a crash before anything was sent resumes by sending everything once', async () => {
    emulator.reset();
    const config = await loadSyncConfig(join(dir, 'sync.yml'));
    const plan = await makePlan(config);
    const journalPath = join(dir, 'early-crash-journal.db');
    // Pulls (so the journal marks them sent) but never sends; dies at the third action, in whichever phase.
    let pulled = 0;
    const crashing: UmapiService = {
      orgId: client.orgId,
      users: client.users,
      groups: client.groups,
      async execute(actions) {
        for await (const action of actions) {
          pulled += action.target === '' ? 0 : 1;
          if (pulled === 3) throw new Error('killed while batching');
        }
        return emptyResult();
      },
    };
    await expect(applyPlan(plan, crashing, { journalPath })).rejects.toThrow('killed while batching');
    const report = await applyPlan(plan, client, { journalPath });
    // The three it pulled are `sent` in the journal: read back, found not applied, and sent (once).
    expect(report.counts).toMatchObject({ succeeded: plan.entries.length, reconciledThisRun: 3 });
    expect(report.counts.sentThisRun).toBe(plan.entries.length);
    const again = await makePlan(config);
    expect(again.entries).toEqual([]);
  });
});

function emptyResult(): ExecuteResult {
  return { testOnly: false, outcomes: [], totals: executeTotals() };
}
