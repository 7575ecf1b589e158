import type { DirectoryUser } from '../types.js';
import { InputFileError, type RecordProblem } from './records.js';

/** One row a source read: a user, or the problems that keep it out (each naming line and column). */
export type SourceRow =
  | { line: number; user: DirectoryUser; problems?: undefined }
  | { line: number; problems: RecordProblem[]; user?: undefined };

/** A place directory users come from (CSV, JSON lines; LDAP later). Rows stream; nothing is dropped silently. */
export interface DirectorySource {
  /** For messages: the file path or a description. */
  readonly name: string;
  rows(): AsyncIterable<SourceRow>;
}

export interface RowError {
  source: string;
  line: number;
  column?: string;
  message: string;
}

export interface LoadedDirectory {
  users: DirectoryUser[];
  /** Invalid rows that were skipped (empty in strict mode, which throws instead), one entry per problem. */
  errors: RowError[];
  rowsRead: number;
}

/**
 * Reads a whole source into memory. Invalid rows either stop the run (`strict`, an `InputFileError` naming the
 * first problem) or are skipped and listed in `errors`. A second row for an email already seen is an error too
 * (the first one wins).
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
    let problems: { column?: string; message: string }[] = row.problems ?? [];
    if (row.user !== undefined) {
      const key = row.user.email.toLowerCase();
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, row.line);
        users.push(row.user);
        continue;
      }
      problems = [{ message: `duplicate email ${row.user.email} (first seen on line ${String(first)})` }];
    }
    for (const problem of problems) {
      if (options.strict === true) throw new InputFileError(source.name, row.line, problem.message);
      errors.push({
        source: source.name,
        line: row.line,
        ...(problem.column === undefined ? {} : { column: problem.column }),
        message: problem.message,
      });
    }
  }
  return { users, errors, rowsRead };
}
