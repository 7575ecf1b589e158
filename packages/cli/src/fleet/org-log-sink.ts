import type { TextSink } from '../output/text-sink.js';

/**
 * The stderr of one org of a fleet: each whole line goes to the fleet's stderr with the org's name in front
 * (`[acme] warning: ...`), so the lines of orgs running at once can be told apart; JSON lines carry `fleetOrg`.
 */
export class OrgLogSink implements TextSink {
  readonly #target: TextSink;
  readonly #prefix: string;
  readonly #name: string;
  readonly #json: boolean;
  #pending = '';

  constructor(target: TextSink, name: string, options: { json: boolean }) {
    this.#target = target;
    this.#name = name;
    this.#json = options.json;
    this.#prefix = options.json ? '' : `[${name}] `;
  }

  /** A JSON line without `fleetOrg` (from an org's own process) gets it; any other line its prefix. */
  #line(line: string): string {
    if (!this.#json) return `${this.#prefix}${line}\n`;
    if (line.startsWith('{') && !line.includes('"fleetOrg":')) {
      try {
        const record = JSON.parse(line) as Record<string, unknown>;
        return `${JSON.stringify({ ...record, fleetOrg: this.#name })}\n`;
      } catch {
        // not JSON after all: as it is
      }
    }
    return `${line}\n`;
  }

  write(chunk: string): boolean {
    const text = this.#pending + chunk;
    const end = text.lastIndexOf('\n');
    if (end === -1) {
      this.#pending = text;
      return true;
    }
    this.#pending = text.slice(end + 1);
    const lines = text.slice(0, end).split('\n');
    return this.#target.write(lines.map((line) => this.#line(line)).join(''));
  }

  /** Writes what is left without a newline (the org's run has ended). */
  flush(): void {
    if (this.#pending !== '') this.#target.write(this.#line(this.#pending));
    this.#pending = '';
  }
}
