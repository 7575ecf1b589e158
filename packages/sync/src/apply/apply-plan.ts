import {
  resolveLostAnswer,
  type Action,
  type ActionOutcome,
  type ExecuteOptions,
  type UmapiService,
  type WireCommand,
} from '@umapi-kit/client';
import type { EntryKind, Plan, PlanEntry } from '../plan/plan-types.js';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Journal, type JournalRow } from '../state/journal.js';
import type { LockOptions } from '../state/locks.js';
import { FileJournal, FileJournalStore } from '../state/file-journal-store.js';
import {
  journalKey,
  type ApplyJournal,
  type HeldOrgLock,
  type JournalStore,
} from '../state/journal-store.js';
import type { AccountBinding, StateStore } from '../state/state-store.js';
import { entryToAction } from './entry-action.js';
import { exclusionOf } from './exclusions.js';
import { orgReadBack, type ReadBackStats } from './org-read-back.js';
import { refusalReason } from './refusal-reason.js';
import { outcomeOf, type EntryOutcomeRecord, type RunReport } from './run-report.js';

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
  /**
   * Remove the journal's lock first (the operator knows the run that holds it is dead, e.g. on another host).
   * The org lock needs no forcing: the kernel frees it when its holder ends.
   */
  forceUnlock?: boolean;
  /**
   * Also lock the org, so two applies with different journals cannot change the same org at once: with the file
   * journals, a kernel lock on a file in `directory` (see `OrgLock`, this machine only); with `journals`, that
   * store's lock (e.g. PostgreSQL's, across hosts). Not taken in test mode.
   */
  orgLock?: { directory?: string; orgId: string };
  /**
   * Where the journal and the org lock live (default: the SQLite file `journalPath` and file locks in
   * `orgLock.directory`). A database store finds the journal by the plan's digest and the org instead of a path.
   */
  journals?: JournalStore;
  /** Names this run in the org lock's holder record and in the run history (default: a random UUID). */
  runId?: string;
  /** Send the entries the safety limits held (they stay held otherwise). */
  releaseHeld?: boolean;
  /** Where anchors are re-bound as entries succeed, and the run is recorded. */
  state?: { store: StateStore; orgId: string };
  /** Multi-org plans: the client of each secondary org, by the name its entries carry in `org`. */
  orgClients?: ReadonlyMap<string, UmapiService>;
}

/**
 * How often one run reads back and re-sends the lost answers of a phase before leaving them to a resume (it also
 * stops as soon as a round learns nothing: the org cannot be read, or every lost entry stays unknown).
 */
const LOST_ANSWER_ROUNDS = 10;

/** A journal row to send, and the action that sends it (the rest of a partly applied entry, after a resume). */
interface ToSend {
  row: JournalRow;
  action: Action;
}

/**
 * Applies a plan with a journal: every entry is recorded `sent` before its request leaves, and from its outcome
 * `succeeded`, `partial` (the account changed, a later step failed), `failed` (the server refused it),
 * `ambiguous` (no answer: it may have been applied) or `pending` again (it never reached the server). Held
 * entries wait for `releaseHeld`; an entry whose exclusion rules match (checked again here, whatever the file
 * says) is never sent; an entry waits for the entries that free its email. Run again on the same journal to
 * resume: finished entries are skipped; `sent`, `ambiguous` and `partial` ones are resolved by the client's
 * lost-answer rule, reading back even idempotent entries (only their missing steps are sent). Returns the run
 * report; it never picks an exit code or writes to a terminal.
 */
