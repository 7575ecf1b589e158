import { describe, expect, it } from 'vitest';
import { defaultRules, plan, type EntryOutcomeRecord, type RunReport } from '@umapi-kit/sync';
import { formatRunReport, summarizePlan } from '../../src/output/sync-text.js';

function report(entries: EntryOutcomeRecord[]): RunReport {
  const counts = { pending: 0, held: 0, sent: 0, succeeded: 0, partial: 0, failed: 0, ambiguous: 0 };
  for (const entry of entries) counts[entry.state] += 1;
  return {
    kind: 'sync-run-report',
    version: 1,
    testOnly: false,
    journalPath: '/tmp/j.db',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:02.000Z',
    durationMs: 2000,
    counts: { ...counts, total: entries.length, sentThisRun: entries.length, reconciledThisRun: 0 },
    requests: 1,
    readBack: { accounts: 0, requests: 0, listed: false },
    retries: 0,
    throttled: 0,
    totalRetryDelayMs: 0,
    entries,
  };
}

const entry = (id: string, state: EntryOutcomeRecord['state'], extra: Partial<EntryOutcomeRecord> = {}) =>
  ({
    id,
    kind: 'update',
    user: `${id}@example.com`,
    state,
    reconciled: false,
    attempts: 1,
    ...extra,
  }) as const;

describe('formatRunReport', () => {
  it('counts, groups failed and ambiguous entries by error, and says how to finish', () => {
    const text = formatRunReport(
      report([
        entry('a', 'succeeded'),
        entry('b', 'failed', { errorCode: 'error.user.nonexistent', message: 'User does not exist' }),
        entry('c', 'ambiguous', { errorCode: 'ConnectionError', message: 'socket hang up' }),
      ]),
    );
    expect(text).toMatch(/succeeded 1, partial 0, failed 1, ambiguous 1/);
    expect(text).toContain('failed update ×1: error.user.nonexistent User does not exist');
    expect(text).toContain('ambiguous update ×1: ConnectionError socket hang up');
    expect(text).toContain('1 entry is not finished');
  });
});

describe('summarizePlan', () => {
  it('counts by kind and shows the first changes of each kind', () => {
    const result = plan(
      [{ email: 'ann@example.com', firstname: 'A', lastname: 'L', groups: ['Design'], country: 'US' }],
      [],
      defaultRules({ groups: [{ directoryGroup: 'Design', adobeGroups: ['Photoshop'] }] }),
    );
    expect(summarizePlan(result)).toContain(
      'create: 1\n  create federatedID ann@example.com: email=ann@example.com, firstname=A, lastname=L, country=US; +[Photoshop]',
    );
  });
});
