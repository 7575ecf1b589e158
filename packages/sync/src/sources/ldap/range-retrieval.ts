import type { Client, Entry } from 'ldapts';
import { pagedSearch } from './paged-search.js';
import { LdapSourceError } from './ldap-source-error.js';
import type { LdapSourceOptions } from './ldap-source-options.js';

function valuesOf(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/** The `attribute;range=LOW-HIGH` key of an entry (Active Directory's answer for a large attribute), if any. */
function rangeKey(entry: Entry, attribute: string): { key: string; high: string } | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  for (const key of Object.keys(entry)) {
    if (!key.toLowerCase().startsWith(prefix)) continue;
    const high = key.slice(prefix.length).split('-')[1];
    if (high !== undefined) return { key, high };
  }
  return undefined;
}

/**
 * Every value of a multi-valued attribute of an entry read with it. Active Directory gives at most 1,500 (its
 * MaxValRange) as `member;range=0-1499`; the next ranges are asked for (`member;range=1500-*`) until the server
 * answers with a range ending in `*`, so a group of 20,000 members is read whole.
 */
export async function wholeAttribute(
  client: Client,
  options: LdapSourceOptions,
  entry: Entry,
  attribute: string,
): Promise<string[]> {
  const direct = Object.keys(entry).find((key) => key.toLowerCase() === attribute.toLowerCase());
  let range = rangeKey(entry, attribute);
  if (range === undefined) return valuesOf(direct === undefined ? undefined : entry[direct]);
  const values = valuesOf(entry[range.key]);
  while (range.high !== '*') {
    const next = Number(range.high) + 1;
    if (!Number.isInteger(next)) {
      throw new LdapSourceError('search', options.host, `cannot read ${range.key} of ${entry.dn}: bad range`);
    }
    let answer: Entry | undefined;
    for await (const found of pagedSearch(client, options, {
      base: entry.dn,
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: [`${attribute};range=${String(next)}-*`],
      doing: `reading ${attribute} of ${entry.dn} from value ${String(next)}`,
    })) {
      answer = found;
    }
    const following = answer === undefined ? undefined : rangeKey(answer, attribute);
    if (answer === undefined || following === undefined) {
      throw new LdapSourceError(
        'search',
        options.host,
        `${entry.dn}: ${attribute} values from ${String(next)} on were not returned; the group cannot be read whole`,
      );
    }
    values.push(...valuesOf(answer[following.key]));
    range = following;
  }
  return values;
}
