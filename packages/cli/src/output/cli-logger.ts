import { styleText } from 'node:util';
import { Redactor } from '@umapi-kit/client';
import { StructuredLog, type LineDestination, type LogLevel } from './structured-log.js';
import type { TextSink } from './text-sink.js';

export type LogFields = Record<string, unknown>;

/** How log lines are written to stderr: `text` for people (the default), `json` one object a line. */
export type LogFormat = 'text' | 'json';
export const logFormats: readonly LogFormat[] = ['text', 'json'];

export interface CliLoggerOptions {
  quiet: boolean;
  verbose: boolean;
  colour: boolean;
  /** stderr's format (default text). */
  format?: LogFormat | undefined;
  /** Also write every line, debug included, as JSON here (--log-file: a `DailyLogFile`). */
  file?: LineDestination | undefined;
  /** The clock of the JSON lines' `time`. */
  now?: (() => number) | undefined;
  /** Shared with whatever learns secret values (the client's settings): they never reach a line. */
  redactor?: Redactor | undefined;
}

/**
 * Logs to stderr. `info` is silenced by --quiet, `debug` shows only with --verbose. With --log-format json the
 * same lines are JSON objects (pino); with --log-file every line, debug included, is also appended to the file
 * as JSON.
 */
export class CliLogger {
  readonly redactor: Redactor;
  private readonly sink: TextSink;
  private readonly quiet: boolean;
  private readonly verbose: boolean;
  private readonly colour: boolean;
  private readonly json: StructuredLog | undefined;
  private readonly file: StructuredLog | undefined;

  constructor(sink: TextSink, options: CliLoggerOptions) {
    this.sink = sink;
    this.quiet = options.quiet;
    this.verbose = options.verbose;
    this.colour = options.colour;
    this.redactor = options.redactor ?? new Redactor();
    const now = options.now ?? (() => Date.now());
    if (options.format === 'json') {
      const level = options.verbose ? 'debug' : options.quiet ? 'warn' : 'info';
      this.json = new StructuredLog(sink, { level, now, redactor: this.redactor });
    }
    if (options.file !== undefined) {
      this.file = new StructuredLog(options.file, { level: 'debug', now, redactor: this.redactor });
    }
  }

  get isVerbose(): boolean {
    return this.verbose;
  }

  /** Fields every later JSON line carries (`org`, `runId`); text lines are unchanged. */
  bind(fields: LogFields): void {
    this.json?.bind(fields);
    this.file?.bind(fields);
  }

  error(message: string, fields?: LogFields): void {
    if (this.structured('error', 'log', message, fields)) return;
    this.line(this.paint('red', 'error:'), message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    if (this.structured('warn', 'log', message, fields)) return;
    this.line(this.paint('yellow', 'warning:'), message, fields);
  }

  info(message: string, fields?: LogFields): void {
    if (this.structured('info', 'log', message, fields)) return;
    if (!this.quiet) this.line('', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    if (this.structured('debug', 'log', message, fields)) return;
    if (this.verbose) this.line(this.paint('gray', 'debug:'), message, fields);
  }

  /**
   * A named event for programs reading the JSON lines (`sync.run.finished` with its counts): an info line in
   * JSON, a debug line in text (people get the summary the command prints instead).
   */
  event(event: string, message: string, fields?: LogFields, level: LogLevel = 'info'): void {
    if (this.structured(level, event, message, fields)) return;
    if (this.verbose) this.line(this.paint('gray', 'debug:'), message, fields);
  }

  /** What the client logs (requests with their X-Request-Id, retries): debug lines, with the client's event. */
  client(level: LogLevel, message: string, fields?: LogFields): void {
    const event = message.startsWith('umapi request retried')
      ? 'umapi.retry'
      : message.startsWith('umapi request')
        ? 'umapi.request'
        : 'client';
    if (this.structured('debug', event, message, fields, level)) return;
    if (this.verbose) this.line(this.paint('gray', 'debug:'), message, fields);
  }

  /** A hint under an error ("  hint: ..."). */
  hint(message: string): void {
    if (this.structured('info', 'hint', message)) return;
    this.sink.write(`  ${this.paint('cyan', 'hint:')} ${message}\n`);
  }

  /**
   * Writes a structured line to the file (at `fileLevel`) and, in JSON mode, to stderr; true when stderr got
   * it (the text line is then skipped).
   */
  private structured(
    level: LogLevel,
    event: string,
    message: string,
    fields?: LogFields,
    fileLevel: LogLevel = level,
  ): boolean {
    this.file?.write(fileLevel, event, message, fields);
    if (this.json === undefined) return false;
    this.json.write(level, event, message, fields);
    return true;
  }

  private line(prefix: string, message: string, fields?: LogFields): void {
    const extra =
      fields !== undefined && this.verbose && Object.keys(fields).length > 0
        ? ` ${JSON.stringify(fields)}`
        : '';
    this.sink.write(`${prefix === '' ? '' : `${prefix} `}${message}${extra}\n`);
  }

  private paint(colour: 'red' | 'yellow' | 'gray' | 'cyan', text: string): string {
    return this.colour ? styleText(colour, text) : text;
  }
}
