import type { Db } from './database.js';
import { insertGroup } from './groups.js';
import { statement } from './statement-cache.js';

/** Orgs, their directories and claimed domains, and the domains they trust. */
type DirectoryType = 'enterprise' | 'federated';

interface DomainInfo {
  name: string;
  orgId: string;
  directoryId: number;
  type: DirectoryType;
}

/** Creates an org with its three global admin groups. */
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

export function orgExists(db: Db, orgId: string): boolean {
  return statement(db, 'SELECT 1 FROM orgs WHERE id = ?').get(orgId) !== undefined;
}

export function createDirectory(
  db: Db,
  orgId: string,
  name: string,
  type: DirectoryType,
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
    { name: string; org_id: string; directory_id: number; type: DirectoryType } | undefined;
  if (row === undefined) return undefined;
  return { name: row.name, orgId: row.org_id, directoryId: row.directory_id, type: row.type };
}

/** The domains an org claims, with their directory type, by name. */
export function claimedDomains(db: Db, orgId: string): Array<{ name: string; type: DirectoryType }> {
  return statement(
    db,
    'SELECT d.name, r.type FROM domains d JOIN directories r ON r.id = d.directory_id WHERE d.org_id = ? ORDER BY d.name',
  ).all(orgId) as Array<{ name: string; type: DirectoryType }>;
}
