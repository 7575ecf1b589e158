import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { DirectorySource, SourceRow } from './directory-source.js';
import { validateUser } from './validate-user.js';

/** One JSON object per line: `{"email": ..., "groups": ["A", "B"], ...}`. Blank lines are skipped. */
export class JsonlSource implements DirectorySource {
  readonly name: string;
  readonly #encoding: BufferEncoding;

  constructor(options: { path: string; encoding?: BufferEncoding }) {
    this.name = options.path;
    this.#encoding = options.encoding ?? 'utf8';
  }

  async *rows(): AsyncIterable<SourceRow> {
    const lines = createInterface({
      input: createReadStream(this.name, { encoding: this.#encoding }),
      crlfDelay: Infinity,
    });
    let line = 0;
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { line, error: `not valid JSON: ${(error as Error).message}` };
        continue;
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        yield { line, error: 'expected a JSON object like {"email": "jdoe@example.com"}' };
        continue;
      }
      try {
        yield { line, user: validateUser(value) };
      } catch (error) {
        yield { line, error: (error as Error).message };
      }
    }
  }
}
