import { randomBytes } from 'node:crypto';
import { lstat, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describeFsError } from '@umapi-kit/sync';
import { CliError } from '../cli/cli-errors.js';
import { ExitCode } from '../cli/exit-codes.js';

/** Owner-only: plans and user lists hold personal data and are the authority for destructive changes. */
const OWNER_ONLY = 0o600;

/** A file the CLI could not write (the destination is a link or a folder, or the disk said no): exit 2. */
export class FileWriteError extends CliError {
  override name = 'FileWriteError';
  readonly path: string;
  constructor(path: string, reason: string, options: { hints?: readonly string[]; cause?: unknown } = {}) {
    super(`cannot write ${path}: ${reason}`, { exitCode: ExitCode.usage, ...options });
    this.path = path;
  }
}

/**
 * Writes a file whole or not at all, owner-only (0600 whatever the umask): the text goes to a new temporary
 * file in the same folder, which then replaces the target in one rename. A crash or Ctrl-C mid-write leaves the
 * previous file (or none), never half of one.
 *
 * The temporary file has an unpredictable name and is created exclusively (`O_CREAT|O_EXCL`, which also refuses a
 * symbolic link planted at that name), so nothing planted in the folder is written through. A destination that
 * is a symbolic link or not a regular file is refused with a `FileWriteError` naming it: the rename would replace
 * the link, and following it could overwrite whatever a planted link points at.
 */
export async function writeFileWhole(path: string, text: string): Promise<void> {
  await checkDestination(path);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  let handle;
  try {
    handle = await open(temporary, 'wx', OWNER_ONLY);
  } catch (error) {
    throw new FileWriteError(path, describeFsError(error), { cause: error });
  }
  try {
    try {
      // A umask that takes the owner's bits (e.g. 0277) would leave it unreadable: the mode is set outright.
      await handle.chmod(OWNER_ONLY);
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw new FileWriteError(path, describeFsError(error), { cause: error });
  }
}

async function checkDestination(path: string): Promise<void> {
  let stats;
  try {
    stats = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new FileWriteError(path, describeFsError(error), { cause: error });
  }
  if (stats.isSymbolicLink()) {
    throw new FileWriteError(path, 'it is a symbolic link; refusing to write through it', {
      hints: ['give the path of the file itself, or remove the link'],
    });
  }
  if (stats.isDirectory()) throw new FileWriteError(path, 'it is a folder, not a file');
  if (!stats.isFile()) throw new FileWriteError(path, 'it is not a regular file');
}
