import { createHash } from 'node:crypto';
import { rmSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import Database from 'better-sqlite3';
import type { Plan, PlanEntry } from '../plan/plan-types.js';
import { isProcessAlive, isStaleLock, LockError, type LockOptions } from './locks.js';
import { describeFsError, isDiskRefusal } from '../fs-error.js';
import { checkSqliteFile, openSqliteFile, StateFileError, type SqliteFileKind } from './sqlite-file.js';

/**
 * `held`: a destructive entry the safety limits hold back, sent only after `--release-held`; `partial`: the
 * account was changed but a later step failed (e.g. created, but a group was missing); a resume sends the
 * steps from the failed one on.
 */
export type EntryState = 'pending' | 'held' | 'sent' | 'succeeded' | 'partial' | 'failed' | 'ambiguous';

/** `PRAGMA application_id` of a journal: "umj1". */
export const JOURNAL_APPLICATION_ID = 0x756d6a31;

const JOURNAL_FILE: SqliteFileKind = {
  applicationId: JOURNAL_APPLICATION_ID,
  what: 'journal',
  legacyTables: ['meta', 'entries'],
  advice: 'give --journal a new file name (or the journal umapi-kit wrote for this plan)',
};

/**
 * Throws a `ForeignFileError` when an existing file is not a umapi-kit journal (another program's SQLite file,
 * not SQLite at all, damaged or truncated), without writing to it.
 */
export function checkJournalFile(path: string): void {
  checkSqliteFile(path, JOURNAL_FILE);
}

/**
 * Allowed moves. `sent` goes back to `pending` when the request never reached the server; an `ambiguous` entry is
 * resolved on resume (read back, or sent again).
 */
export const ENTRY_TRANSITIONS: Readonly<Record<EntryState, readonly EntryState[]>> = {
  pending: ['sent'],
  held: ['pending'],
  sent: ['succeeded', 'partial', 'failed', 'ambiguous', 'pending'],
  ambiguous: ['succeeded', 'partial', 'failed', 'pending', 'ambiguous', 'sent'],
  partial: ['sent', 'partial'],
  succeeded: [],
  // Only for a refusal that came before an entry it waits for had succeeded (the address it takes was not free
  // yet): nothing of it was applied, and it goes back to be sent in its turn.
  failed: ['pending'],
};

export interface JournalRow {
  id: string;
  seq: number;
  entry: PlanEntry;
  state: EntryState;
  errorCode?: string;
  message?: string;
  reconciled: boolean;
  attempts: number;
  /** For a `partial` entry: the first step not applied (what a resume sends from). */
  resumeStep?: number;
  /** When the state was last changed (milliseconds since the epoch; 0 if never). */
  updatedAt: number;
}

/** A journal that cannot be used for this plan (another plan's, unreadable, or an entry moved the wrong way). */
export class JournalError extends Error {
  /** `other-plan`: the journal was written for different entries (callers may say what those came from). */
  readonly code: 'other-plan' | 'state';
  constructor(message: string, code: 'other-plan' | 'state' = 'state') {
    super(message);
    this.name = 'JournalError';
    this.code = code;
  }
}

/** The run that holds the lock of the journal at `path` (see `Journal.runningHolder`). */
export function runningApplyOf(
  path: string,
  options: LockOptions = {},
): { pid: number; host: string; since: string } | undefined {
  return Journal.runningHolder(path, options);
}

export function planFingerprint(plan: Plan): string {
  return createHash('sha256').update(JSON.stringify(plan.entries)).digest('hex');
}

interface RawRow {
  id: string;
  seq: number;
  body: string;
  state: EntryState;
  error_code: string | null;
  message: string | null;
  reconciled: number;
  attempts: number;
  resume_step: number | null;
  updated_at: number;
}

/**
 * The apply journal: one row per plan entry and its state, on SQLite in WAL mode with synchronous=FULL, so a
 * state written before a request leaves survives a crash. Also holds the run lock (pid + host).
 */
export class Journal {
  readonly path: string;
  readonly #db: Database.Database;
  #locked = false;
  /** The first write the disk refused: every later write is refused too. */
  #broken: StateFileError | undefined;
  #lockOwner: { pid: number; host: string } = { pid: process.pid, host: hostname() };

  private constructor(path: string, db: Database.Database) {
    this.path = path;
    this.#db = db;
  }

  /** Opens (or creates) the journal for a plan. A journal written for another plan is refused. */
  static open(path: string, plan: Plan): Journal {
    const isNew = path !== ':memory:' && !hasContent(path);
    let db: Database.Database;
    try {
      db = openSqliteFile(path, JOURNAL_FILE);
    } catch (error) {
      if (isNew && error instanceof StateFileError) removeJournalFiles(path);
      throw error;
    }
    try {
      return Journal.#prepare(path, db, plan);
    } catch (error) {
      if (db.open) db.close();
      // Nothing was sent yet: a disk that says no here is a refusal at start. A journal made just now is removed
      // again, so that the same command works once there is room (it would say the journal already exists).
      const refused = diskError(path, error, { action: isNew ? 'create' : 'write' });
      if (refused === undefined) throw error;
      if (isNew) removeJournalFiles(path);
      throw refused;
    }
  }

  static #prepare(path: string, db: Database.Database, plan: Plan): Journal {
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS entries (
        id TEXT PRIMARY KEY, seq INTEGER NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL,
        error_code TEXT, message TEXT, reconciled INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
        updated_at INTEGER NOT NULL DEFAULT 0);
      CREATE INDEX IF NOT EXISTS entries_state ON entries (state, seq);
      CREATE TABLE IF NOT EXISTS lock (one INTEGER PRIMARY KEY CHECK (one = 1), pid INTEGER NOT NULL,
        host TEXT NOT NULL, acquired_at INTEGER NOT NULL);
    `);
    const columns = (db.prepare('PRAGMA table_info(entries)').all() as { name: string }[]).map((c) => c.name);
    if (!columns.includes('resume_step')) db.exec('ALTER TABLE entries ADD COLUMN resume_step INTEGER');
    const journal = new Journal(path, db);
    const fingerprint = planFingerprint(plan);
    const existing = db.prepare('SELECT value FROM meta WHERE key = ?').get('plan') as
      { value: string } | undefined;
    if (existing === undefined) {
      const insert = db.prepare('INSERT INTO entries (id, seq, body, state) VALUES (?, ?, ?, ?)');
      db.transaction(() => {
        db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('plan', fingerprint);
        plan.entries.forEach((entry, seq) => {
          insert.run(entry.id, seq, JSON.stringify(entry), entry.held === undefined ? 'pending' : 'held');
        });
      })();
    } else if (existing.value !== fingerprint) {
      db.close();
      throw new JournalError(
        `journal ${path} belongs to a different plan; use a new journal file for this plan`,
        'other-plan',
      );
    }
    return journal;
  }

  /** Takes the run lock; a lock whose process is gone on this host is stale and taken over. */
  acquireLock(options: LockOptions = {}): void {
    const owner = { pid: options.pid ?? process.pid, host: options.host ?? hostname() };
    const alive = options.isProcessAlive ?? isProcessAlive;
    const take = this.#db.transaction(() => {
      const row = this.#db.prepare('SELECT pid, host FROM lock WHERE one = 1').get() as
        { pid: number; host: string } | undefined;
      if (row !== undefined) {
        const stale = isStaleLock(row, owner, alive);
        if (!stale) {
          throw new LockError(
            `journal ${this.path} is locked by pid ${String(row.pid)} on ${row.host}: another apply is running ` +
              '(if it is not, delete the lock with --force-unlock)',
          );
        }
      }
      this.#db
        .prepare('INSERT OR REPLACE INTO lock (one, pid, host, acquired_at) VALUES (1, ?, ?, ?)')
        .run(owner.pid, owner.host, Date.now());
    });
    // Before anything is sent: a disk that says no here refuses the run at start.
    this.#write(() => {
      take.immediate();
    }, false);
    this.#locked = true;
    this.#lockOwner = owner;
  }

  /**
   * The run holding the journal's lock, when one does and it is not a process of this host that is gone (read
   * only; undefined for a journal that is missing, unreadable or not locked). Lets a second apply name the
   * running one instead of offering to resume it.
   */
  static runningHolder(
    path: string,
    options: LockOptions = {},
  ): { pid: number; host: string; since: string } | undefined {
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true, timeout: 1000 });
      const row = db.prepare('SELECT pid, host, acquired_at FROM lock WHERE one = 1').get() as
        { pid: number; host: string; acquired_at: number } | undefined;
      if (row === undefined) return undefined;
      const self = { pid: options.pid ?? process.pid, host: options.host ?? hostname() };
      if (isStaleLock(row, { ...self, pid: -1 }, options.isProcessAlive ?? isProcessAlive)) return undefined;
      return { pid: row.pid, host: row.host, since: new Date(row.acquired_at).toISOString() };
    } catch {
      return undefined;
    } finally {
      db?.close();
    }
  }

  releaseLock(): void {
    if (!this.#locked) return;
    this.#write(() =>
      this.#db
        .prepare('DELETE FROM lock WHERE one = 1 AND pid = ? AND host = ?')
        .run(this.#lockOwner.pid, this.#lockOwner.host),
    );
    this.#locked = false;
  }

  /** Removes any lock (the operator's override when a lock from another host is known to be dead). */
  forceUnlock(): void {
    this.#write(() => this.#db.prepare('DELETE FROM lock').run(), false);
  }

  rows(states?: readonly EntryState[]): JournalRow[] {
    const raw =
      states === undefined
        ? (this.#db.prepare('SELECT * FROM entries ORDER BY seq').all() as RawRow[])
        : (this.#db
            .prepare(
              `SELECT * FROM entries WHERE state IN (${states.map(() => '?').join(', ')}) ORDER BY seq`,
            )
            .all(...states) as RawRow[]);
    return raw.map(toJournalRow);
  }

  has(id: string): boolean {
    return this.#db.prepare('SELECT 1 FROM entries WHERE id = ?').get(id) !== undefined;
  }

  state(id: string): EntryState {
    const row = this.#db.prepare('SELECT state FROM entries WHERE id = ?').get(id) as
      { state: EntryState } | undefined;
    if (row === undefined) throw new JournalError(`no entry ${id} in journal ${this.path}`);
    return row.state;
  }

  /** Moves an entry to a new state (checked against the state machine) and makes it durable. */
  transition(
    id: string,
    to: EntryState,
    details: {
      errorCode?: string | undefined;
      message?: string | undefined;
      reconciled?: boolean;
      resumeStep?: number;
    } = {},
  ): void {
    const from = this.state(id);
    if (!ENTRY_TRANSITIONS[from].includes(to)) {
      throw new JournalError(`entry ${id}: cannot go from ${from} to ${to}`);
    }
    this.#write(() =>
      this.#db
        .prepare(
          `UPDATE entries SET state = ?, error_code = ?, message = ?, updated_at = ?, resume_step = ?,
           reconciled = CASE WHEN ? THEN 1 ELSE reconciled END,
           attempts = attempts + CASE WHEN ? = 'sent' THEN 1 ELSE 0 END
         WHERE id = ?`,
        )
        .run(
          to,
          details.errorCode ?? null,
          details.message ?? null,
          Date.now(),
          details.resumeStep ?? null,
          details.reconciled === true ? 1 : 0,
          to,
          id,
        ),
    );
  }

  /**
   * Runs a write; when the disk refuses it (full, read-only, I/O error) the journal is broken from then on: this
   * and every later write throw the same `StateFileError` ("cannot write the journal …: the disk is full"), so a
   * caller that records `sent` before sending stops sending.
   */
  #write<T>(write: () => T, midRun = true): T {
    if (this.#broken !== undefined) throw this.#broken;
    try {
      return write();
    } catch (error) {
      const refused = diskError(this.path, error, { action: 'write', midRun });
      if (refused === undefined) throw error;
      this.#broken = refused;
      throw refused;
    }
  }

  counts(): Record<EntryState, number> {
    const counts: Record<EntryState, number> = {
      pending: 0,
      held: 0,
      sent: 0,
      succeeded: 0,
      partial: 0,
      failed: 0,
      ambiguous: 0,
    };
    const rows = this.#db.prepare('SELECT state, COUNT(*) AS n FROM entries GROUP BY state').all() as {
      state: EntryState;
      n: number;
    }[];
    for (const row of rows) counts[row.state] = row.n;
    return counts;
  }

  /**
   * Releases the lock and closes. On a disk that refused a write the lock row may stay: it names this process,
   * which is gone by the next run on this host, so that run takes it over as stale.
   */
  close(): void {
    try {
      if (this.#broken === undefined) this.releaseLock();
    } catch (error) {
      if (!(error instanceof StateFileError)) throw error;
    } finally {
      this.#db.close();
    }
  }
}

function toJournalRow(row: RawRow): JournalRow {
  const out: JournalRow = {
    id: row.id,
    seq: row.seq,
    entry: JSON.parse(row.body) as PlanEntry,
    state: row.state,
    reconciled: row.reconciled === 1,
    attempts: row.attempts,
    updatedAt: row.updated_at,
  };
  if (row.error_code !== null) out.errorCode = row.error_code;
  if (row.message !== null) out.message = row.message;
  // A journal from before resume_step has no such column (read only, it is not added here).
  if (typeof row.resume_step === 'number') out.resumeStep = row.resume_step;
  return out;
}

/**
 * Every row of the journal at `path`, in plan order, read only (no lock taken, nothing written): for reports of
 * a run made earlier. Throws a `ForeignFileError` for a file that is not a umapi-kit journal.
 */
export function readJournalRows(path: string): JournalRow[] {
  checkJournalFile(path);
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: 1000 });
  try {
    return (db.prepare('SELECT * FROM entries ORDER BY seq').all() as RawRow[]).map(toJournalRow);
  } finally {
    db.close();
  }
}

/** The journal file exists and is not empty (an empty one is what `createPrivate` leaves: a new journal). */
function hasContent(path: string): boolean {
  try {
    return statSync(path).size > 0;
  } catch {
    return false;
  }
}

/** Removes a journal this run created, with SQLite's files beside it (best effort: the disk said no already). */
function removeJournalFiles(path: string): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${path}${suffix}`, { force: true });
}

/** A SQLite or file-system error of a disk that said no, as the `StateFileError` naming the journal. */
function diskError(
  path: string,
  error: unknown,
  options: { action: 'create' | 'write'; midRun?: boolean },
): StateFileError | undefined {
  if (error instanceof StateFileError) return error;
  if (!isDiskRefusal(error)) return undefined;
  return new StateFileError(path, 'journal', describeFsError(error), options);
}
