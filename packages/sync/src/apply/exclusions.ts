import type { PlanEntry, PlanExclusions } from '../plan/plan-types.js';

function fullMatch(source: string, value: string): boolean {
  const match = new RegExp(source, 'i').exec(value);
  return match !== null && match.index === 0 && match[0].length === value.length;
}

/**
 * Why an entry's account is excluded by the plan's own exclusion rules, or undefined when it is not: the apply
 * checks every entry again, so an excluded account is never touched, whatever the plan file says.
 */
export function exclusionOf(entry: PlanEntry, exclusions: PlanExclusions | undefined): string | undefined {
  // Creates make a new account; the rules protect existing ones.
  if (exclusions === undefined || entry.kind === 'create') return undefined;
  const { target } = entry;
  if (exclusions.identityTypes.includes(target.type)) {
    return `${target.user} is a ${target.type}, an excluded identity type`;
  }
  const groups = new Set((entry.accountGroups ?? []).map((group) => group.toLowerCase()));
  const group = exclusions.adobeGroups.find((name) => groups.has(name.toLowerCase()));
  if (group !== undefined) return `${target.user} is in ${group}, an excluded Adobe group`;
  const pattern = exclusions.users.find((source) => fullMatch(source, target.user));
  if (pattern !== undefined) return `${target.user} matches exclude_users ${pattern}`;
  return undefined;
}
