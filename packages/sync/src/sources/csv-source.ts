import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { DirectorySource, SourceRow } from './directory-source.js';
import { DirectorySourceError } from './directory-source.js';
import { validateUser, type RawUserFields } from './validate-user.js';

/** The canonical columns (the User Sync Tool's CSV connector vocabulary). */
export const CSV_FIELDS = [
  'email',
  'firstname',
  'lastname',
  'country',
  'groups',
  'type',
  'username',
  'domain',
] as const;
export type CsvField = (typeof CSV_FIELDS)[number];

export interface CsvSourceOptions {
  path: string;
  /** Header name to read for each canonical field, e.g. `{ email: 'mail' }`. Unmapped fields use their own name. */
  columnNames?: Partial<Record<CsvField, string>>;
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
    const parser = createReadStream(this.#options.path).pipe(
      parse({
        delimiter: this.#options.delimiter ?? ',',
        encoding: this.#options.encoding ?? 'utf8',
        bom: true,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
      }),
    );
    let header: string[] | undefined;
    let index = new Map<CsvField, number>();
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
        const { record, info } = item;
        if (header === undefined) {
          header = record.map((name) => name.trim());
          index = this.#columnIndex(header);
          continue;
        }
        if (record.length !== header.length) {
          yield {
            line: info.lines,
            error: `has ${String(record.length)} fields, the header has ${String(header.length)}`,
          };
          continue;
        }
        const raw: RawUserFields = {};
        for (const [field, position] of index) raw[field] = record[position];
        try {
          yield { line: info.lines, user: validateUser(raw) };
        } catch (error) {
          yield { line: info.lines, error: (error as Error).message };
        }
      }
    } catch (error) {
      if (error instanceof DirectorySourceError) throw error;
      const lines = (error as { lines?: unknown }).lines;
      throw new DirectorySourceError(
        this.name,
        typeof lines === 'number' ? lines : 0,
        `cannot read CSV: ${(error as Error).message}`,
      );
    }
    if (header === undefined)
      throw new DirectorySourceError(this.name, 1, 'the file is empty (expected a header row)');
  }

  #columnIndex(header: string[]): Map<CsvField, number> {
    const index = new Map<CsvField, number>();
    const lower = header.map((name) => name.toLowerCase());
    for (const field of CSV_FIELDS) {
      const wanted = this.#options.columnNames?.[field] ?? field;
      const position = lower.indexOf(wanted.toLowerCase());
      if (position >= 0) index.set(field, position);
      else if (field === 'email') {
        throw new DirectorySourceError(
          this.name,
          1,
          `the header has no "${wanted}" column for email (columns: ${header.join(', ')})`,
        );
      }
    }
    return index;
  }
}
