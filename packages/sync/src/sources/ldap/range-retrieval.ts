import type { Client, Entry } from 'ldapts';
import { describeLdapError } from './ldap-connection.js';
import { pagedSearch } from './paged-search.js';
import { LdapSourceError } from './ldap-source-error.js';
import type { LdapSourceOptions } from './ldap-source-options.js';
import { rootDse } from './root-dse.js';

/** Active Directory's default MaxValRange: the most values one answer holds. */
const RANGE_STEP = 1500;

/**
 * How to ask for a multi-valued attribute in a search: plainly, or, from an Active Directory server, as its first
 * range (`member;range=0-1499`), so the answer says in its key whether more values follow.
 */
export async function rangedAttribute(
  client: Client,
  options: LdapSourceOptions,
  attribute: string,
): Promise<string> {
  let activeDirectory: boolean;
  try {
    activeDirectory = (await rootDse(client)).activeDirectory;
  } catch (error) {
    throw describeLdapError(error, options, 'reading the root DSE (supportedCapabilities)');
  }
  return activeDirectory ? `${attribute};range=0-${String(RANGE_STEP - 1)}` : attribute;
}

function valuesOf(value: Entry[string] | undefined): string[] {
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/** The `attribute;range=LOW-HIGH` key of an entry (Active Directory's answer for a large attribute), if any. */
function rangeKey(entry: Entry, attribute: string): { key: string; high: string } | undefined {
  const prefix = `${attribute.toLowerCase()};range=`;
  for (const [key, value] of Object.entries(entry)) {
    // ldapts adds each requested name the answer lacks as []: the server's own range key is the one with values.
    if (!key.toLowerCase().startsWith(prefix) || (Array.isArray(value) && value.length === 0)) continue;
    const high = key.slice(prefix.length).split('-')[1];
    if (high !== undefined) return { key, high };
  }
  return undefined;
}

/**
 * Every value of a multi-valued attribute of an entry read with it (asked for with `rangedAttribute`). Active
 * Directory gives at most 1,500 (its MaxValRange) as `member;range=0-1499`; the next ranges are asked for
 * (`member;range=1500-2999`, ...) until the server answers with a range ending in `*`, so a group of 20,000
 * members is read whole.
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
      attributes: [`${attribute};range=${String(next)}-${String(next + RANGE_STEP - 1)}`],
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
