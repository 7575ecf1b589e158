import type { Requester } from '../transport/types.js';
import { getUser } from '../queries/get-user.js';
import type { ActionStep, WireCommand } from './types.js';

const CREATE_USER_STEPS = new Set(['addAdobeID', 'createEnterpriseID', 'createFederatedID']);
const USER_ALREADY_THERE = new Set(['error.user.already_in_org', 'error.user.already_exists']);
const GROUP_ALREADY_THERE = new Set([
  'error.usergroup.already_exists',
  'error.usergroup.name_in_use',
  'error.group.already_exists',
]);
const GROUP_GONE = new Set(['error.usergroup.not_found', 'error.group.not_found']);
const USER_GONE = new Set([
  'error.user.nonexistent',
  'error.user.not_found',
  'error.user.not_in_org',
  'error.user.email.name_in_use',
]);

/**
 * After an ambiguous send (an earlier attempt of the same request reached the server and its answer was lost),
 * decides whether an error reports our own earlier success: a create that finds the user/group already there,
 * a delete that finds the group gone, an email change whose old address is gone and new one exists (checked by
 * reading the user back). Returns true when the step is known to be done.
 */
export async function isOwnEarlierSuccess(
  requester: Requester,
  command: WireCommand,
  step: ActionStep | undefined,
  errorCode: string,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  if (step === undefined) return false;
  const [name, body] = Object.entries(step)[0] ?? [];
  if (name === undefined) return false;
  if (CREATE_USER_STEPS.has(name)) return USER_ALREADY_THERE.has(errorCode);
  if (name === 'createUserGroup') return GROUP_ALREADY_THERE.has(errorCode);
  if (name === 'deleteUserGroup') return GROUP_GONE.has(errorCode);
  if (name === 'add' && command.usergroup !== undefined) return errorCode === 'error.user.already_exists';
  if (name === 'update' && command.user !== undefined && USER_GONE.has(errorCode)) {
    const newEmail = (body as Record<string, unknown> | null)?.['email'];
    if (typeof newEmail !== 'string') return false;
    const user = await getUser(requester, newEmail, signal !== undefined ? { signal } : {});
    return user !== null;
  }
  return false;
}
