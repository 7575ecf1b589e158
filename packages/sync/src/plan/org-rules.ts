import type { GroupMapping, SyncRules } from './sync-rules.js';

/** The org a mapping target names (`org2::Group` → `org2`), or undefined for the primary org's groups. */
export function targetOrg(group: string): string | undefined {
  const at = group.indexOf('::');
  return at < 0 ? undefined : group.slice(0, at);
}

/**
 * The rules one org of a multi-org sync is planned by. The primary (`org` undefined) keeps the targets without
 * a prefix; a secondary keeps its own `org::Group` targets, unprefixed, and creates no user that no mapping gives
 * one of its groups (users come into a secondary through its groups, as the User Sync Tool does); a trusted one
 * (`trusted: true`, a trustee of the primary's domains) adds them to its groups instead of creating them. Every org keeps
 * the exclusions (an excluded `_org_admin` is an admin in any org) and the Adobe-only action: Adobe-only users
 * found only in a secondary are handled there too (the User Sync Tool ignores them, its issue #788).
 */
export function orgRules(
  rules: SyncRules,
  org: string | undefined,
  options: { trusted?: boolean } = {},
): SyncRules {
  const groups: GroupMapping[] = rules.groups.map((mapping) => ({
    directoryGroup: mapping.directoryGroup,
    adobeGroups: mapping.adobeGroups
      .filter((group) => targetOrg(group) === org)
      .map((group) => (org === undefined ? group : group.slice(org.length + 2))),
  }));
  if (org === undefined) return { ...rules, groups };
  const scope = rules.adobeUsers;
  return {
    ...rules,
    groups,
    additionalGroups: [],
    joinByGroups: options.trusted === true,
    directorySelection: { ...rules.directorySelection, excludeUnmapped: true },
    adobeUsers:
      scope?.kind === 'groups'
        ? {
            kind: 'groups',
            groups: scope.groups
              .filter((group) => targetOrg(group) === org)
              .map((group) => group.slice(org.length + 2)),
          }
        : scope,
  };
}

/** The secondary org names the mapping targets use. */
export function mappedOrgs(rules: SyncRules): string[] {
  const names = new Set<string>();
  for (const mapping of rules.groups) {
    for (const group of mapping.adobeGroups) {
      const org = targetOrg(group);
      if (org !== undefined) names.add(org);
    }
  }
  return [...names];
}
