import type { EntryKind } from '../plan/plan-types.js';
import type { EntryState, JournalRow } from '../state/journal.js';
import type { ReadBackStats } from './org-read-back.js';

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
  /** A held entry: why the safety limits hold it. */
  heldBecause?: string;
  /** A pending entry that waits for these entries to succeed (they free the email it takes). */
  waitsFor?: string[];
}

/** A journal row as the run report shows it (the held reason only while it is still held). */
export function outcomeOf(row: JournalRow): EntryOutcomeRecord {
  const record: EntryOutcomeRecord = {
    id: row.id,
    kind: row.entry.kind,
    user: row.entry.target.user,
    state: row.state,
    reconciled: row.reconciled,
    attempts: row.attempts,
  };
  if (row.entry.target.domain !== undefined) record.domain = row.entry.target.domain;
  if (row.errorCode !== undefined) record.errorCode = row.errorCode;
  if (row.message !== undefined) record.message = row.message;
  if (row.entry.held !== undefined && row.state === 'held') record.heldBecause = row.entry.held.reason;
  return record;
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
  /** Requests that carried actions. */
  requests: number;
  /** What learning the outcome of the entries an earlier run left unanswered cost this run. */
  readBack: ReadBackStats;
  retries: number;
  throttled: number;
  totalRetryDelayMs: number;
  entries: EntryOutcomeRecord[];
}

/**
 * How a run ended: `complete` (every entry succeeded), `held` (all else succeeded; destructive entries wait for
 * `--release-held`), `incomplete` (something failed, is partial, unknown or left to send).
 */
export function runOutcome(report: RunReport): 'complete' | 'held' | 'incomplete' {
  const { counts } = report;
  if (counts.failed + counts.partial + counts.ambiguous + counts.pending + counts.sent > 0)
    return 'incomplete';
  return counts.held > 0 ? 'held' : 'complete';
}

/** Whether every entry of the run's journal succeeded (nothing failed, held, unknown or left to send). */
export function isComplete(report: RunReport): boolean {
  return runOutcome(report) === 'complete';
}