export async function applyPlan(plan: Plan, client: UmapiService, options: ApplyOptions): Promise<RunReport> {
  // Multi-org: an entry goes to its org's client; reads back and sends are made per org.
  const clientOf = (org: string | undefined): UmapiService => {
    if (org === undefined) return client;
    const found = options.orgClients?.get(org);
    if (found === undefined)
      throw new Error(`the plan has entries for org "${org}", but no client was given for it`);
    return found;
  };
  for (const entry of plan.entries) clientOf(entry.org);
  const byOrg = <T>(items: readonly T[], rowOf: (item: T) => JournalRow): [string | undefined, T[]][] => {
    const groups = new Map<string | undefined, T[]>();
    for (const item of items) {
      const org = rowOf(item).entry.org;
      groups.set(org, [...(groups.get(org) ?? []), item]);
    }
    // Secondaries first: they are changed before the primary.
    return [...groups].sort(([a], [b]) => (a === undefined ? 1 : 0) - (b === undefined ? 1 : 0));
  };
  const resolveAll = async (rows: readonly JournalRow[]) => {
    const all = {
      resend: [] as ToSend[],
      reconciledThisRun: 0,
      readBack: { accounts: 0, requests: 0, listed: false },
    };
    for (const [org, group] of byOrg(rows, (row) => row)) {
      const one = await resolveUnfinished(
        journal,
        group,
        clientOf(org),
        plan.stats.adobeUsersRead,
        options.signal,
      );
      all.resend.push(...one.resend);
      all.reconciledThisRun += one.reconciledThisRun;
      all.readBack.accounts += one.readBack.accounts;
      all.readBack.requests += one.readBack.requests;
      all.readBack.listed ||= one.readBack.listed;
    }
    return all;
  };
  const now = options.now ?? Date.now;
  const startedAt = now();
  const testOnly = options.testOnly ?? false;
  const journalPath = testOnly ? ':memory:' : options.journalPath;
  const runId = options.runId ?? randomUUID();
  const journals = options.journals ?? new FileJournalStore(options.orgLock?.directory);
  const orgId = options.orgLock?.orgId ?? options.state?.orgId ?? plan.origin?.orgId ?? '';
  const orgLock: HeldOrgLock | undefined =
    options.orgLock === undefined || testOnly
      ? undefined
      : await journals.lockOrg(
          options.orgLock.orgId,
          // A store that finds journals by plan names the plan; the file journals name their file.
          {
            runId,
            journal: options.journals === undefined ? journalPath : `plan ${journalKey(plan).slice(0, 16)}`,
          },
          options.lock,
        );
  let journal: ApplyJournal;
  try {
    // Test mode changes nothing: its journal is in memory whatever the store.
    journal = testOnly
      ? new FileJournal(Journal.open(':memory:', plan))
      : await journals.openJournal(plan, { orgId, path: journalPath });
  } catch (error) {
    await orgLock?.release();
    throw error;
  }
  const bindings: [string, AccountBinding][] = [];
  const flushBindings = async (): Promise<void> => {
    if (options.state === undefined || bindings.length === 0 || testOnly) return;
    await options.state.store.bindAnchors(options.state.orgId, bindings.splice(0));
  };
  try {
    if (options.forceUnlock === true) await journal.forceUnlock();
    await journal.acquireLock(options.lock);
    if (options.releaseHeld === true)
      for (const row of journal.rows(['held'])) await journal.transition(row.id, 'pending');
    // Refused only because they ran before the entries that free their address (as an earlier version could):
    // nothing of them was applied, so they go back to wait for their turn.
    for (const row of failedBeforeTheirTurn(journal, journal.rows(['failed'])))
      await journal.transition(row.id, 'pending');
    const resolved = await resolveAll(journal.rows(['sent', 'ambiguous', 'partial']));
    const { resend } = resolved;
    let { reconciledThisRun } = resolved;
    const readBack = { ...resolved.readBack };

    const toSend: ToSend[] = [...resend];
    for (const row of journal.rows(['pending'])) {
      const excluded = exclusionOf(row.entry, plan.exclusions);
      let action: Action | undefined;
      let refusal = excluded === undefined ? undefined : `${excluded}: never touched, whatever the plan says`;
      try {
        action = entryToAction(row.entry);
      } catch (error) {
        // An entry the client's rules refuse (e.g. written by hand): it fails here, nothing is sent for it.
        refusal ??= (error as Error).message;
      }
      if (refusal !== undefined || action === undefined) {
        await journal.transition(row.id, 'sent');
        await journal.transition(row.id, 'failed', {
          errorCode: excluded === undefined ? 'invalid_entry' : 'excluded',
          message: refusal,
        });
        continue;
      }
      toSend.push({ row, action });
    }
    toSend.sort((a, b) => a.row.seq - b.row.seq);
    const counts = journal.counts();
    const finished = counts.succeeded + counts.failed + counts.ambiguous + counts.partial;
    const progress: ApplyProgress = {
      done: finished - resend.length,
      total: toSend.length + finished - resend.length,
      succeeded: counts.succeeded,
      failed: counts.failed,
    };
    let sentThisRun = 0;
    const handedOver = new Set<string>();
    // The first journal write that failed (e.g. the disk is full): nothing more is handed over, and it is thrown
    // once the requests in flight are done (their rows stay `sent`, which a resume resolves).
    let journalFailure: Error | undefined;
    const stopped = (): boolean => options.signal?.aborted === true;
    async function* actions(rows: readonly ToSend[]): AsyncIterable<Action> {
      for (const { row, action } of rows) {
        // Stopped: what was not handed over stays as it is for the resume.
        if (options.signal?.aborted === true || journalFailure !== undefined) return;
        // Durable before the request that carries it can leave.
        try {
          const written = journal.transition(row.id, 'sent');
          if (written !== undefined) {
            await written;
            // Stopped while the write was made: it was never handed over, so it goes back for the resume to send.
            if (stopped()) {
              await journal.transition(row.id, 'pending');
              return;
            }
          }
        } catch (error) {
          journalFailure = error as Error;
          return;
        }
        handedOver.add(row.id);
        sentThisRun += 1;
        yield action;
        await Promise.resolve();
      }
    }
    const entries = new Map(toSend.map(({ row }) => [row.id, row.entry]));
    // The moves outcomes make: each is made (and read back by `state`) when it is called; a backend whose writes
    // finish later has them awaited after each request batch, before anything more is handed over.
    let outcomeWrites: Promise<void>[] = [];
    const track = (write: Promise<void> | undefined): void => {
      if (write === undefined) return;
      outcomeWrites.push(
        write.catch((error: unknown) => {
          journalFailure ??= error as Error;
        }),
      );
    };
    const settleOutcomes = async (): Promise<void> => {
      const writes = outcomeWrites;
      outcomeWrites = [];
      await Promise.all(writes);
    };
    const onOutcome = (outcome: ActionOutcome): void => {
      try {
        recordOutcome(outcome);
      } catch (error) {
        journalFailure ??= error as Error;
      }
    };
    const recordOutcome = (outcome: ActionOutcome): void => {
      const id = outcome.action.requestId;
      // Only entries this run sent, and only their first outcome.
      if (id === undefined || !handedOver.has(id) || journal.state(id) !== 'sent') return;
      const details = {
        errorCode: outcome.errorCode,
        message: refusalReason(outcome.errorCode, outcome.message),
        reconciled: outcome.reconciled,
      };
      if (outcome.status !== 'failed') {
        track(journal.transition(id, 'succeeded', { reconciled: outcome.reconciled }));
        const entry = entries.get(id);
        if (entry?.anchor !== undefined && entry.bindAs !== undefined)
          bindings.push([entry.anchor, entry.bindAs]);
        progress.succeeded += 1;
      } else if (outcome.delivery === 'not-sent') {
        // It never reached the server (stopped, IMS down, retries of 429 used up): send it next time.
        track(journal.transition(id, 'pending', details));
        return;
      } else if (outcome.delivery === 'maybe-applied') {
        // The next run resolves it before sending anything again.
        track(journal.transition(id, 'ambiguous', details));
        progress.failed += 1;
      } else if ((outcome.step ?? 0) > 0) {
        // The server ran the steps before the failing one (it stops at the first failure).
        track(journal.transition(id, 'partial', { ...details, resumeStep: outcome.step ?? 0 }));
        progress.failed += 1;
      } else {
        track(journal.transition(id, 'failed', details));
        progress.failed += 1;
      }
      progress.done += 1;
      options.onProgress?.({ ...progress });
    };
    // Lost answers are read back after each phase, together (see resolveUnfinished), not one account at a time.
    const executeOptions: ExecuteOptions = {
      testOnly,
      collectOutcomes: false,
      onOutcome,
      readBack: 'caller',
    };
    if (options.signal !== undefined) executeOptions.signal = options.signal;
    // One phase after the other: requests within a phase may run concurrently and the service does not promise
    // an order across requests, so an email freed by a removal must be free before an update or create reuses it.
    // Within a phase, an entry that takes an address another entry frees waits for that entry to succeed.
    const totals = { requests: 0, retries: 0, throttled: 0, totalRetryDelayMs: 0 };
    const waiting: { row: JournalRow; on: string[] }[] = [];
    // Multi-org: every secondary org is done, phase by phase, before the primary (whose removals come last).
    const passes = [
      ...new Set(plan.entries.map((entry) => entry.org).filter((org) => org !== undefined)),
      undefined,
    ];
    for (const { pass, phase } of passes.flatMap((org) =>
      PHASES.map((kinds) => ({ pass: org, phase: kinds })),
    )) {
      let rows = toSend.filter(({ row }) => phase.includes(row.entry.kind) && row.entry.org === pass);
      for (let round = 0; ; round += 1) {
        while (rows.length > 0 && options.signal?.aborted !== true) {
          const ready = rows.filter(({ row }) => blockersOf(row.entry, journal, testOnly).length === 0);
          if (ready.length === 0) break;
          for (const [org, group] of byOrg(ready, (item) => item.row)) {
            const result = await clientOf(org).execute(actions(group), executeOptions);
            await settleOutcomes();
            if (journalFailure !== undefined) throw journalFailure;
            totals.requests += result.totals.requests;
            totals.retries += result.totals.retries;
            totals.throttled += result.totals.throttled;
            totals.totalRetryDelayMs += result.totals.totalRetryDelayMs;
          }
          await flushBindings();
          rows = rows.filter((item) => !ready.includes(item));
          // Defensive: a refusal that came before the entries it waits for had succeeded goes back in line.
          const early = failedBeforeTheirTurn(
            journal,
            journal.rows(['failed']).filter((row) => handedOver.has(row.id)),
          );
          for (const row of early) {
            await journal.transition(row.id, 'pending');
            progress.failed -= 1;
            progress.done -= 1;
            const action = entryToAction(row.entry);
            entries.set(row.id, row.entry);
            rows.push({ row, action });
          }
        }
        // Answers of this phase that were lost: read back together, and what is missing is sent again.
        const lost = journal
          .rows(['ambiguous'])
          .filter(
            (row) => handedOver.has(row.id) && phase.includes(row.entry.kind) && row.entry.org === pass,
          );
        if (lost.length === 0 || round >= LOST_ANSWER_ROUNDS || options.signal?.aborted === true) break;
        const again = await resolveAll(lost);
        reconciledThisRun += again.reconciledThisRun;
        readBack.accounts += again.readBack.accounts;
        readBack.requests += again.readBack.requests;
        readBack.listed ||= again.readBack.listed;
        // Nothing learned (reads failing too): leave them to a resume rather than read again at once.
        if (again.resend.length === 0 && again.reconciledThisRun === 0) break;
        for (const item of again.resend) entries.set(item.row.id, item.row.entry);
        rows = [...rows, ...again.resend];
        await flushBindings();
      }
      for (const { row } of rows) waiting.push({ row, on: blockersOf(row.entry, journal, testOnly) });
      if (options.signal?.aborted === true) break;
    }
    // Every succeeded entry's anchor, also those finished by a read-back or by an earlier run whose state store
    // could not be written (binding is idempotent): a resume leaves the store as one uninterrupted run would.
    bindings.length = 0;
    for (const row of journal.rows(['succeeded'])) {
      if (row.entry.anchor !== undefined && row.entry.bindAs !== undefined)
        bindings.push([row.entry.anchor, row.entry.bindAs]);
    }
    await flushBindings();
    const finishedAt = now();
    const finalCounts = journal.counts();
    const blocked = new Map(waiting.map(({ row, on }) => [row.id, on]));
    const records = journal.rows().map((row): EntryOutcomeRecord => {
      const record = outcomeOf(row);
      const on = blocked.get(row.id);
      if (on !== undefined && on.length > 0) record.waitsFor = on;
      return record;
    });
    const report: RunReport = {
      kind: 'sync-run-report',
      version: 1,
      testOnly,
      journalPath: journal.location,
      startedAt: new Date(startedAt).toISOString(),
      finishedAt: new Date(finishedAt).toISOString(),
      durationMs: finishedAt - startedAt,
      counts: { ...finalCounts, total: records.length, sentThisRun, reconciledThisRun },
      requests: totals.requests,
      readBack,
      retries: totals.retries,
      throttled: totals.throttled,
      totalRetryDelayMs: totals.totalRetryDelayMs,
      entries: records,
    };
    if (options.state !== undefined && !testOnly) {
      const open =
        finalCounts.failed +
        finalCounts.ambiguous +
        finalCounts.pending +
        finalCounts.sent +
        finalCounts.partial;
      await options.state.store.recordRun({
        orgId: options.state.orgId,
        kind: 'apply',
        startedAt: report.startedAt,
        finishedAt: report.finishedAt,
        outcome: open > 0 ? 'incomplete' : finalCounts.held > 0 ? 'held' : 'complete',
        ...(plan.digest === undefined ? {} : { planDigest: plan.digest }),
        counts: { ...finalCounts },
        runId,
        host: options.lock?.host ?? hostname(),
        pid: options.lock?.pid ?? process.pid,
        durationMs: report.durationMs,
        requests: report.requests,
        retries: report.retries,
        throttled: report.throttled,
        held: finalCounts.held,
      });
    }
    return report;
  } finally {
    await flushBindings().catch(() => undefined);
    try {
      await journal.close();
    } finally {
      await orgLock?.release();
    }
  }
}

