import {
  FilterParser,
  MessageResponseStatus,
  PagedResultsControl,
  SearchRequest,
  StatusCodeParser,
} from 'ldapts';
import type { Client, Entry, SearchResponse } from 'ldapts';

interface SearchPage {
  searchEntries: Entry[];
  searchReferences: string[];
}
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
  const pages = searchPages(client, options.searchPageSize, search);
  const next = async (): Promise<IteratorResult<SearchPage>> => {
    try {
      return await pages.next();
    } catch (error) {
      throw describeLdapError(error, options, search.doing);
    }
  };
  // The next page is asked for before this one's entries are handed on, so the server prepares it while the
  // caller works through them. A failure of the page asked for ahead is thrown when the caller reaches it.
  let ahead = next();
  try {
    while (true) {
      const page = await ahead;
      if (page.done === true) return;
      ahead = next();
      await passOverOwnPartitions(client, options, search, page.value.searchReferences);
      yield* page.value.searchEntries;
    }
  } finally {
    // The caller stopped early or a page failed: settle the page asked for ahead, then end the search.
    await ahead.catch(() => undefined);
    await pages.return(undefined);
  }
}

/**
 * The parts of ldapts's client the paging below uses. Its own `searchPaginated` ends the search at the first
 * page with no entries, even when the server's cookie says more are to come (Active Directory sends such
 * pages), which would make a short read look whole; so the pages are asked for here, and the search ends only
 * when the server's cookie is empty.
 */
interface MessageSender {
  _nextMessageId(): number;
  _send(message: SearchRequest): Promise<SearchResponse | undefined>;
}

/** One page of results, as the server sent it. */
async function* searchPages(
  client: Client,
  pageSize: number,
  search: PagedSearch,
): AsyncGenerator<SearchPage> {
  const sender = client as unknown as MessageSender;
  const paging = new PagedResultsControl({ value: { size: pageSize } });
  const buffers = search.buffers ?? [];
  const request = new SearchRequest({
    messageId: -1,
    baseDN: search.base,
    scope: search.scope ?? 'sub',
    filter: FilterParser.parseString(search.filter),
    attributes: search.attributes,
    explicitBufferAttributes: buffers,
    controls: [paging],
  });
  let cookie: Buffer = Buffer.alloc(0);
  do {
    paging.value = { size: pageSize, cookie };
    request.messageId = sender._nextMessageId();
    const response = await sender._send(request);
    if (response?.status !== MessageResponseStatus.Success) throw StatusCodeParser.parse(response);
    yield {
      searchEntries: response.searchEntries.map((entry) => entry.toObject(search.attributes, buffers)),
      searchReferences: response.searchReferences.flatMap((reference) => reference.uris),
    };
    const answer = response.controls?.find((control) => control instanceof PagedResultsControl);
    // A server that ignores the control sends everything at once, without a cookie.
    cookie = answer?.value?.cookie ?? Buffer.alloc(0);
  } while (cookie.length > 0);
}

/**
 * Continuation references to the server's own other naming contexts are passed over; a reference to another
 * server throws, since part of the base is held elsewhere and the read would be short.
 */
async function passOverOwnPartitions(
  client: Client,
  options: LdapSourceOptions,
  search: PagedSearch,
  references: readonly string[],
): Promise<void> {
  for (const reference of references) {
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
}
