import { UsageError } from '../cli/cli-errors.js';
import type { OnConflict, UserType } from '../actions/steps.js';

export const userTypes: readonly UserType[] = ['adobe', 'enterprise', 'federated'];
export const conflictChoices: readonly OnConflict[] = ['ignore', 'update', 'error'];

const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function isEmail(value: string): boolean {
  return emailPattern.test(value);
}

export function checkEmail(value: string, field: string): string {
  if (!isEmail(value))
    throw new UsageError(`${field}: expected an email address like jdoe@example.com, got '${value}'`);
  if (value.length > 60)
    throw new UsageError(`${field}: an email address has at most 60 characters (got ${value.length})`);
  return value;
}

export function checkCountry(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^[A-Z]{2}$/.test(value)) {
    throw new UsageError(
      `${field}: expected a 2-letter upper-case ISO-3166 country code like US or DE, got '${value}'`,
    );
  }
  return value;
}

export function checkName(value: string | undefined, field: string): string | undefined {
  if (value !== undefined && value.length > 250)
    throw new UsageError(`${field}: at most 250 characters (got ${value.length})`);
  return value;
}

/** `user` / `--domain`: a non-email user (a federated username) needs a domain; an email user takes none. */
export function checkUserTarget(user: string, domain: string | undefined): { user: string; domain?: string } {
  if (isEmail(user)) {
    if (domain !== undefined) {
      throw new UsageError(
        `--domain: only used with a federated username that is not an email address ('${user}' is one)`,
      );
    }
    return { user };
  }
  if (user.includes('@')) throw new UsageError(`user: '${user}' is not a valid email address`);
  if (domain === undefined) {
    throw new UsageError(`--domain: required because '${user}' is a username, not an email address`, [
      'pass --domain with the federated domain the username belongs to',
    ]);
  }
  return { user, domain };
}

export function checkChoice<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  field: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${field}: expected one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}
