import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoOrgClient } from '../../../test-support/emulator-org.js';
import { applyPlan, defaultRules, isComplete, plan, type Plan, type PlanEntry } from '../src/index.js';
import { entryToAction } from '../src/apply/entry-action.js';
import { Journal } from '../src/state/journal.js';

/**
 * A chain of email moves in the demo org: Cleo moves to a new address, Ben takes Cleo's, Ada takes Ben's. Each
 * waits (`after`) for the entry that frees its address; the plan lists them in the worst order.
 */
let dir: string;
let emulator: Emulator;
let client: UmapiClient;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sync-chains-'));
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  client = demoOrgClient(emulator, {
    pacing: false,
    maxRetries: 2,
    retry: { firstDelayMs: 1, randomMaxMs: 1 },
  });
});
afterEach(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

const move = (id: string, from: string, to: string, after?: string): PlanEntry => ({
  id,
  kind: 'update',
  target: { user: from, type: 'enterpriseID' },
  attributes: { email: to },
  ...(after === undefined ? {} : { after: [after] }),
});
const ada = move('e-ada', 'ada.admin@example.com', 'ben.designer@example.com', 'e-ben');
const ben = move('e-ben', 'ben.designer@example.com', 'cleo.dev@example.com', 'e-cleo');
const cleo = move('e-cleo', 'cleo.dev@example.com', 'cleo.moved@example.com');

function chainPlan(): Plan {
  return { ...plan([], [], defaultRules({ groups: [] })), entries: [ada, ben, cleo] };
}
const emailOf = (first: string): string | undefined =>
  emulator.snapshot().users.find((user) => user.firstname === first)?.email;
const expectMovedAlong = (): void => {
  expect([emailOf('Ada'), emailOf('Ben'), emailOf('Cleo')]).toEqual([
    'ben.designer@example.com',
    'cleo.dev@example.com',
    'cleo.moved@example.com',
  ]);
};
/** Which entries each action request carried, in order (the emulator's view: what reached the engine). */
const actionBodies: string[][] = [];
const recordingFetch =
  (inner: typeof fetch): typeof fetch =>
  (input, init) => {
    if (
      String(input instanceof Request ? input.url : input).includes('/action/') &&
      typeof init?.body === 'string'
    )
      actionBodies.push((JSON.parse(init.body) as { requestID: string }[]).map((e) => e.requestID));
    return inner(input, init);
  };

describe('chained email moves', () => {
  it('each waits for the move that frees its address, also when that answer is lost', async () => {
    actionBodies.length = 0;
    client = demoOrgClient(emulator, {
      pacing: false,
      maxRetries: 2,
      retry: { firstDelayMs: 1, randomMaxMs: 1 },
      fetch: recordingFetch(emulator.fetch),
    });
    // Cleo's move is applied and its answer lost: Ben must wait for the read-back, Ada for Ben.
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const report = await applyPlan(chainPlan(), client, { journalPath: join(dir, 'journal.db') });
    expect(isComplete(report)).toBe(true);
    expect(report.counts).toMatchObject({ succeeded: 3, failed: 0, reconciledThisRun: 1 });
    expectMovedAlong();
    // One at a time, in chain order, each sent once.
    expect(actionBodies).toEqual([['e-cleo'], ['e-ben'], ['e-ada']]);
  });

  it('a resume sends again a move refused before the one freeing its address had run', async () => {
    const p = chainPlan();
    const journalPath = join(dir, 'journal.db');
    // What an earlier version left: Ben sent alongside Cleo, refused (Cleo still had the address), marked failed.
    const journal = Journal.open(journalPath, p);
    journal.transition('e-ben', 'sent');
    journal.transition('e-ben', 'failed', {
      errorCode: 'error.user.email.name_in_use',
      message: 'The email cleo.dev@example.com is already used by another user',
    });
    // ... and Cleo's move, applied after that refusal.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await client.execute([entryToAction(cleo)])).totals.succeeded).toBe(1);
    journal.transition('e-cleo', 'sent');
    journal.transition('e-cleo', 'succeeded');
    journal.close();

    const report = await applyPlan(p, client, { journalPath });
    expect(isComplete(report)).toBe(true);
    expect(report.counts).toMatchObject({ succeeded: 3, failed: 0, sentThisRun: 2 });
    expectMovedAlong();
  });

  it('a refusal that came after its turn is final: a resume does not send it again', async () => {
    const p = chainPlan();
    const journalPath = join(dir, 'journal.db');
    const journal = Journal.open(journalPath, p);
    expect((await client.execute([entryToAction(cleo)])).totals.succeeded).toBe(1);
    journal.transition('e-cleo', 'sent');
    journal.transition('e-cleo', 'succeeded');
    await new Promise((resolve) => setTimeout(resolve, 5));
    // Someone else took the address in between: Ben's refusal came after Cleo's move succeeded.
    journal.transition('e-ben', 'sent');
    journal.transition('e-ben', 'failed', { errorCode: 'error.user.email.name_in_use', message: 'in use' });
    journal.close();

    const report = await applyPlan(p, client, { journalPath });
    expect(report.counts).toMatchObject({ succeeded: 1, failed: 1, sentThisRun: 0, pending: 1 });
    expect(report.entries.find((e) => e.id === 'e-ada')?.waitsFor).toEqual(['e-ben']);
    expect(emailOf('Ben')).toBe('ben.designer@example.com');
  });
});
