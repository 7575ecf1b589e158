import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRules, JournalError, plan } from '../src/index.js';
import { Journal } from '../src/state/journal.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-journal-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const samplePlan = plan(
  [
    { email: 'a@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' },
    { email: 'b@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' },
  ],
  [],
  defaultRules(),
);

describe('Journal', () => {
  it('records entries as pending and follows the state machine durably', () => {
    const path = join(dir, 'states.db');
    const journal = Journal.open(path, samplePlan);
    const [a, b] = samplePlan.entries.map((e) => e.id);
    if (a === undefined || b === undefined) throw new Error('plan too short');
    expect(journal.counts()).toMatchObject({ pending: 2 });
    expect(() => {
      journal.transition(a, 'succeeded');
    }).toThrow(`entry ${a}: cannot go from pending to succeeded`);
    journal.transition(a, 'sent');
    journal.transition(a, 'failed', { errorCode: 'error.x', message: 'no' });
    expect(() => {
      journal.transition(a, 'sent');
    }).toThrow(JournalError);
    journal.transition(b, 'sent');
    journal.close();
    const reopened = Journal.open(path, samplePlan);
    expect(reopened.rows().map((r) => [r.state, r.errorCode, r.attempts])).toEqual([
      ['failed', 'error.x', 1],
      ['sent', undefined, 1],
    ]);
    reopened.close();
  });

  it('refuses a journal written for another plan', () => {
    const path = join(dir, 'other.db');
    Journal.open(path, samplePlan).close();
    const other = plan(
      [{ email: 'c@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' }],
      [],
      defaultRules(),
    );
    expect(() => Journal.open(path, other)).toThrow(/belongs to a different plan/);
  });

  it('locks against a second apply and takes over a stale lock', () => {
    const path = join(dir, 'lock.db');
    const first = Journal.open(path, samplePlan);
    first.acquireLock({ pid: 111, host: 'box' });
    const second = Journal.open(path, samplePlan);
    expect(() => {
      second.acquireLock({ pid: 222, host: 'box', isProcessAlive: () => true });
    }).toThrow('is locked by pid 111 on box');
    expect(() => {
      second.acquireLock({ pid: 222, host: 'elsewhere', isProcessAlive: () => false });
    }).toThrow(/locked by pid 111 on box/);
    second.acquireLock({ pid: 222, host: 'box', isProcessAlive: (pid) => pid !== 111 });
    second.close();
    first.close();
    const third = Journal.open(path, samplePlan);
    third.acquireLock({ pid: 333, host: 'box', isProcessAlive: () => true });
    third.close();
  });
});
