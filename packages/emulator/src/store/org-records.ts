import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { statement } from './statement-cache.js';

/** Row shapes and small write helpers shared by the seed and the engine. */
export type IdentityType = 'adobeID' | 'enterpriseID' | 'federatedID';

export interface UserRow {
  id: number;
  org_id: string;
  uid: string;
  type: IdentityType;
  email: string;
  email_lc: string;
  username: string;
  username_lc: string;
  domain: string;
  firstname: string | null;
  lastname: string | null;
  country: string | null;
  status: string;
}

export type GroupType =
  | 'USER_GROUP'
  | 'PRODUCT_PROFILE'
  | 'SYSADMIN_GROUP'
  | 'SUPPORT_ADMIN_GROUP'
  | 'DEPLOYMENT_ADMIN_GROUP'
  | 'PRODUCT_ADMIN_GROUP'
  | 'PROFILE_ADMIN_GROUP'
  | 'USER_ADMIN_GROUP'
  | 'DEVELOPER_GROUP';

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
}

export interface DomainInfo {
  name: string;
  orgId: string;
  directoryId: number;
  type: 'enterprise' | 'federated';
}

/** A stable user id derived from the identity, so snapshots of equal histories are equal. */
export function userUid(orgId: string, type: IdentityType, username: string, domain: string): string {
  const digest = createHash('sha1')
    .update(`${orgId}\n${type}\n${username.toLowerCase()}\n${domain.toLowerCase()}`)
    .digest('hex');
  return `${digest.slice(0, 24).toUpperCase()}@AdobeID`;
}

export function createOrg(db: Db, orgId: string, name: string): void {
  statement(db, 'INSERT INTO orgs (id, name) VALUES (?, ?)').run(orgId, name);
  for (const [groupName, type] of [
    ['_org_admin', 'SYSADMIN_GROUP'],
    ['_support_admin', 'SUPPORT_ADMIN_GROUP'],
    ['_deployment_admin', 'DEPLOYMENT_ADMIN_GROUP'],
  ] as const) {
    insertGroup(db, orgId, { name: groupName, type });
  }
}

export function createDirectory(
  db: Db,
  orgId: string,
  name: string,
  type: 'enterprise' | 'federated',
  domains: readonly string[],
): number {
  const id = Number(
    statement(db, 'INSERT INTO directories (org_id, name, type) VALUES (?, ?, ?)').run(orgId, name, type)
      .lastInsertRowid,
  );
  for (const domain of domains) {
    statement(db, 'INSERT INTO domains (name, org_id, directory_id) VALUES (?, ?, ?)').run(
      domain.toLowerCase(),
      orgId,
      id,
    );
  }
  return id;
}

export function trustDomain(db: Db, orgId: string, domain: string): void {
  statement(db, 'INSERT OR IGNORE INTO trusted_domains (org_id, domain) VALUES (?, ?)').run(
    orgId,
    domain.toLowerCase(),
  );
}

export function findDomain(db: Db, domain: string): DomainInfo | undefined {
  const row = statement(
    db,
    `SELECT d.name, d.org_id, d.directory_id, r.type FROM domains d
       JOIN directories r ON r.id = d.directory_id WHERE d.name = ?`,
  ).get(domain.toLowerCase()) as
    { name: string; org_id: string; directory_id: number; type: 'enterprise' | 'federated' } | undefined;
  if (row === undefined) return undefined;
  return { name: row.name, orgId: row.org_id, directoryId: row.directory_id, type: row.type };
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
  },
): number {
  return Number(
    statement(
      db,
      `INSERT INTO groups (org_id, name, name_lc, type, description, is_read_only, product_name, license_quota, target_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    ).lastInsertRowid,
  );
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

export function findGroup(db: Db, orgId: string, name: string): GroupRow | undefined {
  return statement(db, 'SELECT * FROM groups WHERE org_id = ? AND name_lc = ?').get(
    orgId,
    name.toLowerCase(),
  ) as GroupRow | undefined;
}

export function insertUser(
  db: Db,
  orgId: string,
  user: {
    type: IdentityType;
    email: string;
    username: string;
    domain: string;
    firstname?: string | undefined;
    lastname?: string | undefined;
    country?: string | undefined;
  },
): number {
  return Number(
    statement(
      db,
      `INSERT INTO users (org_id, uid, type, email, email_lc, username, username_lc, domain, firstname, lastname, country)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      orgId,
      userUid(orgId, user.type, user.username, user.domain),
      user.type,
      user.email,
      user.email.toLowerCase(),
      user.username,
      user.username.toLowerCase(),
      user.domain.toLowerCase(),
      user.firstname ?? null,
      user.lastname ?? null,
      user.country ?? null,
    ).lastInsertRowid,
  );
}

export function addMembership(db: Db, groupId: number, userId: number): void {
  statement(db, 'INSERT OR IGNORE INTO memberships (group_id, user_id) VALUES (?, ?)').run(groupId, userId);
}
