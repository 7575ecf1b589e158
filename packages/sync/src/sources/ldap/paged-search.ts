import type { Client, Entry } from 'ldapts';
import { describeLdapError } from './ldap-connection.js';
import { LdapSourceError } from './ldap-source-error.js';
import type { LdapSourceOptions } from './ldap-source-options.js';

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
 * Entries of one search, page by page (the paged-results control, `search_page_size`), so memory holds one page.
 * A continuation reference, a limit, or a broken connection throws: the caller never sees a short result as a
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
    const [reference] = page.value.searchReferences;
    if (reference !== undefined) {
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
