import { isIdentityType, type DirectoryUser } from '../types.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COUNTRY = /^[A-Za-z]{2}$/;

/** The raw fields of one row, by their canonical names. */
export interface RawUserFields {
  email?: unknown;
  firstname?: unknown;
  lastname?: unknown;
  country?: unknown;
  groups?: unknown;
  type?: unknown;
  username?: unknown;
  domain?: unknown;
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`${field} must be text, got ${typeof value}`);
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Splits "A, B" (CSV) or takes ["A","B"] (JSONL). */
function groupList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) {
    return value
      .map((item, index) => {
        if (typeof item !== 'string') throw new Error(`groups[${String(index)}] must be a group name (text)`);
        return item.trim();
      })
      .filter((name) => name !== '');
  }
  if (typeof value !== 'string')
    throw new Error('groups must be a comma-separated list or an array of names');
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** Checks one row and returns a user, or throws an Error whose message names the field and what is expected. */
export function validateUser(raw: RawUserFields): DirectoryUser {
  const email = text(raw.email, 'email');
  if (email === undefined) throw new Error('email is missing (expected an address like jdoe@example.com)');
  if (!EMAIL.test(email)) throw new Error(`email "${email}" is not an address like jdoe@example.com`);
  const user: DirectoryUser = { email, groups: groupList(raw.groups) };
  const firstname = text(raw.firstname, 'firstname');
  if (firstname !== undefined) user.firstname = firstname;
  const lastname = text(raw.lastname, 'lastname');
  if (lastname !== undefined) user.lastname = lastname;
  const country = text(raw.country, 'country');
  if (country !== undefined) {
    if (!COUNTRY.test(country)) throw new Error(`country "${country}" must be a 2-letter code like US`);
    user.country = country.toUpperCase();
  }
  const type = text(raw.type, 'type');
  if (type !== undefined) {
    if (!isIdentityType(type)) {
      throw new Error(`type "${type}" must be one of adobeID, enterpriseID, federatedID`);
    }
    user.type = type;
  }
  const username = text(raw.username, 'username');
  if (username !== undefined) user.username = username;
  const domain = text(raw.domain, 'domain');
  if (domain !== undefined) user.domain = domain;
  if (username !== undefined && !username.includes('@') && domain === undefined) {
    throw new Error(`username "${username}" is not an email, so the row needs a domain`);
  }
  return user;
}
