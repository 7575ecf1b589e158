import { UsageError } from '../cli/cli-errors.js';

/** A column of a listing: `name` is what `--fields` selects. */
export interface Column<T> {
  name: string;
  get(item: T): unknown;
}

export function fieldColumns<T extends object>(names: readonly string[]): Column<T>[] {
  return names.map((name) => ({ name, get: (item: T) => (item as Record<string, unknown>)[name] }));
}

/** Picks the columns named by `--fields` (in that order), or the defaults. Unknown names are a usage error. */
export function selectColumns<T>(
  all: readonly Column<T>[],
  fields: readonly string[] | undefined,
  defaults: readonly string[],
): Column<T>[] {
  const wanted = fields ?? defaults;
  return wanted.map((name) => {
    const column = all.find((candidate) => candidate.name === name);
    if (column === undefined) {
      throw new UsageError(
        `--fields: unknown field '${name}'; available: ${all.map((c) => c.name).join(', ')}`,
      );
    }
    return column;
  });
}

/** A cell as text: lists joined with ', ', nothing as ''. */
export function cellText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((item) => cellText(item)).join(', ');
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
