import { membershipRefusal } from '@umapi-kit/client';
import type { PlanEntry } from './plan-types.js';

/** Lower-cased Adobe group name → why UMAPI will not add users to it or remove them from it. */
export type UnwritableGroups = ReadonlyMap<string, string>;

/**
 * The groups of an org listing (`client.groups.list()`) whose membership UMAPI refuses to change: read-only user
 * groups shared from another org, and the global admin groups. Any other group, of any type, is writable.
 */
export function unwritableGroups(
  groups: Iterable<{ groupName: string; isReadOnly?: unknown }>,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of groups) {
    const reason = membershipRefusal(group);
    if (reason !== undefined) out.set(group.groupName.toLowerCase(), reason);
  }
  return out;
}

/**
 * Takes out of the entry the group additions and removals UMAPI would refuse (the groups in `unwritable`, and
 * the global admin groups even without a listing), each one a problem with its reason, so the plan never sends
 * a request that must fail. Returns whether the entry still has something to do (a create always has).
 */
export function keepWritableGroupChanges(
  entry: PlanEntry,
  unwritable: UnwritableGroups | undefined,
  problems: { email: string; message: string }[],
): boolean {
  const who = entry.attributes?.email ?? entry.target.user;
  const keep = (groups: string[] | undefined, verb: string): string[] | undefined => {
    if (groups === undefined) return undefined;
    const kept = groups.filter((group) => {
      const reason = unwritable?.get(group.toLowerCase()) ?? membershipRefusal({ groupName: group });
      if (reason === undefined) return true;
      problems.push({ email: who, message: `is not ${verb} ${group}: ${reason}` });
      return false;
    });
    return kept.length > 0 ? kept : undefined;
  };
  const add = keep(entry.addGroups, 'added to');
  const remove = keep(entry.removeGroups, 'removed from');
  if (add === undefined) delete entry.addGroups;
  else entry.addGroups = add;
  if (remove === undefined) delete entry.removeGroups;
  else entry.removeGroups = remove;
  if (entry.kind === 'update' || entry.kind === 'remove-mapped-groups') {
    return entry.attributes !== undefined || add !== undefined || remove !== undefined;
  }
  return true;
}
