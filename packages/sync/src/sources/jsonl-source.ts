import type { DirectorySource, SourceRow } from './directory-source.js';
import { directoryUserFrom } from './directory-row.js';
import { readJsonlRecords } from './records.js';

/** One JSON object per line: `{"email": ..., "groups": ["A", "B"], ...}`. Blank lines are skipped. */
export class JsonlSource implements DirectorySource {
  readonly name: string;
  readonly #encoding: BufferEncoding;

  constructor(options: { path: string; encoding?: BufferEncoding }) {
    this.name = options.path;
    this.#encoding = options.encoding ?? 'utf8';
  }

  async *rows(): AsyncIterable<SourceRow> {
    for await (const row of readJsonlRecords(this.name, { encoding: this.#encoding })) {
      if ('problem' in row) {
        yield { line: row.line, problems: [row.problem] };
        continue;
      }
      const result = directoryUserFrom(row.record);
      yield result.problems === undefined
        ? { line: row.line, user: result.user }
        : { line: row.line, problems: result.problems };
    }
  }
}
