import type { EntryKind } from '../plan/plan-types.js';
import type { EntryState } from './journal.js';

export interface EntryOutcomeRecord {
  id: string;
  kind: EntryKind;
  user: string;
  domain?: string;
  state: EntryState;
  errorCode?: string;
  message?: string;
  /** Outcome learned by reading the user back after a lost answer or a crash. */
  reconciled: boolean;
  /** Times the entry was handed to the client (over every run on this journal). */
  attempts: number;
}

export interface RunReport {
  kind: 'sync-run-report';
  version: 1;
  testOnly: boolean;
  journalPath: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  counts: Record<EntryState, number> & { total: number; sentThisRun: number; reconciledThisRun: number };
  requests: number;
  retries: number;
  throttled: number;
  totalRetryDelayMs: number;
  entries: EntryOutcomeRecord[];
  /** 0 when every entry succeeded, 3 when some failed or stayed ambiguous. */
  exitCode: 0 | 3;
}

const SHOWN_USERS = 5;

/**
 * The readable report: counts, then failed and ambiguous entries grouped by state and error (one line per
 * group with its first users), then what to do about entries that are not finished.
 */
export function formatRunReport(report: RunReport, options: { maxGroups?: number } = {}): string {
  const { counts } = report;
  const unfinished = counts.pending + counts.sent;
  const lines = [
    `Sync apply${report.testOnly ? ' (TEST MODE: nothing was changed)' : ''}: ${String(counts.total)} entries in ` +
      `${(report.durationMs / 1000).toFixed(1)} s`,
    `  succeeded ${String(counts.succeeded)}, failed ${String(counts.failed)}, ambiguous ${String(counts.ambiguous)}, ` +
      `pending ${String(unfinished)}`,
    `  sent this run ${String(counts.sentThisRun)}, reconciled by read-back ${String(counts.reconciledThisRun)}`,
    `  requests ${String(report.requests)}, retries ${String(report.retries)}, 429s ${String(report.throttled)}, ` +
      `waited ${(report.totalRetryDelayMs / 1000).toFixed(1)} s`,
  ];
  const groups = new Map<string, EntryOutcomeRecord[]>();
  for (const entry of report.entries) {
    if (entry.state !== 'failed' && entry.state !== 'ambiguous') continue;
    const key = [entry.state, entry.kind, entry.errorCode ?? '', entry.message ?? ''].join('\u0000');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  const maxGroups = options.maxGroups ?? 20;
  for (const group of [...groups.values()].slice(0, maxGroups)) {
    const [first] = group as [EntryOutcomeRecord];
    const reason = [first.errorCode, first.message].filter((part) => part !== undefined).join(' ');
    lines.push(`  ${first.state} ${first.kind} ×${String(group.length)}: ${reason}`);
    const shown = group.slice(0, SHOWN_USERS).map((entry) => entry.user);
    const more = group.length > SHOWN_USERS ? ` … and ${String(group.length - SHOWN_USERS)} more` : '';
    lines.push(`    ${shown.join(', ')}${more}`);
  }
  if (groups.size > maxGroups) lines.push(`  … and ${String(groups.size - maxGroups)} more kinds of error`);
  if (counts.ambiguous + unfinished > 0 && !report.testOnly) {
    const open = counts.ambiguous + unfinished;
    lines.push(
      `  ${String(open)} ${open === 1 ? 'entry is' : 'entries are'} not finished (no answer, or not sent yet): ` +
        'run the same apply with --resume to read them back and send only what is missing',
    );
  }
  return lines.join('\n');
}
