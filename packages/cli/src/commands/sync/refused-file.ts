import { ForeignFileError, JournalError, LockError, StateFileError } from '@umapi-kit/sync';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';

/**
 * A journal, lock or state file the sync package refused (another plan's, locked, not umapi-kit's, damaged) as
 * the usage error it is (exit 2, its message names the path and what to do); undefined for any other error.
 */
export function refusedFileError(error: unknown): CliError | undefined {
  if (
    error instanceof JournalError ||
    error instanceof LockError ||
    error instanceof ForeignFileError ||
    error instanceof StateFileError
  ) {
    return new CliError(error.message, { exitCode: ExitCode.usage });
  }
  return undefined;
}
