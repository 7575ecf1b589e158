import {
  chmodSync,
  closeSync,
  constants,
  fchmodSync,
  lstatSync,
  openSync,
  realpathSync,
  writeFileSync,
} from 'node:fs';

/*
 * The files the emulator writes hold secrets (client secrets, private keys, access tokens), so they are
 * owner-only (0600) whatever the process umask: the mode is set on the open file descriptor before anything
 * is written, also when an existing file is rewritten (open() alone keeps an old file's mode).
 */

const OWNER_ONLY = 0o600;

/** open(2) flags of a rewrite that never follows a symbolic link planted at the path (ELOOP instead). */
const WRITE_NO_FOLLOW = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/**
 * Writes `text` to `path` (created or truncated), owner-only before the first byte lands. A symbolic link at
 * `path` is refused (ELOOP), not written through.
 */
export function writePrivateFile(path: string, text: string): void {
  let fd: number;
  try {
    fd = openSync(path, WRITE_NO_FOLLOW, OWNER_ONLY);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOOP') throw error;
    throw new Error(`${path} is a symbolic link: refusing to write secrets through it (remove the link)`, {
      cause: error,
    });
  }
  try {
    fchmodSync(fd, OWNER_ONLY);
    writeFileSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Makes sure `path` exists and is owner-only: creates it empty (0600) when missing, and takes group and other
 * access away from an existing file of ours. SQLite gives a database's `-wal` and `-shm` files the mode of the
 * database file, so they follow.
 */
export function ensurePrivateFile(path: string): void {
  try {
    closeSync(openSync(path, 'wx', OWNER_ONLY));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // The path the operator gave may be a link to the database: its target is what must be private.
  keepPrivate(realpathSync(path));
}

/**
 * Takes group and other access away from an existing regular file owned by this process's user. A symbolic link
 * is left alone (not followed): one planted at a `-wal` or `-shm` name would otherwise lend its target our mode,
 * and SQLite refuses to open such a link anyway.
 */
export function keepPrivate(path: string): void {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return;
  }
  if (!stats.isFile()) return;
  if ((stats.mode & 0o077) !== 0 && stats.uid === process.getuid?.()) chmodSync(path, OWNER_ONLY);
}
