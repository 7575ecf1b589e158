import { IncompleteListingError, ValidationError } from '../errors.js';
import { checkConcurrency } from '../internal/limiter.js';
import type { ApiResponse, EndpointClass, Requester } from '../transport/types.js';
import type { Listing, Page, ToArrayOptions } from './types.js';

export interface PagerOptions {
  /**
   * Pages fetched at once after page 0 told the page count. Default: adapted to the latency observed, between
   * 2 and the burst pacing allows (25 for user reads at the documented budget), so that sending a window's
   * requests never takes more than 1 % of the window; 2 when the class is not paced.
   */
  concurrency?: number;
  signal?: AbortSignal;
  /** Re-fetches of a page that came back short, empty, unreadable, 404 or marked last too early (default 2). */
  maxRefetches?: number;
}

export interface PagedEndpoint<T = unknown> {
  requester: Requester;
  endpointClass: EndpointClass;
  /** Path of a page, e.g. `/users/{org}/3`. */
  pathOf(page: number): string;
  query?: Record<string, string | undefined>;
  /** Key of the item array in the body (`users` or `groups`). */
  itemsKey: string;
  /** For messages: "users of group X". */
  what: string;
  /**
   * Items `X-Total-Count` counts that no page returns: the org's technical accounts in user listings
   * (umapi-api.md §6.1), 0 for groups. The listing may end this many short, on its last page only, and no more.
   */
  hiddenItems: number;
  /** Reads one item of a page (default: as sent). Unknown fields must be kept: Adobe adds fields with notice. */
  parseItem?: (raw: unknown) => T;
}

interface Expectation {
  pageCount: number | undefined;
  totalCount: number | undefined;
  fullPageSize: number | undefined;
}

const DEFAULT_CONCURRENCY = 2;

