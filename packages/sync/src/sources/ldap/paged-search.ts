import type { Client, Entry } from 'ldapts';
import { describeLdapError } from './ldap-connection.js';
import { LdapSourceError } from './ldap-source-error.js';
import type { LdapSourceOptions } from './ldap-source-options.js';
import { referenceDn, rootDse } from './root-dse.js';

export interface PagedSearch {
  base: string;
  filter: string;
  scope?: 'base' | 'one' | 'sub';
  attributes: string[];
  /** Attributes whose values stay bytes (objectGUID; all of them for a non-UTF-8 string_encoding). */
  buffers?: string[];
  /** For messages: "reading users", "looking up group Designers". */
  doing: string;
}

/**
 * Continuation references to the server's own other naming contexts (Active Directory answers a search at the
 * domain's root with references to its Configuration, Schema and DNS partitions, which hold no users) are passed
 * over.
 *
 * Entries of one search, page by page (the paged-results control, `search_page_size`), so memory holds one page.
 * A continuation reference to another server, a limit, or a broken connection throws: the caller never sees a short result as a
 * whole one.
 */
export async function* pagedSearch(
  client: Client,
  options: LdapSourceOptions,
  search: PagedSearch,
): AsyncGenerator<Entry> {
  const pages = client.searchPaginated(search.base, {
    scope: search.scope ?? 'sub',
    filter: search.filter,
    attributes: search.attributes,
    explicitBufferAttributes: search.buffers ?? [],
    paged: { pageSize: options.searchPageSize },
  });
  while (true) {
    let page;
    try {
      page = await pages.next();
    } catch (error) {
      throw describeLdapError(error, options, search.doing);
    }
    if (page.done === true) return;
    for (const reference of page.value.searchReferences) {
      const target = referenceDn(reference);
      let own: Set<string>;
      try {
        own = (await rootDse(client)).namingContexts;
      } catch (error) {
        throw describeLdapError(error, options, 'reading the root DSE (namingContexts)');
      }
      // Another partition of this same server (AD's Configuration, Schema, DNS zones): no users of the domain.
      if (target !== undefined && own.has(target)) continue;
      throw new LdapSourceError(
        'referral',
        options.host,
        `the server answered ${search.doing} with a continuation reference to ${reference}: part of ` +
          `${search.base} is held by another server, so the read would be short; point base_dn below it or ` +
          'at the server that holds it (for AD, a global catalog port 3268)',
      );
    }
    yield* page.value.searchEntries;
  }
}
