import type { DirectorySource, SourceRow } from './directory-source.js';
import { directoryUserFrom, type DirectoryField } from './directory-row.js';
import { InputFileError, readCsvRecords } from './records.js';

export interface CsvSourceOptions {
  path: string;
  /** Header name to read for each field, e.g. `{ email: 'mail' }`. Unmapped fields use their own name. */
  columnNames?: Partial<Record<DirectoryField, string>>;
  /** Default `,`. */
  delimiter?: string;
  /** Default `utf8`. */
  encoding?: BufferEncoding;
}

/** A CSV file with a header row. `groups` is one (quoted) field with comma-separated names. */
export class CsvSource implements DirectorySource {
  readonly name: string;
  readonly #options: CsvSourceOptions;

  constructor(options: CsvSourceOptions) {
    this.name = options.path;
    this.#options = options;
  }

  async *rows(): AsyncIterable<SourceRow> {
    const columns = this.#options.columnNames ?? {};
    let checkedHeader = false;
    for await (const row of readCsvRecords(this.name, this.#options)) {
      if ('problem' in row) {
        yield { line: row.line, problems: [row.problem] };
        continue;
      }
      if (!checkedHeader) {
        checkedHeader = true;
        const email = (columns.email ?? 'email').toLowerCase();
        if (!row.record.cells.has(email)) {
          const names = [...row.record.cells.values()].map((cell) => cell.column);
          throw new InputFileError(
            this.name,
            1,
            `the header has no "${columns.email ?? 'email'}" column for email (columns: ${names.join(', ')})`,
          );
        }
      }
      const result = directoryUserFrom(row.record, columns);
      yield result.problems === undefined
        ? { line: row.line, user: result.user }
        : { line: row.line, problems: result.problems };
    }
  }
}
