import type { TextSink } from '../output/text-sink.js';

/**
 * The stderr of one org of a fleet: each whole line goes to the fleet's stderr with the org's name in front
 * (`[acme] warning: ...`), so the lines of orgs running at once can be told apart; JSON lines pass as they are
 * (each carries `fleetOrg`).
 */
export class OrgLogSink implements TextSink {
  readonly #target: TextSink;
  readonly #prefix: string;
  #pending = '';

  constructor(target: TextSink, name: string, options: { json: boolean }) {
    this.#target = target;
    this.#prefix = options.json ? '' : `[${name}] `;
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
    return this.#target.write(lines.map((line) => `${this.#prefix}${line}\n`).join(''));
  }

  /** Writes what is left without a newline (the org's run has ended). */
  flush(): void {
    if (this.#pending !== '') this.#target.write(`${this.#prefix}${this.#pending}\n`);
    this.#pending = '';
  }
}
