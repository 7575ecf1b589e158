import { ValidationError } from '../errors.js';

/** Field rules the server enforces (umapi-api.md §4.2), checked before anything is sent. */
export const MAX_EMAIL_LENGTH = 60;
export const MAX_NAME_LENGTH = 250;
export const MAX_USER_GROUP_NAME_LENGTH = 255;
/** Groups the API refuses to assign or remove (umapi-api.md §4.3, administrative roles). */
export const UNASSIGNABLE_GROUPS: readonly string[] = [
  '_org_admin',
  '_compartment_admin',
  '_compartment_viewer',
];

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

export function checkEmail(value: string, field: string): void {
  if (!isEmail(value)) {
    throw new ValidationError(
      `${field} must be a valid email address like jdoe@example.com, got "${value}"`,
      field,
    );
  }
  if (value.length > MAX_EMAIL_LENGTH) {
    throw new ValidationError(
      `${field} must be at most ${MAX_EMAIL_LENGTH} characters, got ${value.length}: "${value}"`,
      field,
    );
  }
}

export function checkName(value: string, field: string): void {
  if (value.trim() === '') throw new ValidationError(`${field} must not be empty`, field);
  if (value.length > MAX_NAME_LENGTH) {
    throw new ValidationError(
      `${field} must be at most ${MAX_NAME_LENGTH} characters, got ${value.length}`,
      field,
    );
  }
}

export function checkCountry(value: string, field: string): void {
  if (!/^[A-Z]{2}$/.test(value)) {
    throw new ValidationError(
      `${field} must be exactly 2 upper-case ISO-3166 letters such as "US", got "${value}"`,
      field,
    );
  }
}

/** Names in a user's add/remove list: profiles, user groups or admin groups. */
export function checkGroupList(groups: readonly string[], field: string): void {
  if (groups.length === 0) throw new ValidationError(`${field} must list at least one group`, field);
  groups.forEach((group, i) => {
    if (typeof group !== 'string' || group.trim() === '') {
      throw new ValidationError(`${field}[${i}] must be a non-empty group name`, `${field}[${i}]`);
    }
    if (UNASSIGNABLE_GROUPS.includes(group)) {
      throw new ValidationError(
        `${field}[${i}] is "${group}", which the API does not let anyone assign or remove`,
        `${field}[${i}]`,
      );
    }
  });
}

/** A user-group name being created or given by rename (PYCLIENT's rule: no leading `_`, ≤ 255). */
export function checkUserGroupName(value: string, field: string): void {
  if (value.trim() === '') throw new ValidationError(`${field} must be a non-empty user-group name`, field);
  if (value.startsWith('_')) {
    throw new ValidationError(
      `${field} must not start with "_" (reserved for admin groups), got "${value}"`,
      field,
    );
  }
  if (value.length > MAX_USER_GROUP_NAME_LENGTH) {
    throw new ValidationError(
      `${field} must be at most ${MAX_USER_GROUP_NAME_LENGTH} characters, got ${value.length}`,
      field,
    );
  }
}
