import { ForeignFileError, JournalError, LockError, StateFileError } from '@umapi-kit/sync';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';

/**
 * A journal, lock or state file the sync package refused (another plan's, locked, not umapi-kit's, damaged, or
 * on a disk that is read-only or full) as the error it is, its message naming the path and the cause: exit 2 when
 * nothing was sent, exit 1 when the disk said no in the middle of a run (then the hint is `resumeCommand`, which
 * finishes it once there is room). Undefined for any other error.
 */
export function refusedFileError(error: unknown, resumeCommand?: string): CliError | undefined {
  if (error instanceof StateFileError && error.midRun) {
    return new CliError(error.message, {
      exitCode: ExitCode.failure,
      hints: [
        'no more requests were sent; each one sent was recorded in the journal before it left',
        ...(resumeCommand === undefined
          ? []
          : [`once there is room (or the disk is writable again), finish with: ${resumeCommand}`]),
      ],
      cause: error,
    });
  }
  if (
    error instanceof JournalError ||
    error instanceof LockError ||
    error instanceof ForeignFileError ||
    error instanceof StateFileError
  ) {
    return new CliError(error.message, { exitCode: ExitCode.usage, cause: error });
  }
  return undefined;
}