/** The refusals that mean "the address is taken": what an entry gets when it runs before the one freeing it. */
const ADDRESS_IN_USE = new Set(['error.user.email.name_in_use', 'error.user.name_in_use']);

/**
 * Failed entries whose refusal came before their turn: refused with "address in use" while an entry they wait
 * for (`after`: it frees that address) had not yet succeeded — it is still not `succeeded`, or became so only
 * after the refusal. Such a refusal says nothing about the entry; a refusal after its turn is final.
 */
function failedBeforeTheirTurn(journal: ApplyJournal, failed: readonly JournalRow[]): JournalRow[] {
  const candidates = failed.filter(
    (row) => ADDRESS_IN_USE.has(row.errorCode ?? '') && (row.entry.after ?? []).length > 0,
  );
  if (candidates.length === 0) return [];
  const all = new Map(journal.rows().map((row) => [row.id, row]));
  return candidates.filter((row) =>
    (row.entry.after ?? []).some((id) => {
      const freer = all.get(id);
      return freer !== undefined && (freer.state !== 'succeeded' || freer.updatedAt > row.updatedAt);
    }),
  );
}

/**
 * The entries this one waits for: those that free the email it takes and have not succeeded. In test mode
 * nothing changes, so nothing waits.
 */
function blockersOf(entry: PlanEntry, journal: ApplyJournal, testOnly: boolean): string[] {
  if (testOnly) return [];
  return (entry.after ?? []).filter((id) => journal.has(id) && journal.state(id) !== 'succeeded');
}

