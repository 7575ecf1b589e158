/**
 * The one reader of CSV and JSON-lines files, for directory sources and for `umapi users import` alike: every
 * record keeps its line, every value the column it came from, and every problem names line and column.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { describeFsError } from '../fs-error.js';

/** A value of a record and where it stood: the CSV header name or JSON key, and (CSV) the column number. */
export interface RecordCell {
  value: unknown;
  /** The column's name as the file spells it. */
  column: string;
  /** 1-based column number (CSV only). */
  position?: number;
}

/** One row: its cells by lower-cased column name. */
export interface FileRecord {
  line: number;
  cells: Map<string, RecordCell>;
}

/** A problem with one row (the row is skipped) or, without `column`, with the whole row. */
export interface RecordProblem {
  line: number;
  column?: string;
  position?: number;
  message: string;
}

export type RecordRow = { line: number; record: FileRecord } | { line: number; problem: RecordProblem };

/**
 * An input file that cannot be used: it cannot be read (missing, unreadable, no header, a column named twice, broken
 * quoting), or, in strict mode, a row is invalid. Names the file and line (0: the file as a whole).
 */
export class InputFileError extends Error {
  readonly file: string;
  readonly line: number;
  /** What is wrong, without the file and line. */
  readonly reason: string;
  constructor(file: string, line: number, reason: string) {
    super(`${file}${line > 0 ? `:${String(line)}` : ''}: ${reason}`);
    this.name = 'InputFileError';
    this.file = file;
    this.line = line;
    this.reason = reason;
  }
}

export interface CsvReadOptions {
  /** Default `,`. */
  delimiter?: string;
  /** Default `utf8`. */
  encoding?: BufferEncoding;
}

/** Where a cell is, for messages: `column 3 (email)` in CSV, `"email"` in JSON lines. */
export function cellPlace(cell: Pick<RecordCell, 'column' | 'position'>): string {
  return cell.position === undefined
    ? `"${cell.column}"`
    : `column ${String(cell.position)} (${cell.column})`;
}

function fileError(file: string, error: unknown): InputFileError {
  return new InputFileError(file, 0, describeFsError(error));
}

/**
 * Rows of a CSV file with a header row (names trimmed; matched case-insensitively). A header that names a column
 * twice, or an empty file, is a `InputFileError`; a row with the wrong number of fields is a problem of that row.
 */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<RecordRow> {
  const input = createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    input.once('open', () => {
      resolve();
    });
    input.once('error', reject);
  });
  try {
    await opened;
  } catch (error) {
    throw fileError(file, error);
  }
  const parser = input.pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      encoding: options.encoding ?? 'utf8',
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  input.on('error', (error) => parser.destroy(fileError(file, error)));
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if (header === undefined) {
        header = record.map((name) => name.trim());
        const seen = new Map<string, number>();
        header.forEach((name, index) => {
          const key = name.toLowerCase();
          const first = seen.get(key);
          if (first !== undefined) {
            throw new InputFileError(
              file,
              info.lines,
              `the header names column "${name}" twice (columns ${String(first + 1)} and ${String(index + 1)}): ` +
                'rename or remove one',
            );
          }
          seen.set(key, index);
        });
        continue;
      }
      if (record.length !== header.length) {
        yield {
          line: info.lines,
          problem: {
            line: info.lines,
            message: `has ${String(record.length)} fields, the header has ${String(header.length)}`,
          },
        };
        continue;
      }
      const cells = new Map<string, RecordCell>();
      header.forEach((column, index) => {
        cells.set(column.toLowerCase(), { value: record[index], column, position: index + 1 });
      });
      yield { line: info.lines, record: { line: info.lines, cells } };
    }
  } catch (error) {
    if (error instanceof InputFileError) throw error;
    const lines = (error as { lines?: unknown }).lines;
    throw new InputFileError(
      file,
      typeof lines === 'number' ? lines : 0,
      `not valid CSV: ${((error as Error).message.split('\n')[0] ?? '').trim()}`,
    );
  }
  if (header === undefined) throw new InputFileError(file, 1, 'the file is empty (expected a header row)');
}

/** Rows of a JSON-lines file: one object per line; blank lines are skipped; values keep their JSON types. */
export async function* readJsonlRecords(
  file: string,
  options: { encoding?: BufferEncoding } = {},
): AsyncGenerator<RecordRow> {
  const input = createReadStream(file, { encoding: options.encoding ?? 'utf8' });
  try {
    await new Promise<void>((resolve, reject) => {
      input.once('open', () => {
        resolve();
      });
      input.once('error', reject);
    });
  } catch (error) {
    throw fileError(file, error);
  }
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line += 1;
    const text = line === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, problem: { line, message: `not valid JSON: ${(error as Error).message}` } };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, problem: { line, message: 'expected a JSON object like {"email": "jdoe@example.com"}' } };
      continue;
    }
    const cells = new Map<string, RecordCell>();
    for (const [column, cell] of Object.entries(value as Record<string, unknown>)) {
      cells.set(column.toLowerCase(), { value: cell, column });
    }
    yield { line, record: { line, cells } };
  }
}
