import type { EntryOutcomeRecord, EntryState, Plan, PlanEntry, RunReport } from '@umapi-kit/sync';
import { countChart, type ChartBar } from './count-chart.js';
import { escapeHtml } from './escape-html.js';
import { outcomeRow } from './entry-rows.js';
import { entryList, entryTable } from './entry-table.js';
import { countTable, headerList } from './report-header.js';
import { reportPage } from './report-page.js';
import { timelineChart, type RunTimeline } from './run-timeline.js';

/**
 * What a run report is made from: the run report of `sync apply` (with the plan and, when the CLI recorded
 * it, the timeline), or a journal read afterwards (its rows, with the plan when it is given).
 */
export interface RunReportInput {
  outcomes: readonly EntryOutcomeRecord[];
  /** The plan entries by id (a journal keeps them; a run report has the plan). */
  entries: ReadonlyMap<string, PlanEntry>;
  report?: RunReport;
  plan?: Plan;
  journalPath?: string;
  timeline?: RunTimeline;
}

const STATES: readonly { state: EntryState; label: string; tone: ChartBar['tone'] }[] = [
  { state: 'succeeded', label: 'succeeded', tone: 'good' },
  { state: 'partial', label: 'partial', tone: 'warn' },
  { state: 'failed', label: 'failed', tone: 'bad' },
  { state: 'ambiguous', label: 'ambiguous (no answer)', tone: 'warn' },
  { state: 'held', label: 'held', tone: 'bad' },
  { state: 'pending', label: 'pending (not sent)', tone: 'neutral' },
  { state: 'sent', label: 'sent, not answered', tone: 'warn' },
];

/** Entries by outcome, in the order the report shows them. */
export function runCountBars(outcomes: readonly EntryOutcomeRecord[]): ChartBar[] {
  const counts = new Map<EntryState, number>();
  for (const outcome of outcomes) counts.set(outcome.state, (counts.get(outcome.state) ?? 0) + 1);
  return STATES.map(({ state, label, tone }) => ({
    label,
    value: counts.get(state) ?? 0,
    tone: tone ?? 'neutral',
  }));
}

/** `complete`, `held` or `incomplete`, as `runOutcome` says, from the outcomes alone. */
function outcomeOf(outcomes: readonly EntryOutcomeRecord[]): string {
  if (outcomes.some((outcome) => !['succeeded', 'held'].includes(outcome.state))) return 'incomplete';
  return outcomes.some((outcome) => outcome.state === 'held')
    ? 'held (destructive entries wait for --release-held)'
    : 'complete';
}

function headerSection(input: RunReportInput): string {
  const items: { term: string; value: string; code?: boolean }[] = [];
  const { report, plan } = input;
  items.push({ term: 'Outcome', value: outcomeOf(input.outcomes) });
  if (plan?.origin !== undefined) {
    items.push(
      { term: 'Org', value: plan.origin.orgId },
      { term: 'Plan made at', value: `${plan.origin.createdAt} by ${plan.origin.createdBy}` },
    );
  }
  if (plan?.digest !== undefined) items.push({ term: 'Plan digest', value: plan.digest, code: true });
  const journal = report?.journalPath ?? input.journalPath;
  if (journal !== undefined) items.push({ term: 'Journal', value: journal });
  if (report !== undefined) {
    items.push(
      { term: 'Started', value: report.startedAt },
      { term: 'Finished', value: `${report.finishedAt} (${(report.durationMs / 1000).toFixed(1)} s)` },
      {
        term: 'Mode',
        value: report.testOnly ? 'test only (testOnly=true: the server validated, nothing changed)' : 'live',
      },
    );
  } else {
    items.push({
      term: 'Read from',
      value: 'the journal (times, requests and retries are in the run report only)',
    });
  }
  return `<section aria-labelledby="about-h"><h2 id="about-h">About this run</h2>${headerList(items)}</section>`;
}

function trafficSection(input: RunReportInput): string {
  const { report, timeline } = input;
  if (report === undefined) return '';
  const table = countTable('Requests', [
    { label: 'requests with actions', value: report.requests },
    { label: 'entries sent this run', value: report.counts.sentThisRun },
    { label: 'outcomes learned by reading back', value: report.counts.reconciledThisRun },
    { label: 'read-back requests', value: report.readBack.requests },
    { label: 'retries', value: report.retries },
    { label: '429 (rate limited)', value: report.throttled },
    { label: 'waited for retries (ms)', value: report.totalRetryDelayMs },
  ]);
  const chart =
    timeline === undefined
      ? '<p class="note">No timeline: it is recorded by the command that ran the apply.</p>'
      : timelineChart(timeline);
  return `<section aria-labelledby="traffic-h"><h2 id="traffic-h">Requests, retries and 429s</h2>${chart}${table}</section>`;
}

/** A run (or a journal) as one self-contained HTML page: outcome per entry, what did not finish first. */
export function runToHtml(input: RunReportInput): string {
  const rows = input.outcomes.map((outcome) => outcomeRow(outcome, input.entries.get(outcome.id)));
  const unfinished = rows.filter((row) => row.state !== 'succeeded' && row.state !== 'held');
  const held = rows.filter((row) => row.state === 'held');
  const bars = runCountBars(input.outcomes);
  const org = input.plan?.origin?.orgId;
  const title = `Sync run${org === undefined ? '' : ` for ${org}`}`;
  const body = [
    `<h1>${escapeHtml(title)}: ${String(rows.length)} entr${rows.length === 1 ? 'y' : 'ies'}</h1>`,
    held.length === 0
      ? ''
      : `<section class="held-box" aria-labelledby="held-h"><h2 id="held-h">HELD: ${String(held.length)} destructive entr${held.length === 1 ? 'y was' : 'ies were'} not sent</h2>` +
        `<p>The safety limits hold them; they are sent only by an apply given <code>--release-held</code>.</p>${entryList(held, 'Held entries', 'held')}</section>`,
    unfinished.length === 0
      ? '<section class="ok-box" aria-labelledby="unfinished-h"><h2 id="unfinished-h">Not finished: none</h2></section>'
      : `<section aria-labelledby="unfinished-h"><h2 id="unfinished-h">Not finished: ${String(unfinished.length)}</h2>` +
        `${entryList(unfinished, 'Entries that failed, are partial, unanswered or not sent', 'unfinished')}</section>`,
    headerSection(input),
    `<section aria-labelledby="counts-h"><h2 id="counts-h">Outcomes</h2>${countChart('Outcomes', bars)}${countTable('Outcomes', bars)}</section>`,
    trafficSection(input),
    entryTable(rows, { withOutcome: true }),
  ].join('\n');
  return reportPage(title, body);
}
