import { pino, type Logger as PinoLogger } from 'pino';
import type { Redactor } from '@umapi-kit/client';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** Where a structured log writes its lines (stderr, a daily file, a test's buffer). */
export interface LineDestination {
  write(line: string): unknown;
}

/** Field paths pino replaces before a line is written, whatever a message's fields hold. */
const REDACTED_PATHS = [
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'passphrase',
  'privateKey',
  'private_key',
  'token',
  'accessToken',
  'access_token',
  'authorization',
  'headers.authorization',
  'headers.Authorization',
  '*.clientSecret',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.privateKey',
  '*.authorization',
];

/**
 * One JSON object a line, through pino: `level` (error, warn, info, debug), `time` (ISO 8601, from the
 * injected clock), `msg`, `event`, the bound fields (`org`, `runId`) and the line's own fields (`requestId`,
 * counts). Secrets are removed twice: pino's redaction replaces secret-named fields, and the client's
 * `Redactor` removes secret-shaped text and the exact values it was told about (the configured client secret)
 * from the message and every string field.
 */
export class StructuredLog {
  readonly #pino: PinoLogger;
  readonly #redactor: Redactor;
  readonly #bindings: Record<string, unknown> = {};

  constructor(
    destination: LineDestination,
    options: { level: LogLevel; now: () => number; redactor: Redactor },
  ) {
    this.#redactor = options.redactor;
    const now = options.now;
    this.#pino = pino(
      {
        level: options.level,
        base: null,
        messageKey: 'msg',
        timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
      },
      { write: (line: string) => destination.write(line) },
    );
  }

  /** Adds fields to every later line (the org once it is known, the run id). */
  bind(fields: Record<string, unknown>): void {
    Object.assign(this.#bindings, fields);
  }

  write(level: LogLevel, event: string, message: string, fields?: Record<string, unknown>): void {
    const own = fields === undefined ? {} : this.#redactor.fields(fields);
    this.#pino[level]({ ...this.#bindings, event, ...own }, this.#redactor.text(message));
  }
}
