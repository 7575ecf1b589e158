import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';

/** A lock held by another run: names the holder (pid, host, since) and how to take it over. */
export class LockError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockError';
  }
}

export interface LockOptions {
  pid?: number;
  host?: string;
  /** Whether a process on this host is alive (default: `process.kill(pid, 0)`). */
  isProcessAlive?: (pid: number) => boolean;
}

/** Whether a process on this host is alive (EPERM: it is, but belongs to another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock can be taken over when its holder is this process, or a process of this host that is gone. */
export function isStaleLock(
  holder: { pid: number; host: string },
  owner: { pid: number; host: string },
  alive: (pid: number) => boolean,
): boolean {
  return holder.host === owner.host && (holder.pid === owner.pid || !alive(holder.pid));
}

/** The environment variable that moves the org locks of every apply on this machine elsewhere. */
export const LOCK_DIR_ENV = 'UMAPI_LOCK_DIR';

/** The machine's lock folders, in the order they are tried (FHS: /run/lock, and its older name /var/lock). */
const SYSTEM_LOCK_ROOTS: readonly string[] = ['/run/lock', '/var/lock'];

/**
 * Where the org locks live: one folder per machine, so applies started by other users, cron jobs or other
 * `$XDG_STATE_HOME`s meet the same lock. `$UMAPI_LOCK_DIR` when set; else `umapi-kit` in the first of /run/lock
 * and /var/lock that this user may write; else `umapi-kit-locks` in the temp folder (a machine without either).
 */
export function orgLockDirectory(
  env: Readonly<Record<string, string | undefined>>,
  roots: readonly string[] = SYSTEM_LOCK_ROOTS,
): string {
  const chosen = env[LOCK_DIR_ENV];
  if (chosen !== undefined && chosen !== '') return chosen;
  for (const root of roots) {
    try {
      if (!statSync(root).isDirectory()) continue;
      accessSync(root, constants.W_OK | constants.X_OK);
      return join(root, 'umapi-kit');
    } catch {
      // Missing or not writable by this user: try the next one.
    }
  }
  return join(tmpdir(), 'umapi-kit-locks');
}

interface LockOwner {
  pid: number;
  host: string;
  journal: string;
  acquiredAt: string;
}

/** The lock file of an org in a lock folder: one apply per org at a time on this machine. */
export function orgLockPath(directory: string, orgId: string): string {
  return join(directory, `sync-apply-${orgId.replace(/[^A-Za-z0-9@._-]/g, '_')}.lock`);
}

/** The file next to the lock that says who holds it (for the message a second run gets). */
export function orgLockOwnerPath(directory: string, orgId: string): string {
  return `${orgLockPath(directory, orgId)}.owner.json`;
}

/**
 * One apply per org at a time on this machine. The lock is a kernel lock, not a file's existence: the lock file is
 * a SQLite database (SQLite is already how the journal is kept), and holding the lock is holding an exclusive
 * transaction open on it, i.e. a POSIX record lock (`fcntl`) on the file for as long as the run lasts. The kernel
 * gives that lock to exactly one process and drops it the moment the holder exits, `kill -9` included, so there is
 * no stale lock to take over and no race between processes that each find one: of any number of applies started at
 * once, one gets the lock and every other is refused. Who holds it (pid, host, journal, since) is written to a
 * separate `.owner.json` file once the lock is held, only to name the holder in the refusal.
 *
 * What it covers: every apply on this machine whose lock folder is the same (see `orgLockDirectory`), whichever
 * user, environment or journal. What it does not: applies on other machines (the lock folder is local; a
 * shared org lock across hosts belongs to a shared state store), nor a process that runs as another user when
 * the lock folder is owner-only (0700): that one is refused with an error naming the folder, not let through.
 */
export class OrgLock {
  readonly path: string;
  readonly ownerPath: string;
  readonly #owner: LockOwner;
  readonly #token: string;
  #db: Database.Database | undefined;

  private constructor(
    path: string,
    ownerPath: string,
    owner: LockOwner,
    token: string,
    db: Database.Database,
  ) {
    this.path = path;
    this.ownerPath = ownerPath;
    this.#owner = owner;
    this.#token = token;
    this.#db = db;
  }

