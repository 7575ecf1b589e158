import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoOrgClient } from '../../../test-support/emulator-org.js';
import {
  applyPlan,
  createSource,
  loadDirectory,
  loadSyncConfig,
  planFromStream,
  type Plan,
} from '../src/index.js';
import { demoSyncYaml } from './support/demo-sync-yaml.js';

/**
 * Lost answers, read back together. The emails of generated users move (an update addressed by the old email is
 * not idempotent, so whether it was applied must be read); removals of Adobe-only users are idempotent, and are
 * read back all the same (a sync apply applies every entry exactly once). Action request 1 carries the removals,
 * 2 to 4 the updates.
 */
let dir: string;
let emulator: Emulator;
let client: UmapiClient;
let controller: AbortController;
let actionRequests = 0;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sync-read-back-'));
  controller = new AbortController();
  actionRequests = 0;
});
afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every generated user moves to `moved.<email>` when `moved(index)` says so; the demo's own users are gone. */
async function setUp(moved: (index: number) => boolean, abortAfterActions?: number): Promise<Plan> {
  emulator = await startEmulator({ listen: false, seed: 'demo', seedUsers: 30, limits: 'off' });
  const countingFetch: typeof fetch = async (input, init) => {
    const isAction = (input instanceof Request ? input.url : input.toString()).includes('/action/');
    try {
      return await emulator.fetch(input, init);
    } finally {
      // After the answer (or its loss), so the request itself went through.
      if (isAction && ++actionRequests === abortAfterActions) controller.abort();
    }
  };
  client = demoOrgClient(emulator, {
    pacing: false,
    maxRetries: 2,
    retry: { firstDelayMs: 1, randomMaxMs: 1 },
    fetch: countingFetch,
  });
  const generated = emulator.snapshot().users.filter((user) => /^user\d+@/.test(user.email));
  const rows = ['email,username,domain,firstname,lastname,country,type'];
  generated.forEach((user, index) => {
    const email = moved(index) ? `moved.${user.email}` : user.email;
    rows.push(
      [email, user.username, user.domain, user.firstname, user.lastname, user.country, user.type].join(','),
    );
  });
  writeFileSync(join(dir, 'users.csv'), rows.join('\n'));
  writeFileSync(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 100, updateAttributes: ['firstname', 'lastname', 'email'] }),
  );
  const config = await loadSyncConfig(join(dir, 'sync.yml'));
  const directory = await loadDirectory(createSource(config.source), { strict: true });
  return planFromStream(directory.users, client.users.list(), config.rules);
}

/** The requests the emulator saw while `run` ran, by endpoint class. */
async function requestsDuring<T>(
  run: () => Promise<T>,
): Promise<{ result: T; reads: string[]; actions: number }> {
  const before = emulator.requestLog().length;
  const result = await run();
  const seen = emulator.requestLog().slice(before);
  return {
    result,
    reads: seen.filter((entry) => entry.endpointClass === 'userRead').map((entry) => entry.path),
    actions: seen.filter((entry) => entry.endpointClass === 'action').length,
  };
}

const expectMoved = (plan: Plan): void => {
  const emails = new Set(emulator.snapshot().users.map((user) => user.email));
  for (const entry of plan.entries.filter((e) => e.kind === 'update'))
    expect(emails.has(`moved.${entry.target.user}`)).toBe(true);
};

describe('lost answers of a sync apply', () => {
  it('reads 30 moved accounts back from one listing page, not 30 single reads, in the same run', async () => {
    const plan = await setUp(() => true);
    expect(plan.entries.filter((entry) => entry.attributes?.email !== undefined)).toHaveLength(30);
    expect(plan.entries.filter((entry) => entry.kind === 'remove-from-org').length).toBeGreaterThan(0);
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [2, 3, 4] }] });

    const {
      result: report,
      reads,
      actions,
    } = await requestsDuring(() => applyPlan(plan, client, { journalPath: join(dir, 'journal.db') }));
    expect(report.counts.succeeded).toBe(plan.entries.length);
    expect(report.readBack).toEqual({ accounts: 30, requests: 1, listed: true });
    expect(report.counts.reconciledThisRun).toBe(30);
    expect(reads).toHaveLength(1);
    // Read back as applied: none of the 30 updates was sent a second time.
    expect(actions).toBe(4);
    expectMoved(plan);
  });

  it('after an interruption, the resume reads them back from one listing and sends nothing twice', async () => {
    const plan = await setUp(() => true, 4);
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [2, 3, 4] }] });
    const journalPath = join(dir, 'journal.db');
    const stopped = await applyPlan(plan, client, { journalPath, signal: controller.signal });
    expect(stopped.counts.ambiguous).toBe(30);
    emulator.clearFaults();

    const {
      result: resumed,
      reads,
      actions,
    } = await requestsDuring(() => applyPlan(plan, client, { journalPath }));
    expect(resumed.readBack).toEqual({ accounts: 30, requests: 1, listed: true });
    expect(resumed.counts.succeeded).toBe(plan.entries.length);
    expect(resumed.counts.sentThisRun).toBe(0);
    expect(reads).toHaveLength(1);
    expect(actions).toBe(0);
    expectMoved(plan);
  });

  it('reads a single moved account on its own when that is cheaper than listing the org', async () => {
    const planned = await setUp((index) => index === 0);
    // Only the email move (the other entries' lost answers would be read back too, and make a listing cheaper).
    const plan = {
      ...planned,
      entries: planned.entries.filter((entry) => entry.attributes?.email !== undefined),
    };
    expect(plan.entries.filter((entry) => entry.attributes?.email !== undefined)).toHaveLength(1);
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });

    const { result: report, reads } = await requestsDuring(() =>
      applyPlan(plan, client, { journalPath: join(dir, 'journal.db') }),
    );
    // Two reads of the one account: at its old email (gone), then at the new one (applied).
    expect(report.readBack).toEqual({ accounts: 1, requests: 2, listed: false });
    expect(report.counts.succeeded).toBe(plan.entries.length);
    expect(reads).toHaveLength(2);
    expect(reads[0]).toMatch(/\/users\/user\d+@/);
    expect(reads[1]).toMatch(/\/users\/moved\.user\d+@/);
  });
});
