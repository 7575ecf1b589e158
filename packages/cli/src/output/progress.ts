import cliProgress from 'cli-progress';
import type { TextSink } from './text-sink.js';

/** A progress display on stderr. The inert one (no TTY, --json, --quiet, --no-progress) does nothing. */
export interface Progress {
  update(done: number, total?: number): void;
  /** Temporarily clears the bar to print a line (e.g. a rate-limit wait). */
  log(line: string): void;
  stop(): void;
}

export const noProgress: Progress = {
  update() {},
  log() {},
  stop() {},
};

export function terminalProgress(sink: TextSink, label: string): Progress {
  let bar: cliProgress.SingleBar | undefined;
  let knownTotal: number | undefined;
  const start = (total: number | undefined): cliProgress.SingleBar => {
    const created = new cliProgress.SingleBar(
      {
        stream: sink as unknown as NodeJS.WritableStream,
        format:
          total === undefined
            ? `${label} {value}`
            : `${label} [{bar}] {value}/{total} ({percentage}%) eta {eta_formatted}`,
        hideCursor: true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    created.start(total ?? 0, 0);
    return created;
  };
  return {
    update(done: number, total?: number) {
      if (bar === undefined || (total !== undefined && knownTotal === undefined)) {
        bar?.stop();
        knownTotal = total;
        bar = start(total);
      }
      if (total !== undefined) bar.setTotal(total);
      bar.update(done);
    },
    log(line: string) {
      if (bar === undefined) {
        sink.write(`${line}\n`);
        return;
      }
      sink.write(`\r\x1b[2K${line}\n`);
      bar.render();
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
