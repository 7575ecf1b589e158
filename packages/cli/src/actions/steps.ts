import type { ActionStep, IfAlreadyExists } from '@umapi-kit/client';

export type UserType = 'adobe' | 'enterprise' | 'federated';
export type OnConflict = 'ignore' | 'update' | 'error';

export interface CreateFields {
  email?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
  country?: string | undefined;
}

const createStepNames: Record<UserType, string> = {
  adobe: 'addAdobeID',
  enterprise: 'createEnterpriseID',
  federated: 'createFederatedID',
};

/** `--on-conflict` → the create step's `option` (none = the API's default: error if the user exists). */
export function conflictOption(onConflict: OnConflict): IfAlreadyExists | undefined {
  return onConflict === 'ignore'
    ? 'ignoreIfAlreadyExists'
    : onConflict === 'update'
      ? 'updateIfAlreadyExists'
      : undefined;
}

function defined(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined && value !== ''),
  );
}

export function createUserStep(type: UserType, fields: CreateFields, onConflict: OnConflict): ActionStep {
  return { [createStepNames[type]]: defined({ ...fields, option: conflictOption(onConflict) }) };
}

export interface UpdateFields {
  email?: string | undefined;
  username?: string | undefined;
  firstname?: string | undefined;
  lastname?: string | undefined;
}

export function updateUserStep(fields: UpdateFields): ActionStep {
  return { update: defined({ ...fields }) };
}

export function addGroupsStep(groups: readonly string[]): ActionStep {
  return { add: { group: [...groups] } };
}

export function removeGroupsStep(groups: readonly string[] | 'all'): ActionStep {
  return { remove: groups === 'all' ? 'all' : { group: [...groups] } };
}

export function removeFromOrgStep(deleteAccount: boolean): ActionStep {
  return { removeFromOrg: { deleteAccount } };
}

export function createUserGroupStep(
  name: string,
  description: string | undefined,
  onConflict: OnConflict,
): ActionStep {
  return { createUserGroup: defined({ name, description, option: conflictOption(onConflict) }) };
}

export function updateUserGroupStep(fields: {
  name?: string | undefined;
  description?: string | undefined;
}): ActionStep {
  return { updateUserGroup: defined({ ...fields }) };
}

export function deleteUserGroupStep(): ActionStep {
  return { deleteUserGroup: {} };
}

export function groupMembershipStep(
  direction: 'add' | 'remove',
  members: { users?: readonly string[]; profiles?: readonly string[] },
): ActionStep {
  const body: Record<string, string[]> = {};
  if (members.users !== undefined && members.users.length > 0) body['user'] = [...members.users];
  if (members.profiles !== undefined && members.profiles.length > 0)
    body['productConfiguration'] = [...members.profiles];
  return { [direction]: body };
}