/** A paged GET endpoint as a Listing: complete or it throws `IncompleteListingError`. */
export function createListing<T>(endpoint: PagedEndpoint<T>, options: PagerOptions = {}): Listing<T> {
  if (options.concurrency !== undefined) checkConcurrency(options.concurrency);
  /** The slowest answer seen so far (ms): a page in flight longer than that is no surprise. */
  let latencyMs = 0;
  const concurrency = (): number => {
    if (options.concurrency !== undefined) return options.concurrency;
    const burst = endpoint.requester.burstOf?.(endpoint.endpointClass);
    if (burst === undefined) return DEFAULT_CONCURRENCY;
    // Sending a burst of N requests C at a time takes N / C answers; keep that within 1 % of the window.
    const needed = Math.ceil((burst.requests * latencyMs) / (burst.perMs / 100));
    return Math.min(burst.requests, Math.max(DEFAULT_CONCURRENCY, needed));
  };
  const maxRefetches = options.maxRefetches ?? 2;
  const hidden = endpoint.hiddenItems;

  const fetchOnce = async (
    page: number,
    attempt: number,
  ): Promise<Page<T> & { status: number; readable: boolean }> => {
    const response: ApiResponse<Record<string, unknown> | null> = await endpoint.requester.request({
      method: 'GET',
      path: endpoint.pathOf(page),
      endpointClass: endpoint.endpointClass,
      // Page 0 must exist: its 404 (group or domain not found) is the caller's error. A later page's 404
      // means the listing shifted under us: re-fetch, then report it as incomplete.
      ...(page > 0 ? { acceptStatuses: [404] } : {}),
      ...(endpoint.query !== undefined ? { query: endpoint.query } : {}),
      ...(attempt > 0 ? { headers: { Pragma: 'no-cache' } } : {}),
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
    });
    latencyMs = Math.max(latencyMs, response.answerMs ?? 0);
    const body = response.body;
    const rawItems =
      body !== null && typeof body === 'object' && !Array.isArray(body) ? body[endpoint.itemsKey] : undefined;
    const result: Page<T> & { status: number; readable: boolean } = {
      status: response.status,
      readable: Array.isArray(rawItems),
      page,
      items: !Array.isArray(rawItems)
        ? []
        : endpoint.parseItem === undefined
          ? (rawItems as T[])
          : rawItems.map(endpoint.parseItem),
      lastPage: body !== null && typeof body === 'object' && body['lastPage'] === true,
      requestId: response.requestId,
      attempts: response.attempts,
    };
    const headers = response.headers;
    const set = (key: 'totalCount' | 'pageCount' | 'pageSize' | 'currentPage', name: string): void => {
      const value = headers.get(name);
      if (value === null || value.trim() === '') return;
      const parsed = Number(value);
      if (Number.isInteger(parsed) && parsed >= 0) result[key] = parsed;
    };
    set('totalCount', 'X-Total-Count');
    set('pageCount', 'X-Page-Count');
    set('pageSize', 'X-Page-Size');
    set('currentPage', 'X-Current-Page');
    return result;
  };

  /** Why a page is not what the counts promised, or undefined when it is. */
  const problemOf = (
    page: Page<T> & { status: number; readable: boolean },
    expect: Expectation,
  ): string | undefined => {
    if (page.status === 404) return 'answered 404';
    if (!page.readable)
      return `answered ${page.status} without a list of ${endpoint.itemsKey} (not the JSON the API documents)`;
    const { pageCount, fullPageSize, totalCount } = expect;
    if (pageCount === undefined) return undefined;
    const isLast = page.page >= pageCount - 1;
    if (!isLast) {
      if (page.lastPage) return `was marked last, but X-Page-Count is ${pageCount}`;
      if (page.items.length === 0) return 'was empty';
      if (fullPageSize !== undefined && page.items.length < fullPageSize) {
        return `held ${page.items.length} items, not the full ${fullPageSize}`;
      }
      return undefined;
    }
    if (totalCount === undefined) return undefined;
    // Every earlier page is full, so the count says what the last one holds, less the hidden items at most.
    const expected = totalCount - (pageCount - 1) * (fullPageSize ?? 0);
    if (page.items.length < expected - hidden) {
      return `held ${page.items.length} items where X-Total-Count ${totalCount} leaves ${expected}${
        hidden > 0 ? ` (${hidden} of them may be hidden technical accounts)` : ''
      }`;
    }
    return undefined;
  };

  async function* pages(): AsyncGenerator<Page<T>> {
    let received = 0;
    const expect: Expectation = { pageCount: undefined, totalCount: undefined, fullPageSize: undefined };

    const fetchChecked = async (page: number): Promise<Page<T>> => {
      let problem: string | undefined;
      for (let attempt = 0; attempt <= maxRefetches; attempt += 1) {
        const fetched = await fetchOnce(page, attempt);
        if (page === 0) {
          expect.pageCount = fetched.pageCount;
          expect.totalCount = fetched.totalCount;
          expect.fullPageSize =
            fetched.pageCount !== undefined && fetched.pageCount > 1 ? fetched.items.length : undefined;
        }
        problem = problemOf(fetched, expect);
        if (problem === undefined) {
          const clean: Partial<typeof fetched> = { ...fetched, attempts: fetched.attempts + attempt };
          delete clean.status;
          delete clean.readable;
          return clean as Page<T>;
        }
      }
      throw new IncompleteListingError(
        `Listing ${endpoint.what} is incomplete: page ${page} ${problem ?? ''} after ${maxRefetches + 1} tries ` +
          `(${received} items received so far); refusing to return a truncated list`,
        {
          receivedCount: received,
          failedPage: page,
          ...(expect.totalCount !== undefined ? { expectedCount: expect.totalCount } : {}),
          ...(expect.pageCount !== undefined ? { expectedPages: expect.pageCount } : {}),
        },
      );
    };

    const first = await fetchChecked(0);
    received += first.items.length;
    yield first;
    let last = first;
    const pageCount = expect.pageCount;
    if (pageCount !== undefined && pageCount > 1) {
      // Fetch ahead a window of `concurrency` pages; yield strictly in order.
      const window = new Map<number, Promise<Page<T>>>();
      let nextToFetch = 1;
      const fill = (upTo: number): void => {
        while (nextToFetch < pageCount && nextToFetch <= upTo) {
          const promise = fetchChecked(nextToFetch);
          promise.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
          window.set(nextToFetch, promise);
          nextToFetch += 1;
        }
      };
      try {
        for (let page = 1; page < pageCount; page += 1) {
          fill(page + concurrency() - 1);
          const current = window.get(page);
          if (current === undefined) break;
          const fetched = await current;
          window.delete(page);
          received += fetched.items.length;
          yield fetched;
          last = fetched;
        }
      } finally {
        window.clear();
      }
    }
    // Without a page count, walk on one page at a time until `lastPage`. (With one, the count rules: a page past
    // the last is answered with the last page again, so walking on would repeat items.)
    while (pageCount === undefined && !last.lastPage && last.items.length > 0) {
      const fetched = await fetchChecked(last.page + 1);
      if (fetched.items.length === 0) break;
      received += fetched.items.length;
      yield fetched;
      last = fetched;
    }
    if (expect.totalCount !== undefined && received < expect.totalCount - hidden) {
      throw new IncompleteListingError(
        `Listing ${endpoint.what} is incomplete: received ${received} items, X-Total-Count says ${expect.totalCount}` +
          (hidden > 0 ? ` (at most ${hidden} may be hidden technical accounts)` : ''),
        {
          receivedCount: received,
          failedPage: last.page,
          expectedCount: expect.totalCount,
          ...(expect.pageCount !== undefined ? { expectedPages: expect.pageCount } : {}),
        },
      );
    }
  }

  async function* items(): AsyncGenerator<T> {
    for await (const page of pages()) yield* page.items;
  }

  return {
    [Symbol.asyncIterator]: () => items(),
    pages: () => pages(),
    async toArray(toArrayOptions: ToArrayOptions) {
      const { limit, all } = toArrayOptions;
      if (limit === undefined && all !== true) {
        throw new ValidationError({
          path: 'limit',
          rule: 'required',
          detail: `or { all: true } is required by toArray: gathering every one of ${endpoint.what} may be large`,
        });
      }
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
        throw new ValidationError({
          path: 'limit',
          rule: 'format',
          detail: `must be a whole number of at least 0, got ${limit}`,
        });
      }
      const out: T[] = [];
      if (limit === 0) return out;
      for await (const item of items()) {
        out.push(item);
        if (limit !== undefined && out.length >= limit) break;
      }
      return out;
    },
  };
}
