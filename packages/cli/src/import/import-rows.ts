import { checkUserFields, isEmail, UserAction, ValidationError, type UserField } from '@umapi-kit/client';
import { readCsvRecords, readJsonlRecords } from '@umapi-kit/sync';
import type { CreateUserFields, UpdateUserFields } from '@umapi-kit/client';
import { fieldProblem } from '../actions/builder-errors.js';
import type { FieldNames } from '../actions/builder-errors.js';
import { conflictChoices, createOption, userTypes } from '../actions/create-choices.js';
import type { UserType } from '../actions/create-choices.js';
import { cellText } from '../output/columns.js';
import { CliError } from '../cli/cli-errors.js';
import { checkChoice } from '../commands/validate.js';

/** Columns (CSV header / JSONL keys) an import file may have. */
export const importColumns = [
  'action',
  'type',
  'user',
  'domain',
  'email',
  'username',
  'firstname',
  'lastname',
  'country',
  'groups',
  'remove_groups',
  'on_conflict',
  'delete_account',
] as const;

export interface ImportRow {
  line: number;
  fields: Record<string, string>;
}

export interface ImportProblem {
  line: number;
  field: string;
  message: string;
}

export interface ImportPlan {
  actions: UserAction[];
  lines: number[];
  removes: number;
}

/**
 * Reads a CSV (header row) or JSON-lines import file with the same reader as `umapi sync`: every row keeps its
 * line number; a list in JSON lines becomes comma-separated text. A file that cannot be read at all is an
 * `InputFileError`.
 */
export async function readImportRows(
  file: string,
  format: 'csv' | 'jsonl',
): Promise<{ rows: ImportRow[]; problems: ImportProblem[] }> {
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  for await (const row of format === 'csv' ? readCsvRecords(file) : readJsonlRecords(file)) {
    if ('problem' in row) {
      problems.push({ line: row.line, field: row.problem.column ?? '(row)', message: row.problem.message });
      continue;
    }
    const fields: Record<string, string> = {};
    for (const [key, cell] of row.record.cells) {
      fields[key] = Array.isArray(cell.value) ? cell.value.map(String).join(',') : cellText(cell.value);
    }
    rows.push({ line: row.line, fields });
  }
  return { rows, problems };
}

/** The import's column for each field the client's UserAction checks (`user`/`domain` depend on the row). */
const columnNames: FieldNames = {
  email: 'email',
  username: 'username',
  firstname: 'firstname',
  lastname: 'lastname',
  country: 'country',
  addToGroups: 'groups',
  removeFromGroups: 'remove_groups',
};

/** One row being checked: its cells, and every problem found in it (recorded with the row's line). */
class RowCheck {
  private readonly row: ImportRow;
  private readonly problems: ImportProblem[];
  private readonly names: FieldNames;
  private readonly firstProblem: number;

  constructor(row: ImportRow, problems: ImportProblem[]) {
    this.row = row;
    this.problems = problems;
    this.firstProblem = problems.length;
    // A user that is not an email and has no domain is a problem of the user cell; with a domain, of that cell.
    const targetColumn = this.get('domain') === undefined ? 'user' : 'domain';
    this.names = { ...columnNames, user: targetColumn, domain: targetColumn };
  }

  get ok(): boolean {
    return this.problems.length === this.firstProblem;
  }

  /** A cell's trimmed text; empty is absent. */
  get(key: string): string | undefined {
    const value = this.row.fields[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** A comma-separated cell as a list. */
  list(key: string): string[] {
    return (this.get(key) ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }

  problem(field: string, message: string): void {
    this.problems.push({ line: this.row.line, field, message });
  }

  /** A CLI choice check (`action`, `type`, ...): its complaint becomes a problem of `field`. */
  choice<T>(field: string, run: () => T): T | undefined {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof CliError)) throw error;
      this.problem(field, error.message.replace(/^[^:]*: /, ''));
      return undefined;
    }
  }

  /** The given columns that have text, checked by the client's field rules; returns those that passed. */
  cells<K extends UserField>(keys: readonly K[]): Partial<Record<K, string>> {
    const given: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = this.get(key);
      if (value !== undefined) given[key] = value;
    }
    const refused = new Set<UserField>();
    for (const problem of checkUserFields(undefined, given)) {
      refused.add(problem.field);
      this.problem(problem.field, problem.detail);
    }
    const accepted: Partial<Record<K, string>> = {};
    for (const key of keys) {
      const value = given[key];
      if (value !== undefined && !refused.has(key)) accepted[key] = value;
    }
    return accepted;
  }

  /** Runs a builder call (or rule); its complaint becomes a problem of the column it names. True if none. */
  build(run: () => unknown): boolean {
    try {
      run();
      return true;
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      const { field, message } = fieldProblem(error, this.names);
      this.problem(field, message);
      return false;
    }
  }
}

