import { statement } from '../store/statement-cache.js';
import type { Db } from '../store/database.js';
import { orgExists } from '../store/integrations.js';
import { findGroup, type GroupRow, type UserRow } from '../store/org-records.js';
import { badOrganization, requestFailure, type EngineResponse } from './engine-response.js';
import { findTarget } from './user-entry.js';
import { groupNamesOf, userJson } from './user-json.js';

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

function parsePage(page: string): number | undefined {
  return /^\d{1,9}$/.test(page) ? Number(page) : undefined;
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

function badPage(page: string): EngineResponse {
  return requestFailure(400, 'error', `Page must be a non-negative integer, got "${page}"`);
}

/** Licensed member ids of a profile: its effective members (direct and through user groups) up to the quota. */
function profileMembers(
  db: Db,
  profile: GroupRow,
): { direct: number[]; effective: number[]; licensed: Set<number> } {
  const direct = statement(db, 'SELECT user_id FROM memberships WHERE group_id = ? ORDER BY user_id')
    .pluck()
    .all(profile.id) as number[];
  const effective = statement(
    db,
    `SELECT user_id FROM memberships WHERE group_id = ?
       UNION SELECT m.user_id FROM usergroup_profiles up JOIN memberships m ON m.group_id = up.usergroup_id
       WHERE up.profile_id = ? ORDER BY 1`,
  )
    .pluck()
    .all(profile.id, profile.id) as number[];
  const quota = Number(profile.license_quota);
  const licensed = new Set(Number.isInteger(quota) && quota >= 0 ? effective.slice(0, quota) : effective);
  return { direct, effective, licensed };
}

/**
 * One page of the org's active users in id order. The trigger-kept user_buckets give the total and the block
 * where the page starts, so the OFFSET inside that block is below 1024 whatever the page number.
 */
function orgPage(
  db: Db,
  orgId: string,
  domain: string | undefined,
  requested: number,
  pageSize: number,
): { total: number; win: PageWindow; ids: number[] } {
  const buckets = (
    domain === undefined
      ? statement(
          db,
          'SELECT bucket, SUM(active) AS active FROM user_buckets WHERE org_id = ? GROUP BY bucket ORDER BY bucket',
        ).all(orgId)
      : statement(
          db,
          'SELECT bucket, active FROM user_buckets WHERE org_id = ? AND domain = ? ORDER BY bucket',
        ).all(orgId, domain)
  ) as Array<{ bucket: number; active: number }>;
  const total = buckets.reduce((sum, row) => sum + row.active, 0);
  const win = window(requested, total, pageSize);
  let skipped = 0;
  let startBucket = 0;
  for (const row of buckets) {
    if (skipped + row.active > win.offset) break;
    skipped += row.active;
    startBucket = row.bucket + 1;
  }
  const firstId = startBucket * 1024;
  const ids = (
    domain === undefined
      ? statement(
          db,
          "SELECT id FROM users WHERE org_id = ? AND status = 'active' AND id >= ? ORDER BY id LIMIT ? OFFSET ?",
        ).all(orgId, firstId, pageSize, win.offset - skipped)
      : statement(
          db,
          "SELECT id FROM users WHERE org_id = ? AND domain = ? AND status = 'active' AND id >= ? ORDER BY id LIMIT ? OFFSET ?",
        ).all(orgId, domain, firstId, pageSize, win.offset - skipped)
  ) as Array<{ id: number }>;
  return { total, win, ids: ids.map((row) => row.id) };
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
  if (!orgExists(db, orgId)) return badOrganization();
  const requested = parsePage(page);
  if (requested === undefined) return badPage(page);
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
  const domainSql = domain === undefined ? '' : ' AND u.domain = ?';
  const domainArgs = domain === undefined ? [] : [domain];
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
  if (group === undefined) {
    ({ total, win, ids } = orgPage(db, orgId, domain, requested, pageSize));
  } else if (group.type === 'PRODUCT_PROFILE') {
    const members = profileMembers(db, group);
    let candidates = directOnly ? members.direct : members.effective;
    if (status !== undefined) {
      candidates = candidates.filter((id) => members.licensed.has(id) === (status === 'active'));
    }
    const allowed = new Set(
      statement(
        db,
        `SELECT u.id FROM users u WHERE u.id IN (SELECT value FROM json_each(?)) AND u.status = 'active'${domainSql}`,
      )
        .pluck()
        .all(JSON.stringify(candidates), ...domainArgs) as number[],
    );
    const matching = candidates.filter((id) => allowed.has(id));
    total = matching.length;
    win = window(requested, total, pageSize);
    ids = matching.slice(win.offset, win.offset + pageSize);
  } else {
    const from = `FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND u.status = 'active'${domainSql}`;
    total = statement(db, `SELECT COUNT(*) ${from}`)
      .pluck()
      .get(group.id, ...domainArgs) as number;
    win = window(requested, total, pageSize);
    ids = statement(db, `SELECT u.id ${from} ORDER BY m.user_id LIMIT ? OFFSET ?`)
      .pluck()
      .all(group.id, ...domainArgs, pageSize, win.offset) as number[];
  }

  const rows = statement(
    db,
    'SELECT u.* FROM users u WHERE u.id IN (SELECT value FROM json_each(?)) ORDER BY u.id',
  ).all(JSON.stringify(ids)) as UserRow[];
  const groups = excludeGroups ? undefined : groupNamesOf(db, ids, directOnly);
  const users = rows.map((row) =>
    userJson(row, groups === undefined ? undefined : (groups.get(row.id) ?? [])),
  );
  const body: Record<string, unknown> = { lastPage: win.page >= win.pageCount - 1, result: 'success' };
  if (group !== undefined) body['groupName'] = group.name;
  body['users'] = users;
  return { status: 200, body, headers: pageHeaders(total, win, users.length) };
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
    row = statement(
      db,
      `SELECT u.* FROM users u WHERE +u.org_id = ? AND u.id IN (SELECT id FROM users WHERE email_lc = ? UNION ALL SELECT id FROM users WHERE username_lc = ?) AND u.type != 'adobeID'
         AND (u.domain = ? OR u.domain IN (SELECT d.name FROM domains d WHERE d.directory_id =
              (SELECT directory_id FROM domains WHERE name = ?)))
         ORDER BY u.username_lc = ? DESC, u.id`,
    ).get(orgId, key, key, domain, domain, key) as UserRow | undefined;
  } else {
    row = findTarget(db, orgId, { user: key, domain: undefined, useAdobeID: false });
  }
  if (row?.status !== 'active') {
    return { status: 404, body: { result: 'error.user.not_found', message: `User not found ${userString}` } };
  }
  const groups = groupNamesOf(db, [row.id], true).get(row.id) ?? [];
  return { status: 200, body: { result: 'success', user: userJson(row, groups) } };
}

