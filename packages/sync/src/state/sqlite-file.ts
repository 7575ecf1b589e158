import { chmodSync, closeSync, fchmodSync, lstatSync, openSync, readSync } from 'node:fs';
import Database from 'better-sqlite3';
import { describeFsError } from '../fs-error.js';

/** The file is not one of ours (a foreign or damaged SQLite file, or not SQLite at all): nothing was written. */
export class ForeignFileError extends Error {
  readonly path: string;
  constructor(path: string, message: string) {
    super(message);
    this.name = 'ForeignFileError';
    this.path = path;
  }
}

/**
 * A file the file system would not let us create, open or write (read-only, full, no permission), with the path
 * and the cause in words: `cannot write the journal /srv/sync/plan.json.journal.db: the disk is full`. `midRun`:
 * the run had begun changing things when the disk said no (callers: a failed run, not a refusal at start).
 */
export class StateFileError extends Error {
  readonly path: string;
  readonly reason: string;
  readonly action: 'create' | 'open' | 'write';
  readonly midRun: boolean;
  constructor(
    path: string,
    what: string,
    reason: string,
    options: { action?: 'create' | 'open' | 'write'; midRun?: boolean } = {},
  ) {
    const action = options.action ?? 'open';
    super(`cannot ${action} the ${what} ${path}: ${reason}`);
    this.name = 'StateFileError';
    this.path = path;
    this.reason = reason;
    this.action = action;
    this.midRun = options.midRun ?? false;
  }
}

export interface SqliteFileKind {
  /** `PRAGMA application_id` that marks the file as this kind of umapi-kit file. */
  applicationId: number;
  /** For messages: `journal`, `state store`. */
  what: string;
  /** Tables that, without the application id, mark a file written by an earlier umapi-kit version. */
  legacyTables: readonly string[];
  /** What to do instead, for the refusal message. */
  advice: string;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/**
 * Opens (or creates) a umapi-kit SQLite file. A new file is created owner-only (0600, whatever the umask; SQLite
 * gives its -wal and -shm files the same mode). An existing file is checked before anything is written: it must
 * be a regular file (not a link), a SQLite database, undamaged, and marked as this kind of umapi-kit file (or
 * hold this kind's tables, from before the mark existed); otherwise a `ForeignFileError` says what it is and
 * what to do.
 */
export function openSqliteFile(path: string, kind: SqliteFileKind): Database.Database {
  if (path === ':memory:') return withPragmas(new Database(path), kind);
  let existing = true;
  try {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) {
      throw new ForeignFileError(
        path,
        `${path} is a symbolic link, not a ${kind.what}: refusing to follow it; ${kind.advice}`,
      );
    }
    if (!stat.isFile()) throw new ForeignFileError(path, `${path} is not a file; ${kind.advice}`);
    if (stat.size === 0) existing = false;
  } catch (error) {
    if (error instanceof ForeignFileError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new StateFileError(path, kind.what, describeFsError(error));
    }
    existing = false;
    createPrivate(path, kind.what);
  }
  checkCompanions(path, kind, false);
  if (existing) checkOwnership(path, kind);
  // Ours (or new): a wider mode is taken back only now, so a file that is refused is never touched.
  checkCompanions(path, kind, true);
  const action = existing ? 'open' : 'create';
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new StateFileError(path, kind.what, describeFsError(error), { action });
  }
  try {
    return withPragmas(db, kind);
  } catch (error) {
    db.close();
    throw new StateFileError(path, kind.what, describeFsError(error), { action });
  }
}

/**
 * The database and SQLite's own files beside it (`-wal`, `-shm`, `-journal`): a symbolic link planted beside it
 * is refused (SQLite might follow it, or replace it), and with `tighten` a file of ours with a wider mode (made
 * by an earlier version, or left by a crash) is made owner-only again (SQLite gives new ones the database's mode).
 */
function checkCompanions(path: string, kind: SqliteFileKind, tighten: boolean): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const companion = `${path}${suffix}`;
    let stat;
    try {
      stat = lstatSync(companion);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink() || !stat.isFile()) {
      throw new ForeignFileError(
        companion,
        `${companion} (beside the ${kind.what} ${path}) is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a file'}: refusing to use it; remove it, or ${kind.advice}`,
      );
    }
    if (tighten && (stat.mode & 0o077) !== 0 && stat.uid === process.getuid?.()) {
      try {
        chmodSync(companion, 0o600);
      } catch (error) {
        throw new StateFileError(companion, kind.what, describeFsError(error));
      }
    }
  }
}

function createPrivate(path: string, what: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return;
    throw new StateFileError(path, what, describeFsError(error), { action: 'create' });
  }
  try {
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

/** Refuses (`ForeignFileError`) an existing file that is not this kind of umapi-kit file; reads only. */
export function checkSqliteFile(path: string, kind: SqliteFileKind): void {
  checkOwnership(path, kind);
}

function checkOwnership(path: string, kind: SqliteFileKind): void {
  const header = Buffer.alloc(16);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new StateFileError(path, kind.what, describeFsError(error));
  }
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString('latin1') !== SQLITE_HEADER) {
    throw new ForeignFileError(
      path,
      `${path} is not a umapi-kit ${kind.what} (not a SQLite file); ${kind.advice}`,
    );
  }
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const check = db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') throw new Error(check);
    const id = db.pragma('application_id', { simple: true }) as number;
    if (id === kind.applicationId) return;
    const tables = new Set(
      (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
        (row) => row.name,
      ),
    );
    if (id === 0 && kind.legacyTables.every((table) => tables.has(table))) return;
    throw new ForeignFileError(
      path,
      `${path} is a SQLite file but not a umapi-kit ${kind.what}${tables.size === 0 ? '' : ` (it holds ${[...tables].slice(0, 5).join(', ')})`}; ${kind.advice}`,
    );
  } catch (error) {
    if (error instanceof ForeignFileError) throw error;
    throw new ForeignFileError(
      path,
      `${path} is damaged or truncated and cannot be read as a ${kind.what} (${(error as Error).message}); ${kind.advice}`,
    );
  } finally {
    db?.close();
  }
}

function withPragmas(db: Database.Database, kind: SqliteFileKind): Database.Database {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`application_id = ${String(kind.applicationId)}`);
  return db;
}