/** The create step a row's type stands for, on its action. */
function addCreate(action: UserAction, type: UserType, fields: CreateUserFields): void {
  if (type === 'adobe') action.createAdobeId(fields);
  else if (type === 'enterprise') action.createEnterpriseId(fields);
  else action.createFederatedId(fields);
}

/** Checks a `create` row: every missing or bad cell is a problem; the create step goes on when there is none. */
function planCreate(check: RowCheck, user: string, action: UserAction | undefined): void {
  const type = check.choice('type', () => checkChoice(check.get('type'), userTypes, 'type'));
  if (check.get('type') === undefined) check.problem('type', `missing: one of ${userTypes.join(', ')}`);
  const onConflict = check.choice('on_conflict', () =>
    checkChoice(check.get('on_conflict') ?? 'error', conflictChoices, 'on_conflict'),
  );
  const cells = check.cells(['email', 'firstname', 'lastname', 'country'] as const);
  if (check.get('email') === undefined && !isEmail(user))
    check.problem('email', 'missing: needed for a username that is not an email');
  for (const key of ['firstname', 'lastname'] as const) {
    if ((type === 'enterprise' || type === 'federated') && check.get(key) === undefined)
      check.problem(key, `required for ${type} users`);
  }
  if (type === 'federated' && check.get('country') === undefined)
    check.problem('country', 'required for federated users');
  if (action === undefined || type === undefined || onConflict === undefined || !check.ok) return;
  check.build(() => {
    addCreate(action, type, { ...cells, option: createOption(onConflict) });
  });
}

/** Checks an `update` row; an email equal to the user names the user and is not a change. */
function planUpdate(check: RowCheck, user: string, action: UserAction | undefined): void {
  const fields: UpdateUserFields = check.cells(['username', 'firstname', 'lastname'] as const);
  const email = check.get('email');
  if (email !== undefined && email !== user) Object.assign(fields, check.cells(['email'] as const));
  if (check.get('country') !== undefined) check.problem('country', 'the API cannot change a country');
  const changesGroups = check.list('groups').length > 0 || check.list('remove_groups').length > 0;
  if (Object.keys(fields).length === 0) {
    if (!changesGroups && check.ok) check.problem('(row)', 'update with nothing to change');
    return;
  }
  if (action !== undefined && check.ok) check.build(() => action.update(fields));
}

/**
 * Validates every row and builds its action with the client's UserAction. Every bad cell of every row is found
 * (the client's field rules, applied cell by cell), not only the first; nothing is sent when there is one.
 */
export function planImport(rows: readonly ImportRow[], problems: ImportProblem[]): ImportPlan {
  const plan: ImportPlan = { actions: [], lines: [], removes: 0 };
  const known = new Set<string>(importColumns);
  for (const row of rows) {
    const unknown = Object.keys(row.fields).filter((key) => !known.has(key));
    if (unknown.length > 0) {
      problems.push({
        line: row.line,
        field: unknown.join(','),
        message: `unknown column; expected ${importColumns.join(', ')}`,
      });
      continue;
    }
    const check = new RowCheck(row, problems);
    const kind = check.choice('action', () =>
      checkChoice(check.get('action') ?? 'create', ['create', 'update', 'remove'] as const, 'action'),
    );
    const user = check.get('user') ?? check.get('email');
    if (user === undefined) {
      check.problem('user', 'missing: give user (or email)');
      continue;
    }
    const domain = check.get('domain');
    let action: UserAction | undefined;
    check.build(() => {
      action = new UserAction(user, {
        ...(domain === undefined ? {} : { domain }),
        requestId: `line-${row.line}`,
      });
    });
    if (kind === 'remove') {
      const deleteAccount = check.choice('delete_account', () =>
        checkChoice(
          (check.get('delete_account') ?? 'false').toLowerCase(),
          ['true', 'false', 'yes', 'no'] as const,
          'delete_account',
        ),
      );
      action?.removeFromOrg({ deleteAccount: deleteAccount === 'true' || deleteAccount === 'yes' });
      plan.removes++;
    } else if (kind !== undefined) {
      if (kind === 'create') planCreate(check, user, action);
      else planUpdate(check, user, action);
      const target = action;
      const removeGroups = check.list('remove_groups');
      const groups = check.list('groups');
      if (target !== undefined && removeGroups.length > 0)
        check.build(() => target.removeFromGroups(removeGroups));
      if (target !== undefined && groups.length > 0) check.build(() => target.addToGroups(groups));
    }
    if (!check.ok || action === undefined) continue;
    plan.actions.push(action);
    plan.lines.push(row.line);
  }
  return plan;
}
