import { describe, expect, it } from 'vitest';
import { defaultRules, plan, type EntryOutcomeRecord, type RunReport } from '@umapi-kit/sync';
import { failureLines, formatRunReport, runSummaryLine, summarizePlan } from '../../src/output/sync-text.js';

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

describe('runSummaryLine and failureLines (stderr off a terminal)', () => {
  it('one summary line, then every entry that did not finish, ungrouped and unlimited; held ones left out', () => {
    const entries = [
      entry('a', 'succeeded'),
      entry('h', 'held', { kind: 'remove-from-org' }),
      entry('p', 'pending'),
      entry('s', 'sent', { domain: 'fed.example.com' }),
      ...Array.from({ length: 25 }, (_, i) =>
        entry(`f${String(i)}`, 'failed', { errorCode: 'error.user.not_found', message: 'no such user' }),
      ),
    ];
    const run = report(entries);
    expect(runSummaryLine(run)).toBe(
      'sync apply: 29 entries: 1 succeeded, 25 failed, 1 held, 2 not sent; 1 request in 2.0 s',
    );
    const lines = failureLines(run);
    expect(lines).toHaveLength(27);
    expect(lines[0]).toBe('not sent update p@example.com');
    expect(lines[1]).toBe('not sent update s@example.com (fed.example.com)');
    expect(lines[26]).toBe('failed update f24@example.com: error.user.not_found no such user');
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

  it('lists the problems under their own heading, without calling them skipped', () => {
    const result = plan(
      [{ email: 'bo@example.com', firstname: 'B', lastname: 'L', groups: [] }],
      [],
      defaultRules(),
    );
    expect(summarizePlan(result)).toContain(
      'problems: 1\n  bo@example.com: cannot be created as a Federated ID: country is required',
    );
  });
});
