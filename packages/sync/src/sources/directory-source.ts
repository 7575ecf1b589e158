import type { DirectoryUser } from '../types.js';

/** One row a source read: a user, or an error naming the line and what was wrong with it. */
export type SourceRow =
  | { line: number; user: DirectoryUser; error?: undefined }
  | { line: number; error: string; user?: undefined };

/** A place directory users come from (CSV, JSONL; LDAP later). Rows stream; nothing is dropped silently. */
export interface DirectorySource {
  /** For messages: the file path or a description. */
  readonly name: string;
  rows(): AsyncIterable<SourceRow>;
}

export interface RowError {
  source: string;
  line: number;
  message: string;
}

/** Thrown by `loadDirectory` in strict mode at the first invalid row. */
export class DirectorySourceError extends Error {
  readonly source: string;
  readonly line: number;
  constructor(source: string, line: number, message: string) {
    super(`${source}:${String(line)}: ${message}`);
    this.name = 'DirectorySourceError';
    this.source = source;
    this.line = line;
  }
}

export interface LoadedDirectory {
  users: DirectoryUser[];
  /** Invalid rows that were skipped (empty in strict mode, which throws instead). */
  errors: RowError[];
  rowsRead: number;
}

/**
 * Reads a whole source into memory. Invalid rows either stop the run (`strict`) or are skipped and listed in
 * `errors` for the summary. A second row for an email already seen is an error too (the first one wins).
 */
export async function loadDirectory(
  source: DirectorySource,
  options: { strict?: boolean } = {},
): Promise<LoadedDirectory> {
  const users: DirectoryUser[] = [];
  const errors: RowError[] = [];
  const seen = new Map<string, number>();
  let rowsRead = 0;
  for await (const row of source.rows()) {
    rowsRead += 1;
    let message = row.error;
    if (row.user !== undefined) {
      const key = row.user.email.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, row.line);
        users.push(row.user);
        continue;
      }
      message = `duplicate email ${row.user.email} (first seen on line ${String(first)})`;
    }
    if (message === undefined) continue;
    if (options.strict === true) throw new DirectorySourceError(source.name, row.line, message);
    errors.push({ source: source.name, line: row.line, message });
  }
  return { users, errors, rowsRead };
}
