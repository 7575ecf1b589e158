import type { DirectoryUser } from '../types.js';
import type { GroupMapping, SyncRules } from './sync-rules.js';

/**
 * `additional_groups`: every directory group name that a rule's `source` matches whole also maps to the rule's
 * `target`, with `\1`, `\2`, ... replaced by what the source captured. The names are those the directory users
 * carry, so the generated mappings count as mapped groups (a user who leaves `ACL-Sales` is removed from
 * `ACL-Grp-Sales`), as the User Sync Tool does.
 */
export function additionalGroupMappings(rules: SyncRules, users: readonly DirectoryUser[]): GroupMapping[] {
  const additional = rules.additionalGroups ?? [];
  if (additional.length === 0) return [];
  const names = new Map<string, string>();
  for (const user of users) for (const group of user.groups) names.set(group.toLowerCase(), group);
  const out: GroupMapping[] = [];
  for (const name of names.values()) {
    const targets: string[] = [];
    for (const rule of additional) {
      const match = rule.source.exec(name);
      if (match === null) continue;
      targets.push(rule.target.replace(/\\(\d+)/g, (_, index: string) => match[Number(index)] ?? ''));
    }
    if (targets.length > 0) out.push({ directoryGroup: name, adobeGroups: targets });
  }
  return out;
}
