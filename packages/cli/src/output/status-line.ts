import type { TextSink } from './text-sink.js';

/** Clears the terminal line the cursor is on, and goes to its start. */
export const CLEAR_LINE = '\r\x1b[2K';

/**
 * The last line of a terminal's stderr, kept for a progress display. Every other write to stderr goes through
 * `write`: the display is cleared first and drawn again under what was written, so nothing overwrites a line
 * already printed (no cursor save/restore, no moving up), and `clear` leaves the line empty for what follows.
 */
export class StatusLine implements TextSink {
  private readonly sink: TextSink;
  private text: string | undefined;
  readonly isTTY = true;

  constructor(sink: TextSink) {
    this.sink = sink;
  }

  get columns(): number | undefined {
    return this.sink.columns;
  }

  /** Shows (or replaces) the status text, cut to the terminal's width so it never wraps. */
  show(text: string): void {
    const columns = this.sink.columns ?? 0;
    const width = (columns > 10 ? columns : 80) - 1;
    this.text = text.length > width ? text.slice(0, width) : text;
    this.sink.write(`${CLEAR_LINE}${this.text}`);
  }

  /** Removes the status text; the cursor is at the start of the empty line. */
  clear(): void {
    if (this.text === undefined) return;
    this.text = undefined;
    this.sink.write(CLEAR_LINE);
  }

  write(chunk: string): boolean {
    return this.writeTo(this.sink, chunk);
  }

  once(event: 'drain', listener: () => void): unknown {
    return this.sink.once?.(event, listener);
  }

  /**
   * Another stream that shows on the same terminal (stdout, when it is one): its writes clear the status first
   * and draw it again after them, like stderr's.
   */
  through(target: TextSink): TextSink {
    return {
      isTTY: target.isTTY,
      columns: target.columns,
      write: (chunk: string) => this.writeTo(target, chunk),
      ...(target.once === undefined
        ? {}
        : { once: (event: 'drain', listener: () => void) => target.once?.(event, listener) }),
    };
  }

  private writeTo(target: TextSink, chunk: string): boolean {
    if (this.text === undefined) return target.write(chunk);
    const shown = this.text;
    this.sink.write(CLEAR_LINE);
    const result = target.write(chunk);
    if (chunk.endsWith('\n')) this.sink.write(shown);
    else this.text = undefined;
    return result;
  }
}

/** A duration for an ETA: `45s`, `3m05s`, `2h07m` (never `1m60s`: the whole seconds are rounded first). */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const whole = Math.round(seconds);
  if (whole < 60) return `${String(whole)}s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${String(minutes)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${String(Math.floor(minutes / 60))}h${String(minutes % 60).padStart(2, '0')}m`;
}
