import type { Db } from '../store/database.js';
import {
  adminGroupOf,
  countGroups,
  findGroup,
  groupNameById,
  groupsPage,
  type GroupRow,
} from '../store/groups.js';
import { countIntegrations } from '../store/integrations.js';
import { directMemberCount, groupNamesOfUsers, profileMemberIds } from '../store/memberships.js';
import { orgExists } from '../store/orgs.js';
import { activeAmong, activeMembers, activeUsers } from '../store/user-queries.js';
import { findInDirectoryByLogin, usersByIds, type UserRow } from '../store/users.js';
import { badOrganization, requestFailure, type EngineResponse } from './engine-response.js';
import { findTarget } from './user-entry.js';
import { userJson } from './user-json.js';

/*
 * Query choices where the docs are silent or contradict themselves (umapi-api.md §12):
 * - a page beyond the last answers the last page, for users (documented) and groups (the prose; the groups
 *   example's `{"result":"Not found"}` is not followed — PYCLIENT treats that as empty anyway);
 * - X-Current-Page is 0-based like the page path segment; X-Page-Count is at least 1;
 * - a profile's licences go to its effective members in the order they joined the org (user id); members beyond
 *   the licence quota are `inactive` for `?status=`; a non-numeric quota ("UNLIMITED") licenses everyone.
 */

interface PageWindow {
  page: number;
  pageCount: number;
  offset: number;
}

function parseBoolean(value: string | undefined, name: string, fallback: boolean): boolean | EngineResponse {
  if (value === undefined) return fallback;
  const lower = value.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  return requestFailure(400, 'error', `Query parameter ${name} must be true or false, got "${value}"`);
}

function window(requested: number, total: number, pageSize: number): PageWindow {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(requested, pageCount - 1);
  return { page, pageCount, offset: page * pageSize };
}

function pageHeaders(total: number, win: PageWindow, size: number): Record<string, string> {
  return {
    'X-Total-Count': String(total),
    'X-Page-Count': String(win.pageCount),
    'X-Current-Page': String(win.page),
    'X-Page-Size': String(size),
  };
}

/** The requested page number of a listing of an existing org, or the documented failure. */
function requestedPage(db: Db, orgId: string, page: string): number | EngineResponse {
  if (!orgExists(db, orgId)) return badOrganization();
  if (!/^\d{1,9}$/.test(page)) {
    return requestFailure(400, 'error', `Page must be a non-negative integer, got "${page}"`);
  }
  return Number(page);
}

/** A profile's members; its licences go to the effective members in id order, up to the quota. */
function profileMembers(
  db: Db,
  profile: GroupRow,
): { direct: number[]; effective: number[]; licensed: Set<number> } {
  const { direct, effective } = profileMemberIds(db, profile.id);
  const quota = Number(profile.license_quota);
  const licensed = new Set(Number.isInteger(quota) && quota >= 0 ? effective.slice(0, quota) : effective);
  return { direct, effective, licensed };
}

export function listUsers(
  db: Db,
  orgId: string,
  page: string,
  options: {
    groupName?: string;
    domain?: string;
    directOnly?: string;
    status?: string;
    excludeGroups?: string;
    pageSize: number;
  },
): EngineResponse {
  const requested = requestedPage(db, orgId, page);
  if (typeof requested !== 'number') return requested;
  const directOnly = parseBoolean(options.directOnly, 'directOnly', true);
  if (typeof directOnly !== 'boolean') return directOnly;
  const excludeGroups = parseBoolean(options.excludeGroups, 'excludeGroups', false);
  if (typeof excludeGroups !== 'boolean') return excludeGroups;
  const status = options.status?.toLowerCase();
  if (status !== undefined && status !== 'active' && status !== 'inactive') {
    return requestFailure(
      400,
      'error',
      `Query parameter status must be active or inactive, got "${options.status ?? ''}"`,
    );
  }
  const domain = options.domain?.toLowerCase();
  const pageSize = options.pageSize;

  let total: number;
  let win: PageWindow;
  let ids: number[];
  const group = options.groupName === undefined ? undefined : findGroup(db, orgId, options.groupName);
  if (options.groupName !== undefined && group === undefined) {
    return {
      status: 404,
      body: {
        lastPage: false,
        result: 'error.group.not_found',
        message: `Not found: Group ${options.groupName}`,
      },
    };
  }
  if (group?.type === 'PRODUCT_PROFILE') {
    const members = profileMembers(db, group);
    let candidates = directOnly ? members.direct : members.effective;
    if (status !== undefined) {
      candidates = candidates.filter((id) => members.licensed.has(id) === (status === 'active'));
    }
    const allowed = activeAmong(db, candidates, domain);
    const matching = candidates.filter((id) => allowed.has(id));
    total = matching.length;
    win = window(requested, total, pageSize);
    ids = matching.slice(win.offset, win.offset + pageSize);
  } else {
    const listed = group === undefined ? activeUsers(db, orgId, domain) : activeMembers(db, group.id, domain);
    total = listed.total;
    win = window(requested, total, pageSize);
    ids = listed.idsAt(win.offset, pageSize);
  }

  const rows = usersByIds(db, ids);
  const groups = excludeGroups ? undefined : groupNamesOfUsers(db, ids, directOnly);
  const users = rows.map((row) =>
    userJson(row, groups === undefined ? undefined : (groups.get(row.id) ?? [])),
  );
  const body: Record<string, unknown> = { lastPage: win.page >= win.pageCount - 1, result: 'success' };
  if (group !== undefined) body['groupName'] = group.name;
  body['users'] = users;
  // Each integration's technical account is a user of the org that the API never returns (§6.1): the org-wide
  // listing counts them in X-Total-Count and nowhere else. Pages are cut from the users actually returned, so
  // X-Page-Count, lastPage and what each page holds follow the body; the technical accounts count as if they
  // came after the last user, which makes the last page that many items shorter than X-Total-Count implies
  // (never an extra or empty page). Member and domain listings count exactly what they return.
  const technicalAccounts = group === undefined && domain === undefined ? countIntegrations(db, orgId) : 0;
  return { status: 200, body, headers: pageHeaders(total + technicalAccounts, win, users.length) };
}

