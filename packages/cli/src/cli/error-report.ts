import {
  AbortError,
  ActionError,
  ApiError,
  AuthenticationError,
  ConnectionError,
  ImsError,
  IncompleteListingError,
  PermissionDeniedError,
  RateLimitError,
  TimeoutError,
  UmapiError,
  UnavailableError,
  ValidationError,
} from '@umapi-kit/client';
import { describeFsError, isDiskRefusal } from '@umapi-kit/sync';
import type { CliLogger } from '../output/cli-logger.js';
import { CliError } from './cli-errors.js';
import { ExitCode } from './exit-codes.js';
import { connectionCause } from './connection-cause.js';
import { serverErrorText } from '../output/server-error-text.js';
import type { ExitCodeValue } from './exit-codes.js';

export interface ErrorReport {
  message: string;
  hints: string[];
  exitCode: ExitCodeValue;
}

/** Turns any error into one line, hints and an exit code. Client messages are secret-free by contract. */
export function describeError(error: unknown): ErrorReport {
  if (error instanceof CliError)
    return { message: error.message, hints: [...error.hints], exitCode: error.exitCode };
  if (error instanceof ImsError) {
    const detail =
      error.error === undefined
        ? ''
        : ` (${error.error}${error.errorDescription === undefined ? '' : `: ${error.errorDescription}`})`;
    return {
      message: `authentication failed: ${error.message}${error.message.includes(error.error ?? '\0') ? '' : detail}`,
      hints: [
        'check the client id, client secret (and for JWT the technical account and private key): `umapi config show`',
      ],
      exitCode: ExitCode.authentication,
    };
  }
  if (error instanceof AuthenticationError) {
    return {
      message: `authentication failed: ${error.message}`,
      hints: ['the access token was refused; check the organization id and credentials: `umapi config show`'],
      exitCode: ExitCode.authentication,
    };
  }
  if (error instanceof AbortError) {
    return { message: 'interrupted', hints: [], exitCode: ExitCode.interrupted };
  }
  if (error instanceof ValidationError) {
    return { message: error.message, hints: [], exitCode: ExitCode.usage };
  }
  if (error instanceof RateLimitError) {
    const wait =
      error.retryAfterMs === undefined
        ? 'the server asked umapi to slow down'
        : `the server asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s`;
    return {
      message: `rate limited: ${wait}, longer than umapi waits for one request`,
      hints: ['try again later; the wait is over at the time the server named'],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof PermissionDeniedError) {
    return {
      message: `permission denied: ${error.message}`,
      hints: ['check that the integration has the User Management API and the API key is right'],
      exitCode: ExitCode.authentication,
    };
  }
  if (error instanceof ApiError) {
    // The client's message is for developers (`GET /users/…%40AdobeOrg/0/NoSuch failed: HTTP 404 (...)`).
    const said = serverMessageOf(error.body);
    const known = serverErrorText({ errorCode: error.errorCode, message: said });
    const plain =
      error.errorCode === 'error.group.not_found' || error.errorCode === 'error.user.not_found'
        ? known
        : `UMAPI refused the request (HTTP ${error.status}${said === undefined ? '' : `: ${said}`})${
            error.errorCode === undefined ? '' : ` [${error.errorCode}]`
          }`;
    return {
      message: plain,
      hints: [`request id ${error.requestId} (for Adobe support)`],
      exitCode: ExitCode.failure,
    };
  }
  const cause = error instanceof UmapiError ? connectionCause(error.message) : undefined;
  if (cause !== undefined && (error instanceof UnavailableError || error instanceof ConnectionError)) {
    const service =
      error instanceof UnavailableError && error.service === 'ims' ? 'Adobe IMS (sign-in)' : 'UMAPI';
    const tries =
      error instanceof UnavailableError
        ? ` (${error.attempts} attempt${error.attempts === 1 ? '' : 's'})`
        : '';
    return {
      message: `cannot connect to ${service}${tries}: ${cause}`,
      hints: [
        `the URL is UMAPI_URL / --endpoint for UMAPI and UMAPI_IMS_URL / --ims-url for IMS: 'umapi config show' shows them`,
      ],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof UnavailableError && error.service === 'ims') {
    return {
      message: `${error.message} (gave up after ${error.attempts} attempts)`,
      hints: [
        'Adobe IMS (the sign-in service) is down or unreachable; the credentials were not refused: try again later',
      ],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof UnavailableError) {
    return {
      message: `${error.message} (gave up after ${error.attempts} attempts)`,
      hints: ['UMAPI is busy or unreachable; try again later'],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof ConnectionError || error instanceof TimeoutError) {
    return {
      message: error.message,
      hints: ['check the UMAPI and IMS URLs (`umapi config show`) and the network'],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof IncompleteListingError) {
    return {
      message: error.message,
      hints: ['the listing is incomplete; run it again'],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof ActionError || error instanceof UmapiError) {
    return { message: error.message, hints: [], exitCode: ExitCode.failure };
  }
  if (isDiskRefusal(error)) {
    // A file system (or SQLite) error no command turned into its own message: still the path and the cause.
    const { code, path } = error as NodeJS.ErrnoException;
    const writing = ['ENOSPC', 'EROFS', 'EDQUOT', 'SQLITE_FULL'].includes(code ?? '');
    return {
      message: `cannot ${writing ? 'write' : 'use'} ${path ?? 'a file'}: ${describeFsError(error)}`,
      hints: path === undefined ? ['run with --verbose for details'] : [],
      exitCode: ExitCode.failure,
    };
  }
  if (error instanceof Error) {
    return {
      message: `unexpected error: ${error.message}`,
      hints: ['run with --verbose for details'],
      exitCode: ExitCode.failure,
    };
  }
  return { message: `unexpected error: ${String(error)}`, hints: [], exitCode: ExitCode.failure };
}

/** The `message` of a UMAPI error body, when it has one. */
function serverMessageOf(body: unknown): string | undefined {
  const message = (body as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message.trim() !== '' ? message.trim() : undefined;
}

/** Prints the error (one line, hints; the stack only with --verbose) and returns its exit code. */
export function reportError(error: unknown, logger: CliLogger): ExitCodeValue {
  const report = describeError(error);
  logger.error(report.message);
  for (const hint of report.hints) logger.hint(hint);
  if (logger.isVerbose && error instanceof Error && error.stack !== undefined) logger.debug(error.stack);
  return report.exitCode;
}
