import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRules, ForeignFileError, plan, readJournalRows } from '../src/index.js';
import { Journal } from '../src/state/journal.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-journal-read-'));
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

describe('readJournalRows', () => {
  it('lists every row in plan order with its state and error, while an apply holds the lock, writing nothing', () => {
    const path = join(dir, 'j.db');
    const journal = Journal.open(path, samplePlan);
    journal.acquireLock();
    const [a] = samplePlan.entries.map((entry) => entry.id);
    if (a === undefined) throw new Error('plan too short');
    journal.transition(a, 'sent');
    journal.transition(a, 'partial', {
      errorCode: 'error.group.not_found',
      message: 'no group',
      resumeStep: 1,
    });
    const before = readFileSync(path);
    const rows = readJournalRows(path);
    expect(rows.map((row) => [row.entry.target.user, row.state, row.errorCode, row.resumeStep])).toEqual([
      ['a@example.com', 'partial', 'error.group.not_found', 1],
      ['b@example.com', 'pending', undefined, undefined],
    ]);
    expect(readFileSync(path).equals(before)).toBe(true);
    // The lock is still the apply's: reading did not take or drop it.
    expect(Journal.runningHolder(path)).toMatchObject({ pid: process.pid });
    journal.close();
  });

  it('refuses a file that is not a umapi-kit journal, naming it', () => {
    const path = join(dir, 'notes.db');
    writeFileSync(path, 'not sqlite at all');
    expect(() => readJournalRows(path)).toThrow(ForeignFileError);
    expect(() => readJournalRows(path)).toThrow(path);
  });
});
