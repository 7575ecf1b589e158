import type { Plan } from '../plan/plan-types.js';
import { planFingerprint, type EntryState, type JournalRow } from './journal.js';
import type { LockOptions } from './locks.js';

/** What a move of an entry may record besides its new state. */
export interface TransitionDetails {
  errorCode?: string | undefined;
  message?: string | undefined;
  reconciled?: boolean;
  resumeStep?: number;
}

/**
 * The apply journal as the applier uses it, whatever keeps it: one row per plan entry and its state. Reads are
 * synchronous (a backend keeps what it needs at hand: the run holding the org lock is the only writer); every
 * move is durable once its promise resolves, so `sent` is awaited before the request carrying the entry leaves.
 * After a write the store refused, every later write is refused with the same error.
 */
export interface ApplyJournal {
  /** For messages: the file, or the store and plan the journal belongs to (never a password). */
  readonly location: string;
  /** Takes the journal's run lock (a second run on the same journal is refused with a `LockError`). */
  acquireLock(options?: LockOptions): Promise<void>;
  /** Removes a run lock left by a run known to be dead (where the backend's lock can be left behind at all). */
  forceUnlock(): Promise<void>;
  rows(states?: readonly EntryState[]): JournalRow[];
  has(id: string): boolean;
  state(id: string): EntryState;
  counts(): Record<EntryState, number>;
  /**
   * Moves an entry (checked against the journal's state machine) and makes the move durable: at once (a
   * synchronous backend returns undefined, or throws), or when the promise it returns resolves.
   */
  transition(id: string, to: EntryState, details?: TransitionDetails): Promise<void> | undefined;
  /** Releases the run lock and closes. */
  close(): Promise<void>;
}

/** Who holds an org lock: named in the refusal a second apply gets. */
export interface OrgLockHolder {
  pid: number;
  host: string;
  runId: string;
  /** The journal the holder applies. */
  journal: string;
  /** ISO time the lock was taken. */
  since: string;
}

/** A held org lock. */
export interface HeldOrgLock {
  readonly holder: OrgLockHolder;
  release(): Promise<void>;
}

/** Where journals and org locks live: files on this machine (the default) or a shared database. */
export interface JournalStore {
  /**
   * Opens (or creates) the journal of a plan for an org. A file backend keeps it at `path`; a database finds it
   * by the plan's digest and the org, so a copy of the plan file elsewhere finds the same journal.
   */
  openJournal(plan: Plan, where: { orgId: string; path: string }): Promise<ApplyJournal>;
  /**
   * Takes the org's lock: one apply per org at a time, among every run that shares this store's lock. Refused
   * with a `LockError` naming the holder.
   */
  lockOrg(
    orgId: string,
    holder: { runId: string; journal: string },
    options?: Pick<LockOptions, 'pid' | 'host'>,
  ): Promise<HeldOrgLock>;
}

/** The key a database finds a journal by: the plan's signed digest (its entries' fingerprint when unsigned). */
export function journalKey(plan: Plan): string {
  return plan.digest ?? planFingerprint(plan);
}