export function getUser(
  db: Db,
  orgId: string,
  userString: string,
  options: { domain?: string },
): EngineResponse {
  if (!orgExists(db, orgId)) return badOrganization();
  const key = userString.toLowerCase();
  const domain = options.domain?.toLowerCase();
  let row: UserRow | undefined;
  if (domain === 'adobeid') {
    row = findTarget(db, orgId, { user: key, domain: undefined, useAdobeID: true });
  } else if (domain !== undefined && !key.includes('@')) {
    row = findTarget(db, orgId, { user: key, domain, useAdobeID: false });
  } else if (domain !== undefined) {
    // The domain may be any domain of the user's directory, so it can differ from the email's domain.
    row = findInDirectoryByLogin(db, orgId, key, domain);
  } else {
    row = findTarget(db, orgId, { user: key, domain: undefined, useAdobeID: false });
  }
  if (row?.status !== 'active') {
    return { status: 404, body: { result: 'error.user.not_found', message: `User not found ${userString}` } };
  }
  const groups = groupNamesOfUsers(db, [row.id], true).get(row.id) ?? [];
  return { status: 200, body: { result: 'success', user: userJson(row, groups) } };
}

export function listGroups(
  db: Db,
  orgId: string,
  page: string,
  options: { pageSize: number },
): EngineResponse {
  const requested = requestedPage(db, orgId, page);
  if (typeof requested !== 'number') return requested;
  const total = countGroups(db, orgId);
  const win = window(requested, total, options.pageSize);
  const rows = groupsPage(db, orgId, win.offset, options.pageSize);
  const groups = rows.map((row) => {
    const json: Record<string, unknown> = { groupId: row.id, groupName: row.name, type: row.type };
    json['memberCount'] =
      row.type === 'PRODUCT_PROFILE'
        ? profileMembers(db, row).effective.length
        : directMemberCount(db, row.id);
    const admin = adminGroupOf(db, row.id);
    if (admin !== undefined && directMemberCount(db, admin.id) > 0) json['adminGroupName'] = admin.name;
    if (row.type === 'PRODUCT_PROFILE') {
      json['productName'] = row.product_name;
      json['licenseQuota'] = row.license_quota;
    }
    if (row.type === 'PRODUCT_ADMIN_GROUP') json['productName'] = row.product_name;
    // Shared from another org (Global Admin Console): members are managed there (§4.4).
    if (row.type === 'USER_GROUP') json['isReadOnly'] = row.is_read_only === 1;
    if (row.type === 'CONTRACT_ADMIN_GROUP' && row.contract_name !== null)
      json['contractName'] = row.contract_name;
    if (row.type === 'USER_ADMIN_GROUP' && row.target_id !== null)
      json['userGroupName'] = groupNameById(db, row.target_id);
    if ((row.type === 'PROFILE_ADMIN_GROUP' || row.type === 'DEVELOPER_GROUP') && row.target_id !== null) {
      json['productProfileName'] = groupNameById(db, row.target_id);
    }
    return json;
  });
  return {
    status: 200,
    body: { lastPage: win.page >= win.pageCount - 1, result: 'success', groups },
    headers: pageHeaders(total, win, groups.length),
  };
}
