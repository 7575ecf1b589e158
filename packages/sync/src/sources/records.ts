/**
 * The one reader of CSV and JSON-lines files, for directory sources and for `umapi users import` alike: every
 * record keeps its line, every value the column it came from, and every problem names line and column.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { describeFsError } from '../fs-error.js';
import { TextEncodingError, utf8Input } from './utf8-input.js';

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
  /** `row`: one invalid row stopped a strict read; `file`: the file itself cannot be used. */
  readonly kind: 'file' | 'row';
  constructor(file: string, line: number, reason: string, kind: 'file' | 'row' = 'file') {
    super(`${file}${line > 0 ? `:${String(line)}` : ''}: ${reason}`);
    this.name = 'InputFileError';
    this.file = file;
    this.line = line;
    this.reason = reason;
    this.kind = kind;
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
  if (error instanceof InputFileError) return error;
  if (error instanceof TextEncodingError) return new InputFileError(file, error.line, error.message);
  return new InputFileError(file, 0, describeFsError(error));
}

/** Opens `file` as checked UTF-8 bytes (see utf8-input.ts); a file that cannot be opened is an `InputFileError`. */
async function openText(file: string, encoding: BufferEncoding | undefined): Promise<NodeJS.ReadableStream> {
  const input = createReadStream(file);
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
  const checked = utf8Input({ encoding });
  input.on('error', (error) => checked.destroy(fileError(file, error)));
  return input.pipe(checked);
}

const JSON_LINES_HINT =
  'this looks like JSON lines, not CSV (it starts with "{"): read it as JSON lines ' +
  '(users import: name it .jsonl or give --format jsonl; sync: a jsonl connector)';

/**
 * Rows of a CSV file with a header row (names trimmed; matched case-insensitively). A header that names a column
 * twice, or an empty file, is a `InputFileError`; a row with the wrong number of fields is a problem of that row.
 */
export async function* readCsvRecords(file: string, options: CsvReadOptions = {}): AsyncGenerator<RecordRow> {
  const text = await openText(file, options.encoding);
  let firstText: string | undefined;
  text.once('data', (chunk: Buffer) => {
    firstText = chunk.toString('utf8', 0, 64).trimStart();
  });
  const parser = text.pipe(
    parse({
      delimiter: options.delimiter ?? ',',
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  text.on('error', (error) => parser.destroy(fileError(file, error)));
  const looksLikeJson = (): boolean => firstText?.startsWith('{') === true;
  let header: string[] | undefined;
  try {
    // A record's line is where it starts (a quoted field may span lines): after the previous record's last
    // line and the blank lines skipped since.
    let endOfLast = 0;
    let blanksBefore = 0;
    for await (const item of parser as AsyncIterable<{
      record: string[];
      info: { lines: number; empty_lines: number };
    }>) {
      const { record } = item;
      const info = { lines: endOfLast + (item.info.empty_lines - blanksBefore) + 1 };
      endOfLast = item.info.lines;
      blanksBefore = item.info.empty_lines;
      if (header === undefined) {
        if (looksLikeJson()) throw new InputFileError(file, 1, JSON_LINES_HINT);
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
    if (error instanceof InputFileError || error instanceof TextEncodingError) throw fileError(file, error);
    if (header === undefined && looksLikeJson()) throw new InputFileError(file, 1, JSON_LINES_HINT);
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
  const input = await openText(file, options.encoding);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  const read = lines[Symbol.asyncIterator]();
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await read.next();
    } catch (error) {
      throw fileError(file, error);
    }
    if (next.done === true) break;
    line += 1;
    const text = next.value;
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
