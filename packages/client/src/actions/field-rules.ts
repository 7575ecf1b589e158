/**
 * The field rules the server enforces (umapi-api.md §4.2, §4.3), in one place: the builders throw on the first
 * problem, importers and directory sources collect every problem of a row with `checkUserFields`.
 */
import { ValidationError, type ValidationRule } from '../errors.js';
import { isCountryCode } from './country-codes.js';
import type { IdentityType } from './types.js';

export const MAX_EMAIL_LENGTH = 60;
export const MAX_NAME_LENGTH = 250;
export const MAX_USER_GROUP_NAME_LENGTH = 255;
/** Groups the API refuses to assign or remove (umapi-api.md §4.3, administrative roles). */
export const UNASSIGNABLE_GROUPS: readonly string[] = [
  '_org_admin',
  '_compartment_admin',
  '_compartment_viewer',
];

export const IDENTITY_TYPES: readonly IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID'];

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN_PATTERN = /^[^\s@/]+\.[^\s@/]+$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

/**
 * Whether a user object's `type` is one of the three identity types the API documents. Listings may also say
 * `unknown`, or a type Adobe adds later: such accounts are nobody's to change by rule.
 */
export function isKnownIdentityType(value: string): value is IdentityType {
  return (IDENTITY_TYPES as readonly string[]).includes(value);
}

export function isEmail(value: string): boolean {
  return EMAIL_PATTERN.test(value);
}

/**
 * Reads an identity type the way admins write it: `federatedID`, `federatedid`, `Federated`, `federated_id` and
 * `federated-ID` all mean `federatedID` (likewise adobe and enterprise). Undefined for anything else.
 */
export function parseIdentityType(text: string): IdentityType | undefined {
  const word = text
    .toLowerCase()
    .replace(/[^a-z]/g, '')
    .replace(/id$/, '');
  if (word === 'adobe') return 'adobeID';
  if (word === 'enterprise') return 'enterpriseID';
  if (word === 'federated') return 'federatedID';
  return undefined;
}

/** The user fields a row, a flag set or a builder call gives. */
export interface UserFields {
  /** How the account is addressed on the wire: an email, or a username (then `domain` is needed). */
  user?: string | undefined;
  domain?: string | undefined;
  email?: string | undefined;
  username?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  country?: string | undefined;
}

export type UserField = keyof UserFields;

/** One thing wrong with one field. `detail` reads after the field's name: "email must be at most 60 …". */
export interface FieldProblem {
  field: UserField;
  rule: ValidationRule;
  detail: string;
}

/**
 * What the fields are for: `create` (the create step's required fields apply), `update` (country cannot
 * change), or `any` (only the shape of what is given: a directory row that may match an existing account).
 */
export type FieldPurpose = 'create' | 'update' | 'any';

/** Fields each identity type needs to be created (umapi-api.md §4.3). */
const REQUIRED_ON_CREATE: Readonly<Record<IdentityType, readonly UserField[]>> = {
  adobeID: ['email'],
  enterpriseID: ['email', 'firstname', 'lastname'],
  federatedID: ['email', 'firstname', 'lastname', 'country'],
};

/**
 * Every problem with a user's fields, in field order (an empty list when they are fine). Given text is checked
 * for its shape; `purpose: 'create'` adds the required fields of `type`. The email defaults to `user` when that
 * is an email (as the builders send it).
 */
