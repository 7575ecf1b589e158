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

export function formatRunReport(report: RunReport, options: { maxErrors?: number } = {}): string {
  const { counts } = report;
  const lines = [
    `Sync apply${report.testOnly ? ' (TEST MODE: nothing was changed)' : ''}: ${String(counts.total)} entries in ` +
      `${(report.durationMs / 1000).toFixed(1)} s`,
    `  succeeded ${String(counts.succeeded)}, failed ${String(counts.failed)}, ambiguous ${String(counts.ambiguous)}, ` +
      `pending ${String(counts.pending + counts.sent)}`,
    `  sent this run ${String(counts.sentThisRun)}, reconciled by read-back ${String(counts.reconciledThisRun)}`,
    `  requests ${String(report.requests)}, retries ${String(report.retries)}, 429s ${String(report.throttled)}, ` +
      `waited ${(report.totalRetryDelayMs / 1000).toFixed(1)} s`,
  ];
  const bad = report.entries.filter((entry) => entry.state === 'failed' || entry.state === 'ambiguous');
  const maxErrors = options.maxErrors ?? 20;
  for (const entry of bad.slice(0, maxErrors)) {
    lines.push(
      `  ${entry.state} ${entry.kind} ${entry.user}: ` +
        [entry.errorCode, entry.message].filter((part) => part !== undefined).join(' '),
    );
  }
  if (bad.length > maxErrors) lines.push(`  … and ${String(bad.length - maxErrors)} more`);
  return lines.join('\n');
}
