import type { Client } from 'ldapts';
import { looksLikeDn, normalizeDn } from './distinguished-name.js';
import { andFilters, fillFilter } from './ldap-filter.js';
import type { LdapSourceOptions } from './ldap-source-options.js';
import { pagedSearch } from './paged-search.js';
import { rangedAttribute, wholeAttribute } from './range-retrieval.js';

/** Which mapped directory groups each user is in, by the user's DN or (posixGroup `memberUid`) user name. */
export interface Memberships {
  byDn: Map<string, Set<string>>;
  byName: Map<string, Set<string>>;
  /** Mapped groups the group filter found, and those it did not. */
  found: string[];
  missing: string[];
}

function add(map: Map<string, Set<string>>, key: string, group: string): void {
  const groups = map.get(key);
  if (groups === undefined) map.set(key, new Set([group]));
  else groups.add(group);
}

/** The DNs of every group the group filter matches (`{group}` as `*`): what a member DN must be to be a group. */
async function allGroupDns(client: Client, options: LdapSourceOptions): Promise<Set<string>> {
  const dns = new Set<string>();
  for await (const entry of pagedSearch(client, options, {
    base: options.baseDn,
    filter: options.groupFilterFormat.split('{group}').join('*'),
    attributes: ['1.1'],
    doing: 'listing groups',
  })) {
    dns.add(normalizeDn(entry.dn));
  }
  return dns;
}

/**
 * Looks up the members of the mapped groups. By default as the User Sync Tool does: the group's DN by
 * `group_filter_format`, then the users matching `all_users_filter` and `group_member_filter_format`. With
 * `two_steps_lookup`, the group's member attribute is read (whole, range by range) and, with `nested_group`,
 * member groups are followed; a group already visited is not entered again, so a cycle ends.
 */
export async function lookUpMemberships(client: Client, options: LdapSourceOptions): Promise<Memberships> {
  const result: Memberships = { byDn: new Map(), byName: new Map(), found: [], missing: [] };
  const twoSteps = options.twoStepsLookup;
  let groupDns: Set<string> | undefined;
  for (const group of options.groups) {
    const attribute = twoSteps?.groupMemberAttributeName;
    const requested = attribute === undefined ? '1.1' : await rangedAttribute(client, options, attribute);
    const entries = [];
    for await (const entry of pagedSearch(client, options, {
      base: options.baseDn,
      filter: fillFilter(options.groupFilterFormat, 'group', group),
      attributes: [requested],
      doing: `looking up group ${group}`,
    })) {
      entries.push(entry);
    }
    if (entries.length === 0) {
      result.missing.push(group);
      continue;
    }
    result.found.push(group);
    if (twoSteps === undefined || attribute === undefined) {
      for (const entry of entries) {
        for await (const user of pagedSearch(client, options, {
          base: options.baseDn,
          filter: andFilters(
            options.allUsersFilter,
            fillFilter(options.groupMemberFilterFormat, 'group_dn', entry.dn),
          ),
          attributes: ['1.1'],
          doing: `reading the members of ${group}`,
        })) {
          add(result.byDn, normalizeDn(user.dn), group);
        }
      }
      continue;
    }
    if (twoSteps.nestedGroup && groupDns === undefined) groupDns = await allGroupDns(client, options);
    const visited = new Set(entries.map((entry) => normalizeDn(entry.dn)));
    const queue = [...entries];
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      for (const member of await wholeAttribute(client, options, entry, attribute)) {
        if (!looksLikeDn(member)) {
          add(result.byName, member.trim().toLowerCase(), group);
          continue;
        }
        const dn = normalizeDn(member);
        if (groupDns?.has(dn) === true) {
          if (visited.has(dn)) continue;
          visited.add(dn);
          for await (const nested of pagedSearch(client, options, {
            base: member,
            scope: 'base',
            filter: '(objectClass=*)',
            attributes: [requested],
            doing: `reading nested group ${member} of ${group}`,
          })) {
            queue.push(nested);
          }
          continue;
        }
        add(result.byDn, dn, group);
      }
    }
  }
  return result;
}
