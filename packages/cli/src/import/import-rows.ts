import { checkUserFields, isEmail, UserAction, ValidationError, type UserField } from '@umapi-kit/client';
import { entryToAction, readCsvRecords, readJsonlRecords, type PlanEntry } from '@umapi-kit/sync';
import type { CreateUserFields, IdentityType, UpdateUserFields } from '@umapi-kit/client';
import { fieldProblem } from '../actions/builder-errors.js';
import type { FieldNames } from '../actions/builder-errors.js';
import {
  conflictChoices,
  createOption,
  identityTypes,
  userTypeOf,
  userTypes,
} from '../actions/create-choices.js';
import type { UserType } from '../actions/create-choices.js';
import { cellText } from '../output/columns.js';
import { startsFormula } from '../output/csv-cell.js';
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
  /** One entry per row (id `line-N`): what the journaled applier sends. */
  entries: PlanEntry[];
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
  encoding?: BufferEncoding,
): Promise<{ rows: ImportRow[]; problems: ImportProblem[]; formulas: ImportProblem[] }> {
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  const formulas: ImportProblem[] = [];
  const options = encoding === undefined ? {} : { encoding };
  for await (const row of format === 'csv'
    ? readCsvRecords(file, options)
    : readJsonlRecords(file, options)) {
    if ('problem' in row) {
      problems.push({ line: row.line, field: row.problem.column ?? '(row)', message: row.problem.message });
      continue;
    }
    const fields: Record<string, string> = {};
    let typed = true;
    for (const [key, cell] of row.record.cells) {
      const wrong = cell.position === undefined ? wrongJsonType(key, cell.value) : undefined;
      if (wrong !== undefined) {
        problems.push({ line: row.line, field: cell.column, message: wrong });
        typed = false;
        continue;
      }
      fields[key] = Array.isArray(cell.value) ? cell.value.join(',') : cellText(cell.value);
      const text = fields[key] ?? '';
      if (startsFormula(text)) {
        const shown = text.length > 30 ? `${text.slice(0, 30)}…` : text;
        formulas.push({
          line: row.line,
          field: cell.column,
          message: `${JSON.stringify(shown)} starts with ${JSON.stringify(text[0])}: a spreadsheet would run it as a formula`,
        });
      }
    }
    if (typed) rows.push({ line: row.line, fields });
  }
  return { rows, problems, formulas };
}

const listColumns = new Set(['groups', 'remove_groups']);

