import { UserAction, type Action, type CreateUserFields, type UpdateUserFields } from '@umapi-kit/client';
import type { PlanEntry } from '../plan/plan-types.js';

/** Builds the client action for a plan entry; the entry id travels as the `requestID`. */
export function entryToAction(entry: PlanEntry): Action {
  const { target } = entry;
  const options: { domain?: string; useAdobeId?: boolean; requestId: string } = { requestId: entry.id };
  if (target.domain !== undefined) options.domain = target.domain;
  if (entry.kind === 'create') {
    const fields: CreateUserFields = { option: entry.createOption ?? 'ignoreIfAlreadyExists' };
    const attributes = entry.attributes ?? {};
    if (attributes.email !== undefined) fields.email = attributes.email;
    if (attributes.firstname !== undefined) fields.firstname = attributes.firstname;
    if (attributes.lastname !== undefined) fields.lastname = attributes.lastname;
    if (attributes.country !== undefined) fields.country = attributes.country;
    const action = UserAction.create(target.type, target.user, fields, options);
    if (entry.addGroups !== undefined) action.addToGroups(entry.addGroups);
    if (entry.removeGroups !== undefined) action.removeFromGroups(entry.removeGroups);
    return action;
  }
  if (target.type === 'adobeID') options.useAdobeId = true;
  const action = new UserAction(target.user, options);
  switch (entry.kind) {
    case 'update': {
      const attributes = entry.attributes ?? {};
      const fields: UpdateUserFields = {};
      if (attributes.email !== undefined) fields.email = attributes.email;
      if (attributes.username !== undefined) fields.username = attributes.username;
      if (attributes.firstname !== undefined) fields.firstname = attributes.firstname;
      if (attributes.lastname !== undefined) fields.lastname = attributes.lastname;
      if (Object.keys(fields).length > 0) action.update(fields);
      if (entry.addGroups !== undefined) action.addToGroups(entry.addGroups);
      if (entry.removeGroups !== undefined) action.removeFromGroups(entry.removeGroups);
      return action;
    }
    case 'remove-mapped-groups':
      return action.removeFromGroups(entry.removeGroups ?? []);
    case 'remove-all-groups':
      return action.removeFromAllGroups();
    case 'remove-from-org':
      return action.removeFromOrg({ deleteAccount: false });
    case 'delete-account':
      return action.removeFromOrg({ deleteAccount: true });
  }
}
