import type { Db } from './database.js';
import { statement } from './statement-cache.js';

/** Groups: user groups, product profiles and admin groups. target_id links an admin group to its target. */
type GroupType =
  | 'USER_GROUP'
  | 'PRODUCT_PROFILE'
  | 'SYSADMIN_GROUP'
  | 'SUPPORT_ADMIN_GROUP'
  | 'DEPLOYMENT_ADMIN_GROUP'
  | 'PRODUCT_ADMIN_GROUP'
  | 'PROFILE_ADMIN_GROUP'
  | 'USER_ADMIN_GROUP'
  | 'DEVELOPER_GROUP'
  | 'CONTRACT_ADMIN_GROUP';

export interface GroupRow {
  id: number;
  org_id: string;
  name: string;
  name_lc: string;
  type: GroupType;
  description: string | null;
  is_read_only: number;
  product_name: string | null;
  license_quota: string | null;
  target_id: number | null;
  contract_name: string | null;
  /** 1: a historic "provisioning" group Adobe filters out of every listing (never shown, never found by name). */
  is_phantom: number;
}

export function insertGroup(
  db: Db,
  orgId: string,
  group: {
    name: string;
    type: GroupType;
    description?: string | undefined;
    isReadOnly?: boolean;
    productName?: string;
    licenseQuota?: string;
    targetId?: number;
    contractName?: string;
    phantom?: boolean;
  },
): number {
  // A phantom does not really exist: a real group of its name takes its place.
  const phantom = statement(db, 'SELECT id FROM groups WHERE org_id = ? AND name_lc = ? AND is_phantom = 1')
    .pluck()
    .get(orgId, group.name.toLowerCase()) as number | undefined;
  if (phantom !== undefined) deleteGroup(db, phantom);
  return Number(
    statement(
      db,
      `INSERT INTO groups (org_id, name, name_lc, type, description, is_read_only, product_name, license_quota,
                           target_id, contract_name, is_phantom)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      orgId,
      group.name,
      group.name.toLowerCase(),
      group.type,
      group.description ?? null,
      group.isReadOnly === true ? 1 : 0,
      group.productName ?? null,
      group.licenseQuota ?? null,
      group.targetId ?? null,
      group.contractName ?? null,
      group.phantom === true ? 1 : 0,
    ).lastInsertRowid,
  );
}

/** Creates a contract admin group (`CONTRACT_ADMIN_GROUP`, named for its contract: umapi-api.md §6.4). */
export function createContractAdminGroup(db: Db, orgId: string, name: string, contractName: string): number {
  return insertGroup(db, orgId, { name, type: 'CONTRACT_ADMIN_GROUP', contractName });
}

/** Creates a user group with its `_admin_<name>` group. */
export function createUserGroup(
  db: Db,
  orgId: string,
  name: string,
  options: { description?: string | undefined; isReadOnly?: boolean } = {},
): number {
  const id = insertGroup(db, orgId, {
    name,
    type: 'USER_GROUP',
    description: options.description,
    isReadOnly: options.isReadOnly ?? false,
  });
  insertGroup(db, orgId, { name: `_admin_${name}`, type: 'USER_ADMIN_GROUP', targetId: id });
  return id;
}

/** Creates a product profile with its `_admin_`, `_developer_` and (once per product) `_product_admin_` groups. */
export function createProfile(
  db: Db,
  orgId: string,
  name: string,
  productName: string,
  licenseQuota: string,
): number {
  const id = insertGroup(db, orgId, { name, type: 'PRODUCT_PROFILE', productName, licenseQuota });
  insertGroup(db, orgId, { name: `_admin_${name}`, type: 'PROFILE_ADMIN_GROUP', targetId: id });
  insertGroup(db, orgId, { name: `_developer_${name}`, type: 'DEVELOPER_GROUP', targetId: id });
  const productAdmin = `_product_admin_${productName}`;
  if (findGroup(db, orgId, productAdmin) === undefined) {
    insertGroup(db, orgId, { name: productAdmin, type: 'PRODUCT_ADMIN_GROUP', productName });
  }
  return id;
}

/** A group of the org by name, case-insensitively (never a phantom: those are not found by name). */
export function findGroup(db: Db, orgId: string, name: string): GroupRow | undefined {
  return statement(db, 'SELECT * FROM groups WHERE org_id = ? AND name_lc = ? AND is_phantom = 0').get(
    orgId,
    name.toLowerCase(),
  ) as GroupRow | undefined;
}

export function findGroupById(db: Db, id: number): GroupRow | undefined {
  return statement(db, 'SELECT * FROM groups WHERE id = ?').get(id) as GroupRow | undefined;
}

export function groupNameById(db: Db, id: number): string | undefined {
  return statement(db, 'SELECT name FROM groups WHERE id = ?').pluck().get(id) as string | undefined;
}

/** The admin groups (`_admin_`, `_developer_`) whose target is this group. */
export function groupIdsTargeting(db: Db, targetId: number): number[] {
  return statement(db, 'SELECT id FROM groups WHERE target_id = ?').pluck().all(targetId) as number[];
}

/** The `_admin_<name>` group of a user group or profile. */
export function adminGroupOf(db: Db, targetId: number): GroupRow | undefined {
  return statement(
    db,
    "SELECT * FROM groups WHERE target_id = ? AND name_lc LIKE '\\_admin\\_%' ESCAPE '\\'",
  ).get(targetId) as GroupRow | undefined;
}

export function renameGroup(db: Db, id: number, name: string): void {
  statement(db, 'UPDATE groups SET name = ?, name_lc = ? WHERE id = ?').run(name, name.toLowerCase(), id);
}

/** Renames every group whose target is `targetId` (a user group's one `_admin_` group). */
export function renameGroupsTargeting(db: Db, targetId: number, name: string): void {
  statement(db, 'UPDATE groups SET name = ?, name_lc = ? WHERE target_id = ?').run(
    name,
    name.toLowerCase(),
    targetId,
  );
}

export function setGroupDescription(db: Db, id: number, description: string): void {
  statement(db, 'UPDATE groups SET description = ? WHERE id = ?').run(description, id);
}

/** Deletes a group with its memberships and the profiles it grants. */
export function deleteGroup(db: Db, id: number): void {
  statement(db, 'DELETE FROM memberships WHERE group_id = ?').run(id);
  statement(db, 'DELETE FROM usergroup_profiles WHERE usergroup_id = ?').run(id);
  statement(db, 'DELETE FROM groups WHERE id = ?').run(id);
}

/** The org's groups as listings show them (phantoms filtered out). */
export function countGroups(db: Db, orgId: string): number {
  return statement(db, 'SELECT COUNT(*) FROM groups WHERE org_id = ? AND is_phantom = 0')
    .pluck()
    .get(orgId) as number;
}

/** One page of the org's groups in id order (phantoms filtered out). */
export function groupsPage(db: Db, orgId: string, offset: number, limit: number): GroupRow[] {
  return statement(
    db,
    'SELECT * FROM groups WHERE org_id = ? AND is_phantom = 0 ORDER BY id LIMIT ? OFFSET ?',
  ).all(orgId, limit, offset) as GroupRow[];
}

/** Ids of the user groups and profiles users can be added to (not read-only), in id order. */
export function assignableGroupIds(db: Db, orgId: string): number[] {
  return statement(
    db,
    "SELECT id FROM groups WHERE org_id = ? AND type IN ('USER_GROUP', 'PRODUCT_PROFILE') AND is_read_only = 0 AND is_phantom = 0 ORDER BY id",
  )
    .pluck()
    .all(orgId) as number[];
}
