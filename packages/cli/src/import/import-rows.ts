import { parse } from 'csv-parse/sync';
import { userAction } from '../actions/cli-action.js';
import type { CliAction } from '../actions/cli-action.js';
import {
  addGroupsStep,
  createUserStep,
  removeFromOrgStep,
  removeGroupsStep,
  updateUserStep,
} from '../actions/steps.js';
import type { ActionStep } from '@umapi-kit/client';
import { cellText } from '../output/columns.js';
import { CliError } from '../cli/cli-errors.js';
import {
  checkChoice,
  checkCountry,
  checkEmail,
  checkName,
  checkUserTarget,
  conflictChoices,
  isEmail,
  userTypes,
} from '../commands/validate.js';

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
  actions: CliAction[];
  lines: number[];
  removes: number;
}

/** Reads CSV (header row) or JSON lines; every row keeps its line number. */
export function readImportRows(
  text: string,
  format: 'csv' | 'jsonl',
): { rows: ImportRow[]; problems: ImportProblem[] } {
  const rows: ImportRow[] = [];
  const problems: ImportProblem[] = [];
  if (format === 'jsonl') {
    text.split(/\r?\n/).forEach((raw, index) => {
      const line = index + 1;
      if (raw.trim() === '') return;
      try {
        const value: unknown = JSON.parse(raw);
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          problems.push({ line, field: '(row)', message: 'expected a JSON object per line' });
          return;
        }
        const fields: Record<string, string> = {};
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          fields[key] = Array.isArray(item)
            ? item.map(String).join(',')
            : item === null || item === undefined
              ? ''
              : cellText(item);
        }
        rows.push({ line, fields });
      } catch {
        problems.push({ line, field: '(row)', message: 'not valid JSON' });
      }
    });
    return { rows, problems };
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse<{ record: Record<string, string>; info: { lines: number } }>(text, {
      columns: (header: string[]) => header.map((name) => name.trim().toLowerCase()),
      info: true,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    problems.push({
      line: lines ?? 0,
      field: '(file)',
      message: `not valid CSV: ${(error as Error).message.split('\n')[0] ?? ''}`,
    });
    return { rows, problems };
  }
  for (const { record, info } of records) rows.push({ line: info.lines, fields: record });
  return { rows, problems };
}

/** Validates every row and builds the actions; returns every problem found (nothing is sent when there is one). */
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
    const get = (key: string): string | undefined => {
      const value = row.fields[key]?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    const check = <T>(field: string, run: () => T): T | undefined => {
      try {
        return run();
      } catch (error) {
        if (!(error instanceof CliError)) throw error;
        problems.push({ line: row.line, field, message: error.message.replace(/^[^:]*: /, '') });
        return undefined;
      }
    };
    const before = problems.length;
    const action = check('action', () =>
      checkChoice(get('action') ?? 'create', ['create', 'update', 'remove'] as const, 'action'),
    );
    const userValue = get('user') ?? get('email');
    if (userValue === undefined) {
      problems.push({ line: row.line, field: 'user', message: 'missing: give user (or email)' });
      continue;
    }
    const target = check(get('domain') === undefined ? 'user' : 'domain', () =>
      checkUserTarget(userValue, get('domain')),
    );
    const groups = (get('groups') ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
    const removeGroups = (get('remove_groups') ?? '')
      .split(',')
      .map((g) => g.trim())
      .filter((g) => g !== '');
    const steps: ActionStep[] = [];
    let useAdobeId = false;
    if (action === 'create') {
      const type = check('type', () => checkChoice(get('type'), userTypes, 'type'));
      if (type === undefined && get('type') === undefined)
        problems.push({ line: row.line, field: 'type', message: `missing: one of ${userTypes.join(', ')}` });
      const emailText = get('email') ?? (isEmail(userValue) ? userValue : undefined);
      const email =
        emailText === undefined ? undefined : check('email', () => checkEmail(emailText, 'email'));
      if (emailText === undefined)
        problems.push({
          line: row.line,
          field: 'email',
          message: 'missing: needed for a username that is not an email',
        });
      const firstname = check('firstname', () => checkName(get('firstname'), 'firstname'));
      const lastname = check('lastname', () => checkName(get('lastname'), 'lastname'));
      const country = check('country', () => checkCountry(get('country'), 'country'));
      const onConflict = check('on_conflict', () =>
        checkChoice(get('on_conflict') ?? 'error', conflictChoices, 'on_conflict'),
      );
      if ((type === 'enterprise' || type === 'federated') && get('firstname') === undefined)
        problems.push({ line: row.line, field: 'firstname', message: `required for ${type} users` });
      if ((type === 'enterprise' || type === 'federated') && get('lastname') === undefined)
        problems.push({ line: row.line, field: 'lastname', message: `required for ${type} users` });
      if (type === 'federated' && get('country') === undefined)
        problems.push({ line: row.line, field: 'country', message: 'required for federated users' });
      if (type !== undefined && onConflict !== undefined) {
        steps.push(createUserStep(type, { email, firstname, lastname, country }, onConflict));
        useAdobeId = type === 'adobe';
      }
      if (removeGroups.length > 0) steps.push(removeGroupsStep(removeGroups));
      if (groups.length > 0) steps.push(addGroupsStep(groups));
    } else if (action === 'update') {
      const emailText = get('email');
      const fields = {
        email:
          emailText === undefined || emailText === userValue
            ? undefined
            : check('email', () => checkEmail(emailText, 'email')),
        username: check('username', () => checkName(get('username'), 'username')),
        firstname: check('firstname', () => checkName(get('firstname'), 'firstname')),
        lastname: check('lastname', () => checkName(get('lastname'), 'lastname')),
      };
      if (get('country') !== undefined)
        problems.push({ line: row.line, field: 'country', message: 'the API cannot change a country' });
      if (Object.values(fields).some((value) => value !== undefined)) steps.push(updateUserStep(fields));
      if (removeGroups.length > 0) steps.push(removeGroupsStep(removeGroups));
      if (groups.length > 0) steps.push(addGroupsStep(groups));
      if (steps.length === 0 && problems.length === before)
        problems.push({ line: row.line, field: '(row)', message: 'update with nothing to change' });
    } else if (action === 'remove') {
      const deleteText = get('delete_account') ?? 'false';
      const deleteAccount = check('delete_account', () =>
        checkChoice(deleteText.toLowerCase(), ['true', 'false', 'yes', 'no'] as const, 'delete_account'),
      );
      steps.push(removeFromOrgStep(deleteAccount === 'true' || deleteAccount === 'yes'));
      plan.removes++;
    }
    if (problems.length > before || target === undefined) continue;
    plan.actions.push(userAction({ ...target, useAdobeId }, steps, `line-${row.line}`));
    plan.lines.push(row.line);
  }
  return plan;
}
