import type { Client, Entry } from 'ldapts';
import { normalizeDn } from './distinguished-name.js';

/** What the server says of itself in its root DSE. */
export interface RootDse {
  /** The naming contexts it holds, normalized. */
  namingContexts: Set<string>;
  /** It announces LDAP_CAP_ACTIVE_DIRECTORY_OID (Active Directory, or Samba as an AD DC). */
  activeDirectory: boolean;
}

const AD_CAPABILITY = '1.2.840.113556.1.4.800';
const known = new WeakMap<Client, Promise<RootDse>>();

function texts(entry: Entry, name: string): string[] {
  const key = Object.keys(entry).find((candidate) => candidate.toLowerCase() === name.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.map((item) => (typeof item === 'string' ? item : item.toString('utf8')));
}

/** The root DSE of the server behind `client`, read once per connection. */
export function rootDse(client: Client): Promise<RootDse> {
  let dse = known.get(client);
  if (dse === undefined) {
    dse = client
      .search('', {
        scope: 'base',
        filter: '(objectClass=*)',
        attributes: ['namingContexts', 'supportedCapabilities'],
      })
      .then(({ searchEntries }) => {
        const out: RootDse = { namingContexts: new Set(), activeDirectory: false };
        for (const entry of searchEntries) {
          for (const context of texts(entry, 'namingContexts')) out.namingContexts.add(normalizeDn(context));
          if (texts(entry, 'supportedCapabilities').includes(AD_CAPABILITY)) out.activeDirectory = true;
        }
        return out;
      });
    known.set(client, dse);
  }
  return dse;
}

/** The DN an LDAP URL (`ldap://host/CN=Configuration,DC=example,DC=com??sub`) points at, normalized. */
export function referenceDn(uri: string): string | undefined {
  try {
    const path = new URL(uri).pathname.replace(/^\//, '');
    return path === '' ? undefined : normalizeDn(decodeURIComponent(path));
  } catch {
    return undefined;
  }
}
