import type { Action, ActionOutcome } from '@umapi-kit/client';
import type { Plan } from '../plan/plan-types.js';
import { entryToAction } from './entry-action.js';
import type { EntryKind } from '../plan/plan-types.js';
import { Journal, type JournalRow, type LockOptions } from './journal.js';
import { OrgLock } from './org-lock.js';
import { reconcileEntry } from './reconcile-entry.js';
import type { EntryOutcomeRecord, RunReport } from './run-report.js';
import type { SyncClient } from './sync-client.js';

/** Adobe-only removals first (they free emails), then updates (which may move emails), then creates. */
const PHASES: readonly (readonly EntryKind[])[] = [
  ['remove-from-org', 'delete-account', 'remove-all-groups', 'remove-mapped-groups'],
  ['update'],
  ['create'],
];

export interface ApplyProgress {
  done: number;
  total: number;
  succeeded: number;
  failed: number;
}

export interface ApplyOptions {
  /** The journal file (required unless `testOnly`, which journals in memory). */
  journalPath: string;
  signal?: AbortSignal;
  /** Send with `testOnly=true`: the server validates, changes nothing; the on-disk journal is not touched. */
  testOnly?: boolean;
  onProgress?: (progress: ApplyProgress) => void;
  /** Milliseconds clock for the report (injectable for tests). */
  now?: () => number;
  lock?: LockOptions;
  /** Remove any existing lock first (the operator knows the other run is dead, e.g. on another host). */
  forceUnlock?: boolean;
  /**
   * Also lock the org (a lock file in `directory`), so two applies with different journals cannot change the
   * same org at once from this machine. Not taken in test mode.
   */
  orgLock?: { directory: string; orgId: string };
}

/**
 * Applies a plan with a journal: every entry is recorded `sent` before its request leaves and
 * `succeeded`/`failed` from its outcome. Run again on the same journal to resume after a crash or Ctrl-C:
 * finished entries are skipped; entries left `sent`/`ambiguous` are read back and re-sent only if not applied.
 */
export async function applyPlan(plan: Plan, client: SyncClient, options: ApplyOptions): Promise<RunReport> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const testOnly = options.testOnly ?? false;
  const journalPath = testOnly ? ':memory:' : options.journalPath;
  const orgLock =
    options.orgLock === undefined || testOnly
      ? undefined
      : OrgLock.acquire(options.orgLock.directory, options.orgLock.orgId, journalPath, {
          ...options.lock,
          force: options.forceUnlock === true,
        });
  let journal: Journal;
  try {
    journal = Journal.open(journalPath, plan);
  } catch (error) {
    orgLock?.release();
    throw error;
  }
  try {
    if (options.forceUnlock === true) journal.forceUnlock();
    journal.acquireLock(options.lock);
    let reconciledThisRun = 0;
    for (const row of journal.rows(['sent', 'ambiguous'])) {
      options.signal?.throwIfAborted();
      let applied: boolean;
      try {
        applied = await reconcileEntry(row.entry, client, options.signal);
      } catch (error) {
        if (options.signal?.aborted === true) throw error;
        journal.transition(row.id, 'ambiguous', {
          message: `could not read the user back to learn the outcome: ${(error as Error).message}`,
        });
        continue;
      }
      reconciledThisRun += 1;
      journal.transition(row.id, applied ? 'succeeded' : 'pending', { reconciled: true });
    }

    const pending = journal.rows(['pending']);
    const counts = journal.counts();
    const total = pending.length + counts.succeeded + counts.failed + counts.ambiguous;
    const progress: ApplyProgress = {
      done: counts.succeeded + counts.failed + counts.ambiguous,
      total,
      succeeded: counts.succeeded,
      failed: counts.failed,
    };
    const ids = new Set(pending.map((row) => row.id));
    let sentThisRun = 0;
    const failedToBuild: { id: string; message: string }[] = [];
    async function* actions(rows: readonly JournalRow[]): AsyncIterable<Action> {
      for (const row of rows) {
        // Stopped: what was not handed over stays `pending` for the resume.
        if (options.signal?.aborted === true) return;
        let action: Action;
        try {
          action = entryToAction(row.entry);
        } catch (error) {
          failedToBuild.push({ id: row.id, message: (error as Error).message });
          continue;
        }
        // Durable before the request that carries it can leave.
        journal.transition(row.id, 'sent');
        sentThisRun += 1;
        yield action;
        await Promise.resolve();
      }
    }
    const onOutcome = (outcome: ActionOutcome): void => {
      const id = outcome.action.requestId;
      // Only entries this run sent, and only their first outcome.
      if (id === undefined || !ids.has(id) || journal.state(id) !== 'sent') return;
      if (outcome.status === 'failed' && outcome.unanswered === true) {
        // No answer (Ctrl-C, network, retries exhausted, throttled): it may or may not have been applied.
        // `ambiguous` makes the next run read the user back and re-send only if it was not.
        journal.transition(id, 'ambiguous', { errorCode: outcome.errorCode, message: outcome.message });
        progress.failed += 1;
      } else if (outcome.status === 'failed') {
        journal.transition(id, 'failed', {
          errorCode: outcome.errorCode,
          message: outcome.message,
          reconciled: outcome.reconciled,
        });
        progress.failed += 1;
      } else {
        journal.transition(id, 'succeeded', { reconciled: outcome.reconciled });
        progress.succeeded += 1;
      }
      progress.done += 1;
      options.onProgress?.({ ...progress });
    };
    const executeOptions: Parameters<SyncClient['execute']>[1] = {
      testOnly,
      collectOutcomes: false,
      onOutcome,
    };
    if (options.signal !== undefined) executeOptions.signal = options.signal;
    // One phase after the other: requests within a phase may run concurrently and the service does not promise
    // an order across requests, so an email freed by a removal must be free before an update or create reuses it.
    const totals = { requests: 0, retries: 0, throttled: 0, totalRetryDelayMs: 0 };
    for (const phase of PHASES) {
      const rows = pending.filter((row) => phase.includes(row.entry.kind));
      if (rows.length === 0) continue;
      const result = await client.execute(actions(rows), executeOptions);
      totals.requests += result.totals.requests;
      totals.retries += result.totals.retries;
      totals.throttled += result.totals.throttled;
      totals.totalRetryDelayMs += result.totals.totalRetryDelayMs;
      if (options.signal?.aborted === true) break;
    }
    for (const { id, message } of failedToBuild) {
      journal.transition(id, 'sent');
      journal.transition(id, 'failed', { errorCode: 'invalid_entry', message });
    }
    const finishedAt = now();
    const finalCounts = journal.counts();
    const entries = journal.rows().map((row): EntryOutcomeRecord => {
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
      return record;
    });
    const incomplete = finalCounts.failed + finalCounts.ambiguous + finalCounts.pending + finalCounts.sent;
    return {
      kind: 'sync-run-report',
      version: 1,
      testOnly,
      journalPath,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      counts: { ...finalCounts, total: entries.length, sentThisRun, reconciledThisRun },
      requests: totals.requests,
      retries: totals.retries,
      throttled: totals.throttled,
      totalRetryDelayMs: totals.totalRetryDelayMs,
      entries,
      exitCode: incomplete > 0 ? 3 : 0,
    };
  } finally {
    journal.close();
    orgLock?.release();
  }
}
