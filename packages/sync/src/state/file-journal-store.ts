import type { Plan } from '../plan/plan-types.js';
import { Journal, type EntryState, type JournalRow } from './journal.js';
import type { ApplyJournal, HeldOrgLock, JournalStore, TransitionDetails } from './journal-store.js';
import { OrgLock, type LockOptions } from './locks.js';

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Runs a synchronous write as a settled promise (its error as the rejection). */
function settled(write: () => void): Promise<void> {
  try {
    write();
    return Promise.resolve();
  } catch (error) {
    return Promise.reject(asError(error));
  }
}

/**
 * The SQLite journal file (`Journal`) behind the `ApplyJournal` interface. Each write happens when it is called,
 * exactly as the synchronous journal writes it (moves return nothing to wait for).
 */
export class FileJournal implements ApplyJournal {
  readonly #journal: Journal;
  constructor(journal: Journal) {
    this.#journal = journal;
  }
  get location(): string {
    return this.#journal.path;
  }
  acquireLock(options?: LockOptions): Promise<void> {
    return settled(() => {
      this.#journal.acquireLock(options);
    });
  }
  forceUnlock(): Promise<void> {
    return settled(() => {
      this.#journal.forceUnlock();
    });
  }
  rows(states?: readonly EntryState[]): JournalRow[] {
    return this.#journal.rows(states);
  }
  has(id: string): boolean {
    return this.#journal.has(id);
  }
  state(id: string): EntryState {
    return this.#journal.state(id);
  }
  counts(): Record<EntryState, number> {
    return this.#journal.counts();
  }
  /** Written (or refused, as a throw) before it returns, as the synchronous journal writes it. */
  transition(id: string, to: EntryState, details?: TransitionDetails): undefined {
    this.#journal.transition(id, to, details);
    return undefined;
  }
  close(): Promise<void> {
    return settled(() => {
      this.#journal.close();
    });
  }
}

/**
 * Journals as SQLite files (one per plan, at the path the caller picks) and org locks as kernel locks on files in
 * one folder of this machine (see `OrgLock`): the embedded default.
 */
export class FileJournalStore implements JournalStore {
  readonly #lockDirectory: string | undefined;
  /** `lockDirectory`: where org locks live (required to lock an org). */
  constructor(lockDirectory?: string) {
    this.#lockDirectory = lockDirectory;
  }

  openJournal(plan: Plan, where: { orgId: string; path: string }): Promise<ApplyJournal> {
    try {
      return Promise.resolve(new FileJournal(Journal.open(where.path, plan)));
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }

  lockOrg(
    orgId: string,
    holder: { runId: string; journal: string },
    options: Pick<LockOptions, 'pid' | 'host'> = {},
  ): Promise<HeldOrgLock> {
    const directory = this.#lockDirectory;
    if (directory === undefined) return Promise.reject(new Error('no org lock folder was given'));
    try {
      const lock = OrgLock.acquire(directory, orgId, holder.journal, options);
      return Promise.resolve({
        holder: { ...lock.owner, since: lock.owner.acquiredAt, runId: holder.runId },
        release: () =>
          settled(() => {
            lock.release();
          }),
      });
    } catch (error) {
      return Promise.reject(asError(error));
    }
  }
}
