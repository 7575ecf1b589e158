import {
  resolveLostAnswer,
  type Action,
  type ActionOutcome,
  type ExecuteOptions,
  type OrgReader,
  type UmapiService,
  type WireCommand,
} from '@umapi-kit/client';
import type { EntryKind, Plan } from '../plan/plan-types.js';
import { Journal, type JournalRow } from '../state/journal.js';
import { OrgLock, type LockOptions } from '../state/locks.js';
import { entryToAction } from './entry-action.js';
import type { EntryOutcomeRecord, RunReport } from './run-report.js';

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

/** A journal row to send, and the action that sends it (the rest of a partly applied entry, after a resume). */
interface ToSend {
  row: JournalRow;
  action: Action;
}

/**
 * Applies a plan with a journal: every entry is recorded `sent` before its request leaves, and from its outcome
 * `succeeded`, `failed` (the server refused it), `ambiguous` (no answer: it may have been applied) or `pending`
 * again (it never reached the server). Run again on the same journal to resume after a crash or Ctrl-C: finished
 * entries are skipped; entries left `sent`/`ambiguous` are resolved by the client's lost-answer rule (re-sent
 * when idempotent, else read back and only their missing steps sent). Returns the run report; it never picks an
 * exit code or writes to a terminal.
 */
export async function applyPlan(plan: Plan, client: UmapiService, options: ApplyOptions): Promise<RunReport> {
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
    const { resend, reconciledThisRun } = await resolveUnfinished(journal, client, options.signal);

    const toSend: ToSend[] = [...resend];
    for (const row of journal.rows(['pending'])) {
      try {
        toSend.push({ row, action: entryToAction(row.entry) });
      } catch (error) {
        // An entry the client's rules refuse (e.g. edited by hand): it fails here, nothing is sent for it.
        journal.transition(row.id, 'sent');
        journal.transition(row.id, 'failed', {
          errorCode: 'invalid_entry',
          message: (error as Error).message,
        });
      }
    }
    toSend.sort((a, b) => a.row.seq - b.row.seq);
    const counts = journal.counts();
    const progress: ApplyProgress = {
      done: counts.succeeded + counts.failed + counts.ambiguous - resend.length,
      total: toSend.length + counts.succeeded + counts.failed + counts.ambiguous - resend.length,
      succeeded: counts.succeeded,
      failed: counts.failed,
    };
    let sentThisRun = 0;
    const handedOver = new Set<string>();
    async function* actions(rows: readonly ToSend[]): AsyncIterable<Action> {
      for (const { row, action } of rows) {
        // Stopped: what was not handed over stays as it is for the resume.
        if (options.signal?.aborted === true) return;
        // Durable before the request that carries it can leave.
        journal.transition(row.id, 'sent');
        handedOver.add(row.id);
        sentThisRun += 1;
        yield action;
        await Promise.resolve();
      }
    }
    const onOutcome = (outcome: ActionOutcome): void => {
      const id = outcome.action.requestId;
      // Only entries this run sent, and only their first outcome.
      if (id === undefined || !handedOver.has(id) || journal.state(id) !== 'sent') return;
      const details = {
        errorCode: outcome.errorCode,
        message: outcome.message,
        reconciled: outcome.reconciled,
      };
      if (outcome.status !== 'failed') {
        journal.transition(id, 'succeeded', { reconciled: outcome.reconciled });
        progress.succeeded += 1;
      } else if (outcome.delivery === 'not-sent') {
        // It never reached the server (stopped, IMS down, retries of 429 used up): send it next time.
        journal.transition(id, 'pending', details);
        return;
      } else {
        // `maybe-applied`: the next run resolves it before sending anything again.
        journal.transition(id, outcome.delivery === 'maybe-applied' ? 'ambiguous' : 'failed', details);
        progress.failed += 1;
      }
      progress.done += 1;
      options.onProgress?.({ ...progress });
    };
    const executeOptions: ExecuteOptions = { testOnly, collectOutcomes: false, onOutcome };
    if (options.signal !== undefined) executeOptions.signal = options.signal;
    // One phase after the other: requests within a phase may run concurrently and the service does not promise
    // an order across requests, so an email freed by a removal must be free before an update or create reuses it.
    const totals = { requests: 0, retries: 0, throttled: 0, totalRetryDelayMs: 0 };
    for (const phase of PHASES) {
      const rows = toSend.filter(({ row }) => phase.includes(row.entry.kind));
      if (rows.length === 0) continue;
      const result = await client.execute(actions(rows), executeOptions);
      totals.requests += result.totals.requests;
      totals.retries += result.totals.retries;
      totals.throttled += result.totals.throttled;
      totals.totalRetryDelayMs += result.totals.totalRetryDelayMs;
      if (options.signal?.aborted === true) break;
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
    };
  } finally {
    journal.close();
    orgLock?.release();
  }
}

/**
 * Entries an earlier run handed over without learning their outcome (`sent`: it stopped; `ambiguous`: no answer).
 * Each is resolved by the client's rule: done (read back), to send (all of it, or its missing steps), or still
 * unknown (it stays `ambiguous`).
 */
async function resolveUnfinished(
  journal: Journal,
  client: UmapiService,
  signal: AbortSignal | undefined,
): Promise<{ resend: ToSend[]; reconciledThisRun: number }> {
  const reader: OrgReader = {
    user: (user, options) => client.users.get(user, options),
    groupExists: () => Promise.reject(new Error('a sync plan holds no user-group entries')),
  };
  const resend: ToSend[] = [];
  let reconciledThisRun = 0;
  for (const row of journal.rows(['sent', 'ambiguous'])) {
    signal?.throwIfAborted();
    let action: Action;
    try {
      action = entryToAction(row.entry);
    } catch (error) {
      journal.transition(row.id, 'failed', { errorCode: 'invalid_entry', message: (error as Error).message });
      continue;
    }
    let resolution;
    try {
      resolution = await resolveLostAnswer(action.toWire(), reader, signal);
    } catch (error) {
      if (signal?.aborted === true) throw error;
      journal.transition(row.id, 'ambiguous', {
        message: `could not read the user back to learn the outcome: ${(error as Error).message}`,
      });
      continue;
    }
    if (resolution.kind === 'applied') {
      reconciledThisRun += 1;
      journal.transition(row.id, 'succeeded', { reconciled: true });
    } else if (resolution.kind === 'resend') {
      if (resolution.readBack) reconciledThisRun += 1;
      journal.transition(row.id, 'ambiguous', { reconciled: resolution.readBack });
      resend.push({ row, action: wireAction(action, resolution.command) });
    } else {
      journal.transition(row.id, 'ambiguous', { message: resolution.reason });
    }
  }
  return { resend, reconciledThisRun };
}

/** An action that sends exactly `command` (the rest of an entry), with the entry's id. */
function wireAction(action: Action, command: WireCommand): Action {
  return {
    kind: action.kind,
    target: action.target,
    requestId: action.requestId,
    toWire: () => structuredClone(command),
  };
}
