import { describe, expect, it } from 'vitest';
import type { EntryOutcomeRecord, RunReport } from '@umapi-kit/sync';
import { runCountBars, runToHtml } from '../../src/report/run-html.js';
import { RunTimelineRecorder } from '../../src/report/run-timeline.js';
import { escapeHtml } from '../../src/report/escape-html.js';
import { HOSTILE, reviewPlan } from './plan-fixture.js';

const plan = reviewPlan();
const outcome = (id: string, state: EntryOutcomeRecord['state'], extra: Partial<EntryOutcomeRecord> = {}) => {
  const entry = plan.entries.find((candidate) => candidate.id === id);
  if (entry === undefined) throw new Error(`no entry ${id}`);
  return { id, kind: entry.kind, user: entry.target.user, state, reconciled: false, attempts: 1, ...extra };
};
const outcomes: EntryOutcomeRecord[] = [
  outcome('c1', 'partial', { errorCode: 'error.group.not_found', message: `Group ${HOSTILE} was not found` }),
  outcome('u1', 'succeeded'),
  outcome('u2', 'failed', { errorCode: 'error.user.nonexistent', message: 'no such user' }),
  outcome('r1', 'held', { heldBecause: 'over the limit', attempts: 0 }),
  outcome('r2', 'held', { heldBecause: 'over the limit', attempts: 0 }),
  outcome('g1', 'ambiguous'),
];
const entries = new Map(plan.entries.map((entry) => [entry.id, entry]));

describe('the run page', () => {
  it('counts the outcomes', () => {
    expect(Object.fromEntries(runCountBars(outcomes).map((bar) => [bar.label, bar.value]))).toEqual({
      succeeded: 1,
      partial: 1,
      failed: 1,
      'ambiguous (no answer)': 1,
      held: 2,
      'pending (not sent)': 0,
      'sent, not answered': 0,
    });
  });

  it("escapes the server's error messages and lists what did not finish with code and message", () => {
    const html = runToHtml({ outcomes, entries, plan, journalPath: '/srv/j.db' });
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain(escapeHtml(`error.group.not_found: Group ${HOSTILE} was not found`));
    const unfinished = /Entries that failed[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(unfinished.match(/<tr><td>/g)).toHaveLength(3);
    expect(unfinished).toContain('error.user.nonexistent: no such user');
    expect(html).toContain('HELD: 2 destructive entries were not sent');
    expect(html).toContain('<dd>incomplete</dd>');
    expect(html).toContain('Read from</dt><dd>the journal');
  });

  it('draws the timeline with retries and 429s told apart by shape', () => {
    let now = 1_000;
    const recorder = new RunTimelineRecorder(() => now);
    now = 1_500;
    recorder.retry({ reason: 'rate-limited', status: 429, delayMs: 2000 });
    now = 2_000;
    recorder.retry({ reason: 'server-error', status: 503, delayMs: 500 });
    recorder.progress({ done: 3, total: 6, failed: 1 });
    const report = {
      kind: 'sync-run-report',
      journalPath: '/srv/j.db',
      startedAt: '2026-12-04T02:00:00.000Z',
      finishedAt: '2026-12-04T02:00:01.000Z',
      durationMs: 1000,
      testOnly: false,
      requests: 3,
      retries: 2,
      throttled: 1,
      totalRetryDelayMs: 2500,
      readBack: { accounts: 0, requests: 0, listed: false },
      counts: { total: 6, sentThisRun: 4, reconciledThisRun: 0 },
      entries: outcomes,
    } as unknown as RunReport;
    const html = runToHtml({ outcomes, entries, plan, report, timeline: recorder.timeline });
    expect(html).toContain('Run timeline over 1 s: 3 of 6 entries done, 2 retries, 1 of them 429s');
    expect(html.match(/<polygon class="mark throttled"/g)).toHaveLength(1);
    expect(html.match(/<circle class="mark retry"/g)).toHaveLength(1);
    expect(html).toContain('<title>retry after 503, waited 500 ms</title>');
    expect(html).toContain('<tr><th scope="row">429 (rate limited)</th><td>1</td></tr>');
  });
});
