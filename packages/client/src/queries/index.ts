export type * from './types.js';
export { getUser } from './get-user.js';
export { listGroups } from './list-groups.js';
export { listUsers } from './list-users.js';
export { createListing, type PagedEndpoint, type PagerOptions } from './pager.js';
