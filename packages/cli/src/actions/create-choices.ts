import type { CreateOption, IdentityType } from '@umapi-kit/client';

/** `--type` / the import's `type` column, and the client's identity type each one creates. */
export type UserType = 'adobe' | 'enterprise' | 'federated';
export const userTypes: readonly UserType[] = ['adobe', 'enterprise', 'federated'];
export const identityTypes: Readonly<Record<UserType, IdentityType>> = {
  adobe: 'adobeID',
  enterprise: 'enterpriseID',
  federated: 'federatedID',
};

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
