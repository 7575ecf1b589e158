import { checkUserFields, parseIdentityType, type UserField } from '@umapi-kit/client';
import type { DirectoryUser } from '../types.js';
import { cellPlace, type FileRecord, type RecordCell, type RecordProblem } from './records.js';

/** The fields a directory row may have (the User Sync Tool's CSV connector vocabulary). */
export const DIRECTORY_FIELDS = [
  'email',
  'firstname',
  'lastname',
  'country',
  'groups',
  'type',
  'username',
  'domain',
  'id',
] as const;
export type DirectoryField = (typeof DIRECTORY_FIELDS)[number];

export type RowResult = { user: DirectoryUser; problems?: undefined } | { problems: RecordProblem[] };

/**
 * A directory user from one record, checked with the client's field rules (`checkUserFields`): every problem of
 * the row is reported, each with its line and column. `columns` maps a field to the column that holds it
 * (default: the field's own name). In JSON lines, text must be strings and groups a list of names (one string,
 * even `"G1, G2"`, is refused: it is ambiguous with a group whose name has a comma); in CSV, groups are one
 * field of comma-separated names.
 */
export function directoryUserFrom(
  record: FileRecord,
  columns: Partial<Record<DirectoryField, string>> = {},
): RowResult {
  const problems: RecordProblem[] = [];
  const cellOf = (field: DirectoryField): RecordCell | undefined =>
    record.cells.get((columns[field] ?? field).toLowerCase());
  const complain = (cell: RecordCell | undefined, field: string, message: string): void => {
    problems.push({
      line: record.line,
      column: cell?.column ?? columns[field as DirectoryField] ?? field,
      ...(cell?.position === undefined ? {} : { position: cell.position }),
      message: `${cell === undefined ? field : cellPlace(cell)} ${message}`,
    });
  };
  const text = (field: DirectoryField): string | undefined => {
    const cell = cellOf(field);
    if (cell === undefined || cell.value === undefined || cell.value === null) return undefined;
    if (typeof cell.value !== 'string') {
      complain(cell, field, `must be text, got ${describeType(cell.value)}`);
      return undefined;
    }
    const trimmed = cell.value.trim();
    return trimmed === '' ? undefined : trimmed;
  };

  const email = text('email');
  if (email === undefined && problems.length === 0) {
    complain(cellOf('email'), 'email', 'is missing (expected an address like jdoe@example.com)');
  }
  const user: DirectoryUser = { email: email ?? '', groups: groupsOf(cellOf('groups'), complain) };
  const typeText = text('type');
  if (typeText !== undefined) {
    const type = parseIdentityType(typeText);
    if (type === undefined) {
      complain(cellOf('type'), 'type', `"${typeText}" must be one of adobeID, enterpriseID, federatedID`);
    } else user.type = type;
  }
  for (const field of ['firstname', 'lastname', 'username', 'domain'] as const) {
    const value = text(field);
    if (value !== undefined) user[field] = value;
  }
  // An id may be a JSON number (an employee number); it is compared as text.
  const idCell = cellOf('id');
  const id =
    typeof idCell?.value === 'number' && Number.isInteger(idCell.value) ? String(idCell.value) : text('id');
  if (id !== undefined) user.id = id;
  const country = text('country');
  if (country !== undefined) user.country = country.toUpperCase();

  const addressedBy = user.username !== undefined && !user.username.includes('@') ? user.username : undefined;
  const fieldProblems = checkUserFields(user.type, {
    ...(email === undefined ? {} : { email }),
    ...(user.firstname === undefined ? {} : { firstname: user.firstname }),
    ...(user.lastname === undefined ? {} : { lastname: user.lastname }),
    ...(user.country === undefined ? {} : { country: user.country }),
    ...(user.username === undefined ? {} : { username: user.username }),
    ...(addressedBy === undefined ? {} : { user: addressedBy }),
    ...(user.domain === undefined ? {} : { domain: user.domain }),
  });
  for (const problem of fieldProblems) {
    const field = FIELD_OF[problem.field];
    complain(cellOf(field), field, problem.detail);
  }
  return problems.length > 0 ? { problems } : { user };
}

/** The directory field a client field rule speaks of (`user` is the username a row is addressed by). */
const FIELD_OF: Record<UserField, DirectoryField> = {
  user: 'username',
  domain: 'domain',
  email: 'email',
  username: 'username',
  firstname: 'firstname',
  lastname: 'lastname',
  country: 'country',
};

function groupsOf(
  cell: RecordCell | undefined,
  complain: (cell: RecordCell | undefined, field: string, message: string) => void,
): string[] {
  if (cell === undefined || cell.value === undefined || cell.value === null) return [];
  const json = cell.position === undefined;
  if (Array.isArray(cell.value)) {
    const names: string[] = [];
    cell.value.forEach((item: unknown, index) => {
      if (typeof item !== 'string' || item.trim() === '') {
        complain(
          cell,
          'groups',
          `[${String(index)}] must be a non-empty group name, got ${describeType(item)}`,
        );
      } else names.push(item.trim());
    });
    return names;
  }
  if (typeof cell.value !== 'string' || json) {
    complain(
      cell,
      'groups',
      json
        ? `must be a list of group names like ["Designers"], got ${describeType(cell.value)}`
        : 'must be comma-separated group names',
    );
    return [];
  }
  return cell.value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.trim() === '' ? 'an empty name' : `"${value}"`;
  return `a ${typeof value} (${JSON.stringify(value)})`;
}