/**
 * Entries an earlier run handed over without learning their outcome (`sent`: it stopped; `ambiguous`: no
 * answer), and entries it left `partial`. Each is resolved by the client's rule, idempotent ones too (exactly
 * once: nothing the server applied is sent again): read back (one by one, or from one listing of the org when
 * that takes fewer requests) and found done, sent again (all of it, or its missing steps), or still unknown (it stays
 * `ambiguous`).
 */
async function resolveUnfinished(
  journal: ApplyJournal,
  rows: readonly JournalRow[],
  client: UmapiService,
  orgSize: number,
  signal: AbortSignal | undefined,
): Promise<{ resend: ToSend[]; reconciledThisRun: number; readBack: ReadBackStats }> {
  const unfinished: { row: JournalRow; action: Action }[] = [];
  for (const row of rows) {
    try {
      unfinished.push({ row, action: entryToAction(row.entry) });
    } catch (error) {
      await journal.transition(row.id, 'failed', {
        errorCode: 'invalid_entry',
        message: (error as Error).message,
      });
    }
  }
  // Every one is read back, idempotent or not: what the server applied is never sent again (exactly once).
  const accounts = unfinished.length;
  const { reader, stats } = orgReadBack(client, { accounts, orgSize, signal });
  const resend: ToSend[] = [];
  let reconciledThisRun = 0;
  for (const { row, action } of unfinished) {
    signal?.throwIfAborted();
    let resolution;
    try {
      // The whole entry: the read-back finds which of its steps are in effect (and how the account is called now).
      // The new email an entry takes was free when planned, or freed by the entries it waited for.
      resolution = await resolveLostAnswer(action.toWire(), reader, signal, {
        readIdempotent: true,
        newAddressWasFree: true,
      });
    } catch (error) {
      if (signal?.aborted === true) throw error;
      await journal.transition(row.id, row.state === 'partial' ? 'partial' : 'ambiguous', {
        message: `could not read the user back to learn the outcome: ${(error as Error).message}`,
        ...(row.resumeStep === undefined ? {} : { resumeStep: row.resumeStep }),
      });
      continue;
    }
    if (resolution.kind === 'applied') {
      reconciledThisRun += 1;
      await journal.transition(row.id, row.state === 'partial' ? 'sent' : 'succeeded', { reconciled: true });
      if (row.state === 'partial') await journal.transition(row.id, 'succeeded', { reconciled: true });
    } else if (resolution.kind === 'resend') {
      if (resolution.readBack) reconciledThisRun += 1;
      if (row.state !== 'partial')
        await journal.transition(row.id, 'ambiguous', { reconciled: resolution.readBack });
      resend.push({ row, action: wireAction(action, resolution.command) });
    } else {
      await journal.transition(row.id, row.state === 'partial' ? 'partial' : 'ambiguous', {
        message: resolution.reason,
      });
    }
  }
  return { resend, reconciledThisRun, readBack: stats };
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
