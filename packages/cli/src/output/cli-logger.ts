import { styleText } from 'node:util';
import type { TextSink } from './text-sink.js';

export type LogFields = Record<string, unknown>;

/** Logs to stderr. `info` is silenced by --quiet, `debug` shows only with --verbose. */
export class CliLogger {
  private readonly sink: TextSink;
  private readonly quiet: boolean;
  private readonly verbose: boolean;
  private readonly colour: boolean;

  constructor(sink: TextSink, options: { quiet: boolean; verbose: boolean; colour: boolean }) {
    this.sink = sink;
    this.quiet = options.quiet;
    this.verbose = options.verbose;
    this.colour = options.colour;
  }

  get isVerbose(): boolean {
    return this.verbose;
  }

  error(message: string, fields?: LogFields): void {
    this.line(this.paint('red', 'error:'), message, fields);
  }

  warn(message: string, fields?: LogFields): void {
    this.line(this.paint('yellow', 'warning:'), message, fields);
  }

  info(message: string, fields?: LogFields): void {
    if (!this.quiet) this.line('', message, fields);
  }

  debug(message: string, fields?: LogFields): void {
    if (this.verbose) this.line(this.paint('gray', 'debug:'), message, fields);
  }

  /** A hint under an error ("  hint: ..."). */
  hint(message: string): void {
    this.sink.write(`  ${this.paint('cyan', 'hint:')} ${message}\n`);
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
