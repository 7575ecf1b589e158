import { UNASSIGNABLE_GROUPS } from '../actions/field-rules.js';
import type { Group } from './types.js';

/**
 * Why users cannot be added to or removed from this group through UMAPI, or undefined when they can: a read-only
 * user group shared from another org (its members are managed there, §4.4), or a global admin group that no
 * one may assign or remove (`_org_admin`, `_compartment_admin`, `_compartment_viewer`, §4.3). Any other group,
 * of any type (known or not), is taken as writable: the server is the judge.
 */
export function membershipRefusal(
  group: Pick<Group, 'groupName'> & { isReadOnly?: unknown },
): string | undefined {
  if (UNASSIGNABLE_GROUPS.includes(group.groupName.toLowerCase())) {
    return `"${group.groupName}" is a global admin group, which the API does not let anyone assign or remove`;
  }
  if (group.isReadOnly === true) {
    return (
      `"${group.groupName}" is a read-only user group shared from another organization: ` +
      'its members are managed in the organization that owns it'
    );
  }
  return undefined;
}
