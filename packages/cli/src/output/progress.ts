import { formatEta, type StatusLine } from './status-line.js';

/** A progress display on stderr. The inert one (no TTY, --json, --quiet, --no-progress) does nothing. */
export interface Progress {
  update(done: number, total?: number): void;
  /** Prints a line above the display (e.g. a rate-limit wait). */
  log(line: string): void;
  /** Clears the display, once; what is printed next starts on its line. */
  stop(): void;
}

export const noProgress: Progress = {
  update() {},
  log() {},
  stop() {},
};

const BAR_WIDTH = 30;

/** The display's text: `applying [████░░░░] 100/400 (25%) eta 3m05s`, or `users listed 1200` without a total. */
export function progressText(
  label: string,
  done: number,
  total: number | undefined,
  etaSeconds: number | undefined,
): string {
  if (total === undefined || total <= 0) return `${label} ${String(done)}`;
  const share = Math.min(1, Math.max(0, done / total));
  const filled = Math.round(share * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const eta = etaSeconds === undefined ? '' : ` eta ${formatEta(etaSeconds)}`;
  return `${label} [${bar}] ${String(done)}/${String(total)} (${String(Math.floor(share * 100))}%)${eta}`;
}

/**
 * A progress display on the terminal's last line (see StatusLine). The ETA is the time per item so far times
 * the items left, shown once an item is done and a second has passed.
 */
export function terminalProgress(line: StatusLine, label: string, now: () => number): Progress {
  let started: number | undefined;
  let stopped = false;
  let last: { done: number; total: number | undefined } = { done: 0, total: undefined };
  const draw = (): void => {
    const { done, total } = last;
    const elapsed = started === undefined ? 0 : (now() - started) / 1000;
    const eta =
      total !== undefined && done > 0 && elapsed >= 1
        ? (elapsed / done) * Math.max(0, total - done)
        : undefined;
    line.show(progressText(label, done, total, eta));
  };
  return {
    update(done: number, total?: number) {
      if (stopped) return;
      started ??= now();
      last = { done, total: total ?? last.total };
      draw();
    },
    log(text: string) {
      line.write(`${text}\n`);
    },
    stop() {
      if (stopped) return;
      stopped = true;
      line.clear();
    },
  };
}
