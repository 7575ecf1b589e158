import type { EntryKind } from '../plan/plan-types.js';
import type { EntryState } from '../state/journal.js';

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
}

/** Whether every entry of the run's journal succeeded (nothing failed, unknown or left to send). */
export function isComplete(report: RunReport): boolean {
  const { counts } = report;
  return counts.failed + counts.ambiguous + counts.pending + counts.sent === 0;
}
