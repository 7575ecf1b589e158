import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

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

/**
 * A lock file per org (created with O_EXCL, so two processes cannot both take it). Two applies with different
 * journals on the same org would interleave their changes; the second is refused with the first's pid, host and
 * journal. A lock left by a process that is gone (same host) is stale and taken over.
 */
export class OrgLock {
  readonly path: string;
  readonly #owner: LockOwner;
  #held = false;

  private constructor(path: string, owner: LockOwner) {
    this.path = path;
    this.#owner = owner;
  }

  static acquire(
    directory: string,
    orgId: string,
    journal: string,
    options: LockOptions & { force?: boolean } = {},
  ): OrgLock {
    mkdirSync(directory, { recursive: true });
    const path = orgLockPath(directory, orgId);
    const owner: LockOwner = {
      pid: options.pid ?? process.pid,
      host: options.host ?? hostname(),
      journal,
      acquiredAt: new Date().toISOString(),
    };
    const alive = options.isProcessAlive ?? isProcessAlive;
    if (options.force === true) rmSync(path, { force: true });
    // Written whole to a private file, then linked into place: link fails if the lock exists, and a lock file
    // that exists is always complete.
    const temporary = `${path}.${String(owner.pid)}.tmp`;
    writeFileSync(temporary, JSON.stringify(owner), { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < 3; attempt += 1) {
        try {
          linkSync(temporary, path);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          const other = readOwner(path);
          const stale = other === undefined || isStaleLock(other, owner, alive);
          if (!stale) {
            throw new LockError(
              `org ${orgId} is being synced by pid ${String(other.pid)} on ${other.host} (journal ` +
                `${other.journal}, since ${other.acquiredAt}); wait for it to finish, or if it is not running, ` +
                `add --force-unlock (lock file ${path})`,
            );
          }
          rmSync(path, { force: true });
          continue;
        }
        const lock = new OrgLock(path, owner);
        lock.#held = true;
        return lock;
      }
    } finally {
      rmSync(temporary, { force: true });
    }
    throw new LockError(`could not take the org lock ${path}: another process keeps taking it`);
  }

  release(): void {
    if (!this.#held) return;
    this.#held = false;
    const current = readOwner(this.path);
    if (current?.pid === this.#owner.pid && current.host === this.#owner.host) {
      rmSync(this.path, { force: true });
    }
  }
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return undefined;
    return {
      pid: parsed.pid,
      host: parsed.host,
      journal: typeof parsed.journal === 'string' ? parsed.journal : '(unknown)',
      acquiredAt: typeof parsed.acquiredAt === 'string' ? parsed.acquiredAt : '(unknown)',
    };
  } catch {
    // Unreadable or gone: treated as stale.
    return undefined;
  }
}