export function listGroups(
  db: Db,
  orgId: string,
  page: string,
  options: { pageSize: number },
): EngineResponse {
  if (!orgExists(db, orgId)) return badOrganization();
  const requested = parsePage(page);
  if (requested === undefined) return badPage(page);
  const total = statement(db, 'SELECT COUNT(*) FROM groups WHERE org_id = ?').pluck().get(orgId) as number;
  const win = window(requested, total, options.pageSize);
  const rows = statement(db, 'SELECT * FROM groups WHERE org_id = ? ORDER BY id LIMIT ? OFFSET ?').all(
    orgId,
    options.pageSize,
    win.offset,
  ) as GroupRow[];
  const directCount = statement(db, 'SELECT COUNT(*) FROM memberships WHERE group_id = ?').pluck();
  const adminOf = statement(
    db,
    "SELECT * FROM groups WHERE target_id = ? AND name_lc LIKE '\\_admin\\_%' ESCAPE '\\'",
  );
  const targetOf = statement(db, 'SELECT name FROM groups WHERE id = ?').pluck();
  const groups = rows.map((row) => {
    const json: Record<string, unknown> = { groupId: row.id, groupName: row.name, type: row.type };
    json['memberCount'] =
      row.type === 'PRODUCT_PROFILE' ? profileMembers(db, row).effective.length : directCount.get(row.id);
    const admin = adminOf.get(row.id) as GroupRow | undefined;
    if (admin !== undefined && (directCount.get(admin.id) as number) > 0) json['adminGroupName'] = admin.name;
    if (row.type === 'PRODUCT_PROFILE') {
      json['productName'] = row.product_name;
      json['licenseQuota'] = row.license_quota;
    }
    if (row.type === 'PRODUCT_ADMIN_GROUP') json['productName'] = row.product_name;
    if (row.type === 'USER_ADMIN_GROUP' && row.target_id !== null)
      json['userGroupName'] = targetOf.get(row.target_id);
    if ((row.type === 'PROFILE_ADMIN_GROUP' || row.type === 'DEVELOPER_GROUP') && row.target_id !== null) {
      json['productProfileName'] = targetOf.get(row.target_id);
    }
    return json;
  });
  return {
    status: 200,
    body: { lastPage: win.page >= win.pageCount - 1, result: 'success', groups },
    headers: pageHeaders(total, win, groups.length),
  };
}
