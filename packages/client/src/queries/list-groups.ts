import type { Requester } from '../transport/types.js';
import { groupFromJson } from './group-json.js';
import { pagerOptions } from './list-users.js';
import { createListing, type PagerOptions } from './pager.js';
import type { Group, Listing } from './types.js';

/**
 * User groups, product profiles and admin groups of the org (GET `/groups/{org}/{page}`), §6.4, each read by
 * `groupFromJson`: unknown fields and types kept, `isReadOnly` a boolean.
 */
export function listGroups(requester: Requester, options: PagerOptions = {}): Listing<Group> {
  const org = encodeURIComponent(requester.orgId);
  return createListing<Group>(
    {
      requester,
      endpointClass: 'groupRead',
      pathOf: (page) => `/groups/${org}/${page}`,
      itemsKey: 'groups',
      what: 'groups of the org',
      hiddenItems: 0,
      parseItem: groupFromJson,
    },
    pagerOptions(options),
  );
}