  static acquire(
    directory: string,
    orgId: string,
    journal: string,
    options: Pick<LockOptions, 'pid' | 'host'> = {},
  ): OrgLock {
    ensurePrivateFolder(directory);
    const path = orgLockPath(directory, orgId);
    const ownerPath = orgLockOwnerPath(directory, orgId);
    const owner: LockOwner = {
      pid: options.pid ?? process.pid,
      host: options.host ?? hostname(),
      journal,
      acquiredAt: new Date().toISOString(),
    };
    let db: Database.Database;
    try {
      closeSync(openSync(path, 'a', 0o600));
      db = new Database(path, { timeout: 0 });
    } catch (error) {
      throw new LockError(
        `cannot open the org lock ${path}: ${(error as Error).message}; every apply on this machine must be able ` +
          `to open it (run as the user that owns ${directory}, or point ${LOCK_DIR_ENV} at a folder you own)`,
      );
    }
    try {
      // No rollback journal on disk: the transaction never writes, it only holds the lock.
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
    } catch (error) {
      db.close();
      if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' && !/locked/.test((error as Error).message)) {
        throw new LockError(`cannot take the org lock ${path}: ${(error as Error).message}`);
      }
      throw new LockError(heldMessage(orgId, path, liveOwner(readOwner(ownerPath))));
    }
    const token = randomBytes(8).toString('hex');
    try {
      writeOwner(ownerPath, { ...owner, token });
    } catch (error) {
      db.close();
      throw new LockError(`cannot write the org lock's owner file ${ownerPath}: ${(error as Error).message}`);
    }
    return new OrgLock(path, ownerPath, owner, token, db);
  }

  /** Who holds the lock, as written in the owner file (undefined when none is recorded or readable). */
  static holder(directory: string, orgId: string): LockOwner | undefined {
    return readOwner(orgLockOwnerPath(directory, orgId));
  }

  release(): void {
    const db = this.#db;
    if (db === undefined) return;
    this.#db = undefined;
    // The owner file goes first, while the lock is still held, so it never removes the next holder's.
    if (readOwner(this.ownerPath)?.token === this.#token) rmSync(this.ownerPath, { force: true });
    db.close();
  }

  get owner(): Readonly<LockOwner> {
    return this.#owner;
  }
}

/** The recorded owner, unless it is a process of this host that is gone (the holder has not written its own yet). */
function liveOwner(owner: LockOwner | undefined): LockOwner | undefined {
  if (owner === undefined) return undefined;
  return owner.host === hostname() && !isProcessAlive(owner.pid) ? undefined : owner;
}

function heldMessage(orgId: string, path: string, other: LockOwner | undefined): string {
  const who =
    other === undefined
      ? 'another apply (it has not recorded its pid yet)'
      : `pid ${String(other.pid)} on ${other.host} (journal ${other.journal}, since ${other.acquiredAt})`;
  return (
    `org ${orgId} is being synced by ${who}; wait for it to finish (the lock ${path} is freed the moment that ` +
    'process ends, even if it is killed)'
  );
}

/** Creates the lock folder owner-only (0700); an existing one is left as its owner made it. */
function ensurePrivateFolder(directory: string): void {
  let created: string | undefined;
  try {
    created = mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new LockError(
      `cannot create the org lock folder ${directory}: ${(error as Error).message}; set ${LOCK_DIR_ENV} to a ` +
        'folder every apply on this machine uses',
    );
  }
  // mkdir's mode is filtered by the umask; the folder made here is set to exactly 0700.
  if (created !== undefined) chmodSync(directory, 0o700);
}

/** Written whole to a private file, then renamed into place: a reader sees the old owner or the new, never half. */
function writeOwner(path: string, owner: LockOwner & { token: string }): void {
  const temporary = `${path}.${String(process.pid)}.${owner.token}.tmp`;
  try {
    writeFileSync(temporary, JSON.stringify(owner), { mode: 0o600 });
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

function readOwner(path: string): (LockOwner & { token?: string }) | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner & { token: string }>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    const owner: LockOwner & { token?: string } = {
      pid: parsed.pid,
      host: parsed.host,
      journal: typeof parsed.journal === 'string' ? parsed.journal : '(unknown)',
      acquiredAt: typeof parsed.acquiredAt === 'string' ? parsed.acquiredAt : '(unknown)',
    };
    if (typeof parsed.token === 'string') owner.token = parsed.token;
    return owner;
  } catch {
    // Unreadable or gone: nobody recorded.
    return undefined;
  }
}
