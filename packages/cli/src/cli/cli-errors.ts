import { ExitCode } from './exit-codes.js';
import type { ExitCodeValue } from './exit-codes.js';

/** An error the CLI reports as one line (plus hints) and a specific exit code. */
export class CliError extends Error {
  override name = 'CliError';
  readonly exitCode: ExitCodeValue;
  readonly hints: readonly string[];

  constructor(
    message: string,
    options: { exitCode?: ExitCodeValue; hints?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options.exitCode ?? ExitCode.failure;
    this.hints = options.hints ?? [];
  }
}

/** Bad flags or arguments, or input that failed validation before anything was sent (exit 2). */
export class UsageError extends CliError {
  override name = 'UsageError';
  constructor(message: string, hints: readonly string[] = []) {
    super(message, { exitCode: ExitCode.usage, hints });
  }
}

/** A wrong or missing setting; the message names the file, section/key and line where it can (exit 2). */
export class ConfigError extends CliError {
  override name = 'ConfigError';
  constructor(message: string, hints: readonly string[] = []) {
    super(message, { exitCode: ExitCode.usage, hints });
  }
}
