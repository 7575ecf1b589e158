import { parseIdentityType, type CreateOption, type IdentityType } from '@umapi-kit/client';
import { UsageError } from '../cli/cli-errors.js';

/** `--type` / the import's `type` column, and the client's identity type each one creates. */
export type UserType = 'adobe' | 'enterprise' | 'federated';
export const userTypes: readonly UserType[] = ['adobe', 'enterprise', 'federated'];
export const identityTypes: Readonly<Record<UserType, IdentityType>> = {
  adobe: 'adobeID',
  enterprise: 'enterpriseID',
  federated: 'federatedID',
};

/**
 * The import's `type` column, written as admins write it (`enterprise`, `Enterprise`, `enterpriseID`,
 * `federated_id`, ...); undefined when empty.
 */
export function userTypeOf(text: string | undefined, field: string): UserType | undefined {
  if (text === undefined) return undefined;
  const type = parseIdentityType(text);
  const found = userTypes.find((candidate) => identityTypes[candidate] === type);
  if (found === undefined) {
    throw new UsageError(
      `${field}: expected one of ${userTypes.join(', ')} (any case, with or without ID), got '${text}'`,
    );
  }
  return found;
}

/** `--on-conflict` / the import's `on_conflict` column: what a create does when the user or group exists. */
export type OnConflict = 'ignore' | 'update' | 'error';
export const conflictChoices: readonly OnConflict[] = ['ignore', 'update', 'error'];

/** `error` sends no option (the API's default: creating what exists fails), as the CLI always has. */
export function createOption(onConflict: OnConflict): CreateOption {
  return onConflict === 'ignore'
    ? 'ignoreIfAlreadyExists'
    : onConflict === 'update'
      ? 'updateIfAlreadyExists'
      : 'errorIfAlreadyExists';
}
