import { appendFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/**
 * A log file rotated by the day, as the User Sync Tool's log files are: `--log-file logs/umapi.log` writes the
 * lines of 4 December 2026 (UTC) to `logs/umapi-2026-12-04.log`, the next day's to `logs/umapi-2026-12-05.log`.
 * Each line is appended whole and synchronously (nothing is lost when the process exits right after), and the
 * file is created owner-only (0600): a log line names users and orgs.
 */
export class DailyLogFile {
  readonly #stem: string;
  readonly #extension: string;
  readonly #now: () => number;
  #folderMade = false;

  constructor(path: string, now: () => number) {
    const extension = extname(path);
    this.#extension = extension === '' ? '.log' : extension;
    this.#stem = join(dirname(path), basename(path, extension));
    this.#now = now;
  }

  /** The file a line written at `time` goes to. */
  pathAt(time: number): string {
    return `${this.#stem}-${new Date(time).toISOString().slice(0, 10)}${this.#extension}`;
  }

  /** pino's destination interface: one call per line. */
  write(line: string): boolean {
    if (!this.#folderMade) {
      mkdirSync(dirname(this.#stem), { recursive: true });
      this.#folderMade = true;
    }
    appendFileSync(this.pathAt(this.#now()), line, { mode: 0o600 });
    return true;
  }
}
