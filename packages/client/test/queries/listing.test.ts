import { describe, expect, it } from 'vitest';
import {
  IncompleteListingError,
  NotFoundError,
  ValidationError,
  type Page,
  type User,
} from '@umapi-kit/client';
import { getUser } from '../../src/queries/get-user.js';
import { listGroups } from '../../src/queries/list-groups.js';
import { listUsers } from '../../src/queries/list-users.js';
import { FakeRequester } from '../actions/fake-requester.js';
import { pageAnswer, pageOf } from './page-server.js';

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('listUsers', () => {
  it('streams every user of every page in order, with the paging headers on each page', async () => {
    const requester = new FakeRequester((o) => pageAnswer({ total: 25, pageSize: 10 }, pageOf(o)));
    const users = await collect(listUsers(requester, { directOnly: false, domain: 'example.com' }));
    expect(users.map((u) => u.email)).toEqual(Array.from({ length: 25 }, (_, i) => `u${i}@example.com`));
    expect(requester.calls.map((c) => c.path)).toEqual([
      '/users/12345%40AdobeOrg/0',
      '/users/12345%40AdobeOrg/1',
      '/users/12345%40AdobeOrg/2',
    ]);
    expect(requester.calls[0]).toMatchObject({
      method: 'GET',
      endpointClass: 'userRead',
      query: { directOnly: 'false', domain: 'example.com' },
    });
    const pages: Page<User>[] = await collect(listUsers(requester).pages());
    expect(pages[2]).toMatchObject({
      page: 2,
      lastPage: true,
      totalCount: 25,
      pageCount: 3,
      pageSize: 5,
      currentPage: 2,
    });
  });

  it('lists the members of a group with its name escaped in the path', async () => {
    const requester = new FakeRequester((o) => pageAnswer({ total: 3, pageSize: 10 }, pageOf(o)));
    await collect(listUsers(requester, { group: 'Document Cloud/1', status: 'active', excludeGroups: true }));
    expect(requester.calls[0]?.path).toBe('/users/12345%40AdobeOrg/0/Document%20Cloud%2F1');
    expect(requester.calls[0]?.query).toMatchObject({ status: 'active', excludeGroups: 'true' });
  });

  it('fetches later pages concurrently yet yields them in order with a bounded window', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const requester = new FakeRequester(async (o) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const page = pageOf(o);
      // later pages answer faster than earlier ones
      for (let i = 0; i < 10 - page; i += 1) await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return pageAnswer({ total: 100, pageSize: 10 }, page);
    });
    const users = await collect(listUsers(requester, { concurrency: 3 }));
    expect(users.map((u) => u.email)).toEqual(Array.from({ length: 100 }, (_, i) => `u${i}@example.com`));
    expect(maxInFlight).toBe(3);
  });

  it('re-fetches a page that came back short, sending Pragma: no-cache', async () => {
    let shortOnce = true;
    const requester = new FakeRequester((o) => {
      const answer = pageAnswer({ total: 30, pageSize: 10 }, pageOf(o));
      if (pageOf(o) === 1 && shortOnce) {
        shortOnce = false;
        return {
          ...answer,
          body: { lastPage: false, result: 'success', users: [{ email: 'x@example.com' }] },
        };
      }
      return answer;
    });
    const users = await collect(listUsers(requester, { concurrency: 1 }));
    expect(users).toHaveLength(30);
    const page1 = requester.calls.filter((c) => pageOf(c) === 1);
    expect(page1).toHaveLength(2);
    expect(page1[1]?.headers).toEqual({ Pragma: 'no-cache' });
  });

  it.each([
    ['empty', { lastPage: false, result: 'success', users: [] }, 200],
    [
      'marked last too early',
      { lastPage: true, result: 'success', users: [{ email: 'a@example.com' }] },
      200,
    ],
    ['404', { lastPage: false, result: 'error.group.not_found' }, 404],
  ])('raises IncompleteListingError when a middle page stays %s', async (_name, body, status) => {
    const requester = new FakeRequester((o) =>
      pageOf(o) === 1 ? { status, body } : pageAnswer({ total: 30, pageSize: 10 }, pageOf(o)),
    );
    const error = await collect(listUsers(requester, { concurrency: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect(error).toMatchObject({ failedPage: 1, expectedCount: 30, expectedPages: 3, receivedCount: 10 });
    expect(requester.calls.filter((c) => pageOf(c) === 1)).toHaveLength(3);
    expect(requester.calls.find((c) => pageOf(c) === 1)?.acceptStatuses).toEqual([404]);
  });

  it('allows as many missing users as the org has technical accounts, on the last page only', async () => {
    const ok = new FakeRequester((o) => pageAnswer({ total: 25, pageSize: 10, hidden: 3 }, pageOf(o)));
    expect(await collect(listUsers(ok, { technicalAccounts: 3 }))).toHaveLength(22);
    const lossy = new FakeRequester((o) => pageAnswer({ total: 25, pageSize: 10, hidden: 3 }, pageOf(o)));
    // By default the org has one technical account: the one the client signs in as.
    const error = await collect(listUsers(lossy)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect((error as Error).message).toMatch(
      /held 2 items where X-Total-Count 25 leaves 5 \(1 of them may be hidden/,
    );
  });

  it.each([
    ['empty', 0, 1],
    ['short by two', 3, 1],
    ['short by four', 1, 3],
  ])('fails a small org whose only page is %s against X-Total-Count', async (_name, returned, technical) => {
    const requester = new FakeRequester((o) =>
      pageAnswer({ total: 5, pageSize: 2000, hidden: 5 - returned }, pageOf(o)),
    );
    const error = await collect(listUsers(requester, { technicalAccounts: technical })).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect(error).toMatchObject({ failedPage: 0, expectedCount: 5, receivedCount: 0 });
    // Re-fetched before giving up.
    expect(requester.calls).toHaveLength(3);
  });

  it('accepts a small org short by exactly its technical accounts', async () => {
    const requester = new FakeRequester((o) =>
      pageAnswer({ total: 5, pageSize: 2000, hidden: 1 }, pageOf(o)),
    );
    expect(await collect(listUsers(requester))).toHaveLength(4);
  });

  it('re-fetches a 200 page whose body is not JSON, and never takes it for an empty page', async () => {
    const truncated = {
      headers: pageAnswer({ total: 30, pageSize: 10 }, 1).headers ?? new Headers(),
      body: '{"lastPage":false,"us',
    };
    let bad = 1;
    const once = new FakeRequester((o) =>
      pageOf(o) === 1 && bad-- > 0 ? truncated : pageAnswer({ total: 30, pageSize: 10 }, pageOf(o)),
    );
    expect(await collect(listUsers(once, { concurrency: 1 }))).toHaveLength(30);
    const always = new FakeRequester((o) =>
      pageOf(o) === 1 ? truncated : pageAnswer({ total: 30, pageSize: 10 }, pageOf(o)),
    );
    const error = await collect(listUsers(always, { concurrency: 1 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IncompleteListingError);
    expect((error as Error).message).toContain('without a list of users');
    const onlyPage = new FakeRequester(() => ({ headers: new Headers(), body: 'Service Unavailable' }));
    await expect(collect(listUsers(onlyPage))).rejects.toThrow(IncompleteListingError);
  });

  it('raises an incomplete listing when a single page holds far fewer than X-Total-Count', async () => {
    const requester = new FakeRequester((o) =>
      pageAnswer({ total: 500, pageSize: 2000, hidden: 400 }, pageOf(o)),
    );
    await expect(collect(listUsers(requester))).rejects.toThrow(/X-Total-Count 500 leaves 500/);
  });

  it('lets a 404 on page 0 (group not found) through as the error it is', async () => {
    const requester = new FakeRequester(() => {
      throw new NotFoundError('Not found: Group X', {
        status: 404,
        body: null,
        requestId: 'r',
        method: 'GET',
        path: '/users/x/0/X',
      });
    });
    await expect(collect(listUsers(requester, { group: 'X' }))).rejects.toThrow(NotFoundError);
    expect(requester.calls[0]?.acceptStatuses).toBeUndefined();
  });

  it('trusts X-Page-Count over a missing lastPage flag and never repeats the last page', async () => {
    const requester = new FakeRequester((o) => {
      const answer = pageAnswer({ total: 15, pageSize: 10 }, Math.min(pageOf(o), 1));
      return { ...answer, body: { ...(answer.body as object), lastPage: false } };
    });
    expect(await collect(listUsers(requester))).toHaveLength(15);
    expect(requester.calls).toHaveLength(2);
  });

  it('toArray refuses without limit or all, and stops at the limit', async () => {
    const requester = new FakeRequester((o) => pageAnswer({ total: 25, pageSize: 10 }, pageOf(o)));
    const listing = listUsers(requester, { concurrency: 1 });
    await expect(listing.toArray({})).rejects.toThrow(ValidationError);
    expect(await listing.toArray({ limit: 12 })).toHaveLength(12);
    expect(await listing.toArray({ all: true })).toHaveLength(25);
  });
});

describe('listGroups', () => {
  it('walks pages until lastPage when the server sends no paging headers', async () => {
    const requester = new FakeRequester((o) =>
      pageAnswer({ total: 9, pageSize: 4, withCounts: false, key: 'groups' }, pageOf(o)),
    );
    const groups = await collect(listGroups(requester));
    expect(groups.map((g) => g.groupName)).toEqual(Array.from({ length: 9 }, (_, i) => `G${i}`));
    expect(requester.calls.map((c) => [c.path, c.endpointClass])).toEqual([
      ['/groups/12345%40AdobeOrg/0', 'groupRead'],
      ['/groups/12345%40AdobeOrg/1', 'groupRead'],
      ['/groups/12345%40AdobeOrg/2', 'groupRead'],
    ]);
  });

  it('allows no missing groups: nothing is hidden from the groups listing', async () => {
    const requester = new FakeRequester((o) =>
      pageAnswer({ total: 9, pageSize: 400, hidden: 1, key: 'groups' }, pageOf(o)),
    );
    await expect(collect(listGroups(requester))).rejects.toThrow(IncompleteListingError);
  });
});

describe('getUser', () => {
  it('returns the user, or null on 404', async () => {
    const requester = new FakeRequester((o) =>
      o.path.endsWith('/a%2Bb@example.com')
        ? { body: { result: 'success', user: { email: 'a+b@example.com', type: 'enterpriseID' } } }
        : { status: 404, body: { result: 'error.user.not_found', message: 'User not found' } },
    );
    expect(await getUser(requester, 'a+b@example.com', { domain: 'example.com' })).toMatchObject({
      email: 'a+b@example.com',
    });
    expect(requester.calls[0]).toMatchObject({
      path: '/organizations/12345%40AdobeOrg/users/a%2Bb@example.com',
      endpointClass: 'userRead',
      acceptStatuses: [404],
      query: { domain: 'example.com' },
    });
    expect(await getUser(requester, 'nobody@example.com')).toBeNull();
  });
});

describe('pages in flight', () => {
  /** A paced requester whose answers take `answerMs` each. */
  function pacedRequester(answerMs: number): FakeRequester {
    const requester = new FakeRequester(async (o) => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return { ...pageAnswer({ total: 100, pageSize: 2 }, pageOf(o)), answerMs };
    });
    return Object.assign(requester, { burstOf: () => ({ requests: 25, perMs: 60_000 }) });
  }

  it('keeps as many pages in flight as the budget sends at once when pages are slow', async () => {
    const requester = pacedRequester(3000);
    const users = await collect(listUsers(requester));
    expect(users).toHaveLength(100);
    // 25 requests C at a time take 25 / C answers of 3 s: within 1 % of the minute only with C = 25.
    expect(requester.maxInFlight).toBe(25);
  });

  it('keeps two in flight when answers are quick, or when the class is not paced', async () => {
    const quick = pacedRequester(5);
    await collect(listUsers(quick));
    expect(quick.maxInFlight).toBe(2);
    const unpaced = new FakeRequester((o) => ({
      ...pageAnswer({ total: 100, pageSize: 2 }, pageOf(o)),
      answerMs: 3000,
    }));
    await collect(listUsers(unpaced));
    expect(unpaced.maxInFlight).toBe(2);
  });

  it('grows with the latency observed: 120 ms answers need 25 × 120 ms / 600 ms = 5', async () => {
    const medium = pacedRequester(120);
    await collect(listUsers(medium));
    expect(medium.maxInFlight).toBe(5);
  });
});
