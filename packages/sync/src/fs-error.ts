/**
 * Why the file system refused, in an admin's words (`no such file`, `the disk is full`, ...), from a Node errno
 * code or a better-sqlite3 result code (SQLite says `SQLITE_FULL` where the file system said ENOSPC).
 */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'ELOOP':
      return 'it is a symbolic link (refusing to follow it)';
    case 'ENOSPC':
    case 'SQLITE_FULL':
      return 'the disk is full';
    case 'EROFS':
    case 'SQLITE_READONLY':
    case 'SQLITE_READONLY_DIRECTORY':
      return 'the file system is read-only';
    case 'EDQUOT':
      return 'the disk quota is used up';
    case 'EIO':
      return 'the disk reported an input/output error';
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_CANTOPEN_ISDIR':
      return 'it cannot be opened (the folder may be missing, read-only, or not writable by this user)';
    case 'SQLITE_READONLY_DBMOVED':
      return 'it was moved or deleted while open';
    case undefined:
      return error instanceof Error ? error.message : String(error);
    default:
      if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an input/output error';
      if (code.startsWith('SQLITE_READONLY')) return 'the file system is read-only';
      return code;
  }
}

/** The disk said no (full, read-only, quota, I/O error): a write error, not a bug. */
export function isDiskRefusal(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === undefined) return false;
  return (
    ['ENOSPC', 'EROFS', 'EDQUOT', 'EIO', 'EACCES', 'EPERM', 'SQLITE_FULL'].includes(code) ||
    code.startsWith('SQLITE_IOERR') ||
    code.startsWith('SQLITE_READONLY') ||
    code.startsWith('SQLITE_CANTOPEN')
  );
}
