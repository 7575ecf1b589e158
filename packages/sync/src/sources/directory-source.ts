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

/** A later row merged into (or dropped for) an earlier row of the same user. */
export interface DuplicateRow {
  source: string;
  line: number;
  firstLine: number;
  email: string;
}

export interface LoadedDirectory {
  users: DirectoryUser[];
  /** Invalid rows that were skipped (empty in strict mode, which throws instead), one entry per problem. */
  errors: RowError[];
  /** Later rows of a user already read, merged (`merge`) or dropped (`first`). */
  duplicates: DuplicateRow[];
  rowsRead: number;
}

export interface LoadOptions {
  /** Stop at the first invalid row. */
  strict?: boolean;
  /**
   * Several rows for one user (same anchor, or same email): `merge` (default, as the User Sync Tool does: one
   * user, the union of its groups, the first row's other fields), `first` (later rows dropped), `error` (later
   * rows are invalid rows).
   */
  duplicateRows?: 'merge' | 'first' | 'error';
}

/**
 * Reads a whole source into memory. Invalid rows either stop the run (`strict`, an `InputFileError` naming the
 * first problem) or are skipped and listed in `errors`. Rows of the same user are handled by `duplicateRows`;
 * two rows with one email and different anchors are two people claiming one address, always an error.
 */
export async function loadDirectory(
  source: DirectorySource,
  options: LoadOptions = {},
): Promise<LoadedDirectory> {
  const users: DirectoryUser[] = [];
  const errors: RowError[] = [];
  const duplicates: DuplicateRow[] = [];
  const duplicateRows = options.duplicateRows ?? 'merge';
  /** Lower-cased email, and `#` + anchor → index in `users` and the line it came from. */
  const seen = new Map<string, { index: number; line: number }>();
  let rowsRead = 0;
  for await (const row of source.rows()) {
    rowsRead += 1;
    let problems: { column?: string; message: string }[] = row.problems ?? [];
    if (row.user !== undefined) {
      const user = row.user;
      const byAnchor = user.id === undefined ? undefined : seen.get(`#${user.id}`);
      const byEmail = seen.get(user.email.toLowerCase());
      const earlier = byAnchor ?? byEmail;
      const first = earlier === undefined ? undefined : users[earlier.index];
      if (earlier === undefined || first === undefined) {
        const at = { index: users.length, line: row.line };
        seen.set(user.email.toLowerCase(), at);
        if (user.id !== undefined) seen.set(`#${user.id}`, at);
        users.push(user);
        continue;
      }
      if (first.id !== user.id) {
        problems = [
          {
            message: `email ${user.email} is already on line ${String(earlier.line)} for another person (id ${first.id ?? 'none'}, here ${user.id ?? 'none'})`,
          },
        ];
      } else if (duplicateRows === 'error') {
        problems = [
          { message: `duplicate row for ${user.email} (first seen on line ${String(earlier.line)})` },
        ];
      } else {
        if (duplicateRows === 'merge') {
          const groups = new Map(first.groups.map((group) => [group.toLowerCase(), group]));
          for (const group of user.groups)
            if (!groups.has(group.toLowerCase())) groups.set(group.toLowerCase(), group);
          first.groups = [...groups.values()];
        }
        duplicates.push({ source: source.name, line: row.line, firstLine: earlier.line, email: user.email });
        continue;
      }
    }
    for (const problem of problems) {
      if (options.strict === true) throw new InputFileError(source.name, row.line, problem.message, 'row');
      errors.push({
        source: source.name,
        line: row.line,
        ...(problem.column === undefined ? {} : { column: problem.column }),
        message: problem.message,
      });
    }
  }
  return { users, errors, duplicates, rowsRead };
}
