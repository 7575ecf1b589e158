import type { Requester } from '../transport/types.js';
import { createListing, type PagerOptions } from './pager.js';
import type { Listing, User, UserListOptions } from './types.js';

const flag = (value: boolean | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

/**
 * Users of the org (GET `/users/{org}/{page}`) or of one group, profile or admin group
 * (`/users/{org}/{page}/{group}`), umapi-api.md §6.1 and §6.3.
 */
export function listUsers(
  requester: Requester,
  options: UserListOptions & Omit<PagerOptions, 'signal'> & { technicalAccounts?: number } = {},
): Listing<User> {
  const org = encodeURIComponent(requester.orgId);
  const group = options.group;
  return createListing<User>(
    {
      requester,
      endpointClass: 'userRead',
      pathOf: (page) => `/users/${org}/${page}${group !== undefined ? `/${encodeURIComponent(group)}` : ''}`,
      query: {
        directOnly: flag(options.directOnly),
        domain: options.domain,
        status: options.status,
        excludeGroups: flag(options.excludeGroups),
      },
      itemsKey: 'users',
      what: group !== undefined ? `users of group "${group}"` : 'users of the org',
      hiddenItems: options.technicalAccounts ?? 1,
    },
    pagerOptions(options),
  );
}

/** Copies the pager options that are set (exactOptionalPropertyTypes). */
export function pagerOptions(options: PagerOptions): PagerOptions {
  const out: PagerOptions = {};
  if (options.concurrency !== undefined) out.concurrency = options.concurrency;
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.maxRefetches !== undefined) out.maxRefetches = options.maxRefetches;
  return out;
}