/** What is wrong with a JSON-lines value's type (undefined: nothing): text is a string, groups a list of names. */
function wrongJsonType(key: string, value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (listColumns.has(key)) {
    if (!Array.isArray(value)) {
      return `must be a list of group names like ["Designers"], got ${jsonTypeOf(value)}`;
    }
    const bad = value.findIndex(
      (name) => typeof name !== 'string' || name.trim() === '' || name.includes(','),
    );
    if (bad === -1) return undefined;
    const item: unknown = value[bad];
    return typeof item === 'string' && item.includes(',')
      ? `[${String(bad)}] "${item}" has a comma; give each group as its own list item`
      : `[${String(bad)}] must be a non-empty group name, got ${jsonTypeOf(item)}`;
  }
  if (key === 'delete_account' && typeof value === 'boolean') return undefined;
  if (typeof value !== 'string') return `must be text (a JSON string), got ${jsonTypeOf(value)}`;
  return undefined;
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return value.trim() === '' ? 'an empty name' : `the text ${JSON.stringify(value)}`;
  return `a ${typeof value} (${JSON.stringify(value)})`;
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
      // A country is a code: `us` means `US`.
      if (value !== undefined)
        given[key] = key === 'country' && /^[a-z]{2}$/i.test(value) ? value.toUpperCase() : value;
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

/**
 * Checks a `create` row: every missing or bad cell is a problem. When there is none, the create step goes on the
 * row's action and its fields on the row's entry.
 */
function planCreate(check: RowCheck, user: string, action: UserAction | undefined, entry: PlanEntry): void {
  const type = check.choice('type', () => userTypeOf(check.get('type'), 'type'));
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
  const option = createOption(onConflict);
  const built = check.build(() => {
    addCreate(action, type, { ...cells, option });
  });
  if (!built) return;
  entry.target.type = identityTypes[type];
  if (Object.keys(cells).length > 0) entry.attributes = { ...cells };
  entry.createOption = option;
}

/** Checks an `update` row; an email equal to the user names the user and is not a change. */
function planUpdate(check: RowCheck, user: string, action: UserAction | undefined, entry: PlanEntry): void {
  const fields: UpdateUserFields = check.cells(['username', 'firstname', 'lastname'] as const);
  const email = check.get('email');
  if (email !== undefined && email !== user) Object.assign(fields, check.cells(['email'] as const));
  if (check.get('country') !== undefined) check.problem('country', 'the API cannot change a country');
  const changesGroups = check.list('groups').length > 0 || check.list('remove_groups').length > 0;
  if (Object.keys(fields).length === 0) {
    if (!changesGroups && check.ok) check.problem('(row)', 'update with nothing to change');
    return;
  }
  if (action !== undefined && check.ok && check.build(() => action.update(fields)))
    entry.attributes = { ...fields };
}

/**
 * The type an update or remove row names: the wire carries none for them, except that an Adobe ID is addressed
 * with `useAdobeID`. A row without a type is recorded as an Enterprise ID, which sends nothing extra.
 */
function addressedType(check: RowCheck): IdentityType {
  const type = check.choice('type', () => userTypeOf(check.get('type'), 'type'));
  return type === undefined ? 'enterpriseID' : identityTypes[type];
}

/** The key two rows of the same user share: the user (email or username) and domain, case-insensitively. */
function userKey(user: string, domain: string | undefined): string {
  return `${user.toLowerCase()}\u0000${(domain ?? '').toLowerCase()}`;
}

/**
 * Validates every row, building its action with the client's UserAction, and makes the plan entry (id `line-N`)
 * the journaled applier sends. Every bad cell of every row is found (the client's field rules, applied cell by
 * cell), not only the first, and a user on two rows is a problem of the later one naming both lines; nothing is
 * sent when there is one problem.
 */
export function planImport(
  rows: readonly ImportRow[],
  problems: ImportProblem[],
  file = 'the file',
): ImportPlan {
  const plan: ImportPlan = { entries: [], lines: [], removes: 0 };
  const known = new Set<string>(importColumns);
  const firstLine = new Map<string, number>();
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
    const key = userKey(user, domain);
    const earlier = firstLine.get(key);
    if (earlier === undefined) firstLine.set(key, row.line);
    else {
      // Rows are applied removals first and concurrently: two rows of one user could land in either order.
      check.problem(
        check.get('user') === undefined ? 'email' : 'user',
        `${user}${domain === undefined ? '' : ` (${domain})`} is also on ${file}:${String(earlier)}; ` +
          'give each user one row (put all its changes on it)',
      );
    }
    const id = `line-${String(row.line)}`;
    const entry: PlanEntry = {
      id,
      kind: 'update',
      target: { user, ...(domain === undefined ? {} : { domain }), type: 'enterpriseID' },
    };
    let action: UserAction | undefined;
    check.build(() => {
      action = new UserAction(user, { ...(domain === undefined ? {} : { domain }), requestId: id });
    });
    if (kind === 'remove') {
      const deleteAccount = check.choice('delete_account', () =>
        checkChoice(
          (check.get('delete_account') ?? 'false').toLowerCase(),
          ['true', 'false', 'yes', 'no'] as const,
          'delete_account',
        ),
      );
      const deleting = deleteAccount === 'true' || deleteAccount === 'yes';
      entry.target.type = addressedType(check);
      entry.kind = deleting ? 'delete-account' : 'remove-from-org';
      action?.removeFromOrg({ deleteAccount: deleting });
      plan.removes++;
    } else if (kind !== undefined) {
      entry.kind = kind;
      if (kind === 'create') planCreate(check, user, action, entry);
      else {
        entry.target.type = addressedType(check);
        planUpdate(check, user, action, entry);
      }
      const target = action;
      const removeGroups = check.list('remove_groups');
      const groups = check.list('groups');
      const removed = new Set(removeGroups.map((group) => group.toLowerCase()));
      const both = groups.filter((group) => removed.has(group.toLowerCase()));
      if (both.length > 0)
        check.problem(
          'groups',
          `${both.join(', ')} also in remove_groups: a row cannot add and remove a group`,
        );
      if (
        target !== undefined &&
        removeGroups.length > 0 &&
        check.build(() => target.removeFromGroups(removeGroups))
      )
        entry.removeGroups = removeGroups;
      if (target !== undefined && groups.length > 0 && check.build(() => target.addToGroups(groups)))
        entry.addGroups = groups;
    }
    if (!check.ok || action === undefined) continue;
    // The applier sends what the entry says; the client's builders check it once more.
    if (!check.build(() => entryToAction(entry))) continue;
    plan.entries.push(entry);
    plan.lines.push(row.line);
  }
  return plan;
}
