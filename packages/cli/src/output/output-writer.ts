import Table from 'cli-table3';
import { stringify } from 'csv-stringify/sync';
import { neutralizedCell } from './csv-cell.js';
import { cellText } from './columns.js';
import type { Column } from './columns.js';
import { writeText } from './text-sink.js';
import type { TextSink } from './text-sink.js';

export const outputFormats = ['table', 'json', 'jsonl', 'csv'] as const;
export type OutputFormat = (typeof outputFormats)[number];

/** A table buffers at most this many rows before printing them (constant memory for any org size). */
export const tableChunkRows = 200;

/** Borderless, aligned columns (as gh and kubectl print them). */
const compactRows = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: '  ',
};

/**
 * Writes results to stdout in the chosen format. Lists stream: JSON arrays are written element by element,
 * JSON lines and CSV row by row, tables in chunks of at most `tableChunkRows` rows.
 */
export class OutputWriter {
  readonly format: OutputFormat;
  private readonly sink: TextSink;
  /** `--fields` given: JSON output keeps only those keys. */
  private readonly fieldsChosen: boolean;

  constructor(sink: TextSink, format: OutputFormat, fieldsChosen = false) {
    this.sink = sink;
    this.format = format;
    this.fieldsChosen = fieldsChosen;
  }

  /** Human-readable text (table format only; machine formats get data, not prose). */
  async text(line: string): Promise<void> {
    if (this.format === 'table') await writeText(this.sink, `${line}\n`);
  }

  /** A JSON value as is (json/jsonl formats). */
  async json(value: unknown): Promise<void> {
    const text = this.format === 'json' ? JSON.stringify(value, null, 2) : JSON.stringify(value);
    await writeText(this.sink, `${text}\n`);
  }

  /** Streams a listing; returns the number of items written. */
  async list<T>(
    items: Iterable<T> | AsyncIterable<T>,
    columns: readonly Column<T>[],
    onItem?: (count: number) => void,
  ): Promise<number> {
    let count = 0;
    const next = (): void => {
      count++;
      onItem?.(count);
    };
    switch (this.format) {
      case 'json': {
        await writeText(this.sink, '[');
        for await (const item of items) {
          await writeText(
            this.sink,
            `${count === 0 ? '\n' : ',\n'}  ${JSON.stringify(this.shape(item, columns))}`,
          );
          next();
        }
        await writeText(this.sink, count === 0 ? ']\n' : '\n]\n');
        return count;
      }
      case 'jsonl': {
        for await (const item of items) {
          await writeText(this.sink, `${JSON.stringify(this.shape(item, columns))}\n`);
          next();
        }
        return count;
      }
      case 'csv': {
        await writeText(this.sink, stringify([columns.map((column) => column.name)]));
        for await (const item of items) {
          await writeText(
            this.sink,
            stringify([columns.map((column) => neutralizedCell(cellText(column.get(item))))]),
          );
          next();
        }
        return count;
      }
      case 'table': {
        let rows: string[][] = [];
        for await (const item of items) {
          rows.push(columns.map((column) => cellText(column.get(item))));
          next();
          if (rows.length >= tableChunkRows) {
            await this.table(columns, rows);
            rows = [];
          }
        }
        if (rows.length > 0 || count === 0) await this.table(columns, rows);
        return count;
      }
    }
  }

  /** One record: a two-column table (field, value), or the object in the machine formats. */
  async record<T>(item: T, columns: readonly Column<T>[]): Promise<void> {
    switch (this.format) {
      case 'json':
      case 'jsonl':
        await this.json(this.shape(item, columns));
        return;
      case 'csv':
        await writeText(this.sink, stringify([columns.map((column) => column.name)]));
        await writeText(
          this.sink,
          stringify([columns.map((column) => neutralizedCell(cellText(column.get(item))))]),
        );
        return;
      case 'table': {
        const table = new Table({
          style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
          chars: compactRows,
        });
        for (const column of columns) table.push({ [column.name]: cellText(column.get(item)) });
        await writeText(this.sink, `${trimLines(table.toString())}\n`);
        return;
      }
    }
  }

  private shape<T>(item: T, columns: readonly Column<T>[]): unknown {
    if (!this.fieldsChosen) return item;
    const picked: Record<string, unknown> = {};
    for (const column of columns) picked[column.name] = column.get(item);
    return picked;
  }

  private async table<T>(columns: readonly Column<T>[], rows: string[][]): Promise<void> {
    const table = new Table({
      head: columns.map((column) => column.name.toUpperCase()),
      style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
      chars: compactRows,
    });
    for (const row of rows) table.push(row);
    await writeText(this.sink, `${trimLines(table.toString())}\n`);
  }
}

function trimLines(text: string): string {
  return text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}