export function checkUserFields(
  type: IdentityType | undefined,
  fields: UserFields,
  purpose: FieldPurpose = 'any',
): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const problem = (field: UserField, rule: ValidationRule, detail: string): void => {
    problems.push({ field, rule, detail });
  };
  for (const field of ['user', 'domain', 'email', 'username', 'firstname', 'lastname', 'country'] as const) {
    const value = fields[field];
    if (value !== undefined && CONTROL_CHARACTER.test(value)) {
      problem(field, 'format', 'must not contain control characters (line breaks, tabs, NUL)');
    }
  }
  const { user, domain } = fields;
  if (user !== undefined) {
    if (user.trim() === '') problem('user', 'required', 'must be a non-empty email or username');
    else if (user.length > MAX_NAME_LENGTH) {
      problem('user', 'length', `must be at most ${MAX_NAME_LENGTH} characters, got ${user.length}`);
    } else if (isEmail(user) && domain !== undefined) {
      problem('domain', 'not-allowed', `may only be given when user is a username, not an email ("${user}")`);
    } else if (!isEmail(user) && domain === undefined) {
      problem(
        'domain',
        'required',
        `is required: user "${user}" is not an email, so it needs the domain it belongs to`,
      );
    } else if (!isEmail(user) && type === 'adobeID') {
      problem('user', 'format', `must be the email of the Adobe ID, got "${user}"`);
    }
  }
  if (domain !== undefined && (!DOMAIN_PATTERN.test(domain) || domain.length > MAX_NAME_LENGTH)) {
    problem('domain', 'format', `must be a domain name like example.com, got "${domain}"`);
  }
  const email = fields.email ?? (user !== undefined && isEmail(user) ? user : undefined);
  if (fields.email !== undefined) {
    if (!isEmail(fields.email)) {
      problem(
        'email',
        'format',
        `must be a valid email address like jdoe@example.com, got "${fields.email}"`,
      );
    } else if (fields.email.length > MAX_EMAIL_LENGTH) {
      problem(
        'email',
        'length',
        `must be at most ${MAX_EMAIL_LENGTH} characters, got ${fields.email.length}: "${fields.email}"`,
      );
    }
  } else if (purpose === 'create' && email !== undefined && email.length > MAX_EMAIL_LENGTH) {
    problem(
      'email',
      'length',
      `must be at most ${MAX_EMAIL_LENGTH} characters, got ${email.length} (it is the user's address: "${email}")`,
    );
  }
  for (const field of ['username', 'firstname', 'lastname'] as const) {
    const value = fields[field];
    if (value === undefined) continue;
    if (value.trim() === '') problem(field, 'required', 'must not be empty');
    else if (value.length > MAX_NAME_LENGTH) {
      problem(field, 'length', `must be at most ${MAX_NAME_LENGTH} characters, got ${value.length}`);
    }
  }
  if (fields.country !== undefined) {
    if (purpose === 'update') problem('country', 'not-allowed', 'cannot be updated through the API');
    else if (!/^[A-Z]{2}$/.test(fields.country)) {
      problem(
        'country',
        'format',
        `must be exactly 2 upper-case ISO-3166 letters such as "US", got "${fields.country}"`,
      );
    } else if (!isCountryCode(fields.country)) {
      problem(
        'country',
        'format',
        `"${fields.country}" is not an ISO-3166 country code (two letters such as US, GB, DE, FR, JP)`,
      );
    }
  }
  if (purpose === 'create' && type !== undefined) {
    for (const field of REQUIRED_ON_CREATE[type]) {
      const given = field === 'email' ? email : fields[field];
      if (given !== undefined) continue;
      problem(
        field,
        'required',
        field === 'email'
          ? 'is required when user is not an email'
          : field === 'country'
            ? 'is required for a Federated ID (2 letters, e.g. "US")'
            : `is required for ${type === 'enterpriseID' ? 'an Enterprise' : 'a Federated'} ID`,
      );
    }
  }
  return problems;
}

/** Throws the first problem as a `ValidationError` whose path is `prefix` + the field (`createEnterpriseID.email`). */
export function throwFirst(
  problems: readonly FieldProblem[],
  prefix: string,
  names: Partial<Record<UserField, string>> = {},
): void {
  const [first] = problems;
  if (first === undefined) return;
  throw new ValidationError({
    path: names[first.field] ?? `${prefix}${first.field}`,
    rule: first.rule,
    detail: first.detail,
  });
}

/** Names in a user's add/remove list: profiles, user groups or admin groups. */
export function checkGroupList(groups: readonly string[], path: string): void {
  if (groups.length === 0)
    throw new ValidationError({ path, rule: 'empty', detail: 'must list at least one group' });
  groups.forEach((group, i) => {
    const at = `${path}[${i}]`;
    if (typeof group !== 'string' || group.trim() === '') {
      throw new ValidationError({ path: at, rule: 'required', detail: 'must be a non-empty group name' });
    }
    if (CONTROL_CHARACTER.test(group)) {
      throw new ValidationError({ path: at, rule: 'format', detail: 'must not contain control characters' });
    }
    if (UNASSIGNABLE_GROUPS.includes(group)) {
      throw new ValidationError({
        path: at,
        rule: 'not-allowed',
        detail: `is "${group}", which the API does not let anyone assign or remove`,
      });
    }
  });
}

/** A user-group name being created or given by rename (PYCLIENT's rule: no leading `_`, ≤ 255). */
export function checkUserGroupName(value: string, path: string): void {
  if (value.trim() === '') {
    throw new ValidationError({ path, rule: 'required', detail: 'must be a non-empty user-group name' });
  }
  if (value.startsWith('_')) {
    throw new ValidationError({
      path,
      rule: 'not-allowed',
      detail: `must not start with "_" (reserved for admin groups), got "${value}"`,
    });
  }
  if (value.length > MAX_USER_GROUP_NAME_LENGTH) {
    throw new ValidationError({
      path,
      rule: 'length',
      detail: `must be at most ${MAX_USER_GROUP_NAME_LENGTH} characters, got ${value.length}`,
    });
  }
}
