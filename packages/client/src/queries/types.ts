/** Query results (umapi-api.md §6). Unknown fields from the server are kept on the objects as-is. */

export interface User {
  id?: string;
  email: string;
  username?: string;
  domain?: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  status?: string;
  type: 'adobeID' | 'enterpriseID' | 'federatedID' | 'unknown';
  groups?: string[];
  [key: string]: unknown;
}

/**
 * The group types UMAPI documents (§6.4); `CONTRACT_ADMIN_GROUP` since 2025-06-03. Adobe adds types with a few
 * weeks' notice, so a `Group`'s `type` may be any other string too: treat an unknown type as an opaque group.
 */
export type GroupType =
  | 'USER_GROUP'
  | 'PRODUCT_PROFILE'
  | 'SYSADMIN_GROUP'
  | 'DEPLOYMENT_ADMIN_GROUP'
  | 'SUPPORT_ADMIN_GROUP'
  | 'PRODUCT_ADMIN_GROUP'
  | 'PROFILE_ADMIN_GROUP'
  | 'USER_ADMIN_GROUP'
  | 'DEVELOPER_GROUP'
  | 'CONTRACT_ADMIN_GROUP';

export interface Group {
  groupId?: number;
  groupName: string;
  type: GroupType | (string & {});
  memberCount?: number;
  adminGroupName?: string;
  productName?: string;
  licenseQuota?: string;
  userGroupName?: string;
  productProfileName?: string;
  /** `CONTRACT_ADMIN_GROUP`: the contract it administers. */
  contractName?: string;
  /**
   * A user group shared from another org (Global Admin Console): users cannot be added to or removed from it
   * here. Read as a boolean whether the server sends `true` or `"true"`.
   */
  isReadOnly?: boolean;
  [key: string]: unknown;
}

export interface UserListOptions {
  /** Members of this user group, product profile or admin group (`/users/{org}/{page}/{group}`). */
  group?: string;
  domain?: string;
  /** Default true, as the API. */
  directOnly?: boolean;
  /** Product profiles only: `active` (licensed) or `inactive`. */
  status?: 'active' | 'inactive';
  excludeGroups?: boolean;
  signal?: AbortSignal;
}

export interface PageInfo {
  /** 0-based page index requested. */
  page: number;
  lastPage: boolean;
  totalCount?: number;
  pageCount?: number;
  pageSize?: number;
  currentPage?: number;
  requestId: string;
  attempts: number;
}

export interface Page<T> extends PageInfo {
  items: T[];
}

export interface ToArrayOptions {
  /** Stop after this many items. */
  limit?: number;
  /** Gather everything (memory grows with the org). */
  all?: boolean;
}

/** A paged listing: iterate items with `for await`, or whole pages with `pages()`. */
export interface Listing<T> extends AsyncIterable<T> {
  pages(): AsyncIterable<Page<T>>;
  /** Refuses (ValidationError) without `limit` or `all: true`. */
  toArray(options: ToArrayOptions): Promise<T[]>;
}
