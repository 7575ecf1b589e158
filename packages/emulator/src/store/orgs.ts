import type { Db } from './database.js';
import { insertGroup } from './groups.js';
import { statement } from './statement-cache.js';

/** Orgs, their directories and claimed domains, and the domains they trust. */
type DirectoryType = 'enterprise' | 'federated';

/** Who syncs a directory's users into Admin Console, when it is not UMAPI: Azure (Entra) or Google sync. */
export type DirectoryManager = 'azure' | 'google';
export const DIRECTORY_MANAGERS: readonly DirectoryManager[] = ['azure', 'google'];

interface DomainInfo {
  name: string;
  orgId: string;
  directoryId: number;
  directoryName: string;
  type: DirectoryType;
  managedBy: DirectoryManager | undefined;
}

export interface DirectoryInfo {
  name: string;
  type: DirectoryType;
  domains: string[];
  managedBy: DirectoryManager | null;
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
  options: { managedBy?: DirectoryManager } = {},
): number {
  const id = Number(
    statement(db, 'INSERT INTO directories (org_id, name, type, managed_by) VALUES (?, ?, ?, ?)').run(
      orgId,
      name,
      type,
      options.managedBy ?? null,
    ).lastInsertRowid,
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
    `SELECT d.name, d.org_id, d.directory_id, r.name AS directory_name, r.type, r.managed_by FROM domains d
       JOIN directories r ON r.id = d.directory_id WHERE d.name = ?`,
  ).get(domain.toLowerCase()) as
    | {
        name: string;
        org_id: string;
        directory_id: number;
        directory_name: string;
        type: DirectoryType;
        managed_by: DirectoryManager | null;
      }
    | undefined;
  if (row === undefined) return undefined;
  return {
    name: row.name,
    orgId: row.org_id,
    directoryId: row.directory_id,
    directoryName: row.directory_name,
    type: row.type,
    managedBy: row.managed_by ?? undefined,
  };
}

/**
 * Sets (or, with null, clears) who syncs the directory that claims `domain`: the setting is per directory, so it
 * covers every domain of that directory. False when no directory claims the domain.
 */
export function setDirectoryManager(db: Db, domain: string, managedBy: DirectoryManager | null): boolean {
  const info = findDomain(db, domain);
  if (info === undefined) return false;
  statement(db, 'UPDATE directories SET managed_by = ? WHERE id = ?').run(managedBy, info.directoryId);
  return true;
}

/** The org's directories with their domains and sync setting, by name. */
export function directoriesOf(db: Db, orgId: string): DirectoryInfo[] {
  const rows = statement(
    db,
    `SELECT r.name, r.type, r.managed_by, d.name AS domain FROM directories r
       LEFT JOIN domains d ON d.directory_id = r.id WHERE r.org_id = ? ORDER BY r.name, r.id, d.name`,
  ).all(orgId) as Array<{
    name: string;
    type: DirectoryType;
    managed_by: DirectoryManager | null;
    domain: string | null;
  }>;
  const out: DirectoryInfo[] = [];
  for (const row of rows) {
    let last = out[out.length - 1];
    if (last?.name !== row.name) {
      last = { name: row.name, type: row.type, domains: [], managedBy: row.managed_by };
      out.push(last);
    }
    if (row.domain !== null) last.domains.push(row.domain);
  }
  return out;
}

/** The domains an org claims whose directory UMAPI may write (not synced from Azure or Google), by name. */
export function writableDomains(db: Db, orgId: string): Array<{ name: string; type: DirectoryType }> {
  return statement(
    db,
    `SELECT d.name, r.type FROM domains d JOIN directories r ON r.id = d.directory_id
       WHERE d.org_id = ? AND r.managed_by IS NULL ORDER BY d.name`,
  ).all(orgId) as Array<{ name: string; type: DirectoryType }>;
}
