import type { Db } from './database.js';
import { statement } from './statement-cache.js';

/** The active users a listing pages through: how many there are, and the ids at an offset in id order. */
interface PagedIds {
  total: number;
  idsAt(offset: number, limit: number): number[];
}

/**
 * The org's active users (of one domain, when given) in id order. The trigger-kept user_buckets give the total
 * and the block where a page starts, so the OFFSET inside that block is below 1024 whatever the page number.
 */
export function activeUsers(db: Db, orgId: string, domain: string | undefined): PagedIds {
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
  return {
    total: buckets.reduce((sum, row) => sum + row.active, 0),
    idsAt(offset, limit) {
      let skipped = 0;
      let startBucket = 0;
      for (const row of buckets) {
        if (skipped + row.active > offset) break;
        skipped += row.active;
        startBucket = row.bucket + 1;
      }
      const firstId = startBucket * 1024;
      return (
        domain === undefined
          ? statement(
              db,
              "SELECT id FROM users WHERE org_id = ? AND status = 'active' AND id >= ? ORDER BY id LIMIT ? OFFSET ?",
            ).all(orgId, firstId, limit, offset - skipped)
          : statement(
              db,
              "SELECT id FROM users WHERE org_id = ? AND domain = ? AND status = 'active' AND id >= ? ORDER BY id LIMIT ? OFFSET ?",
            ).all(orgId, domain, firstId, limit, offset - skipped)
      ).map((row) => (row as { id: number }).id);
    },
  };
}

/** The active direct members of a group (of one domain, when given) in user id order. */
export function activeMembers(db: Db, groupId: number, domain: string | undefined): PagedIds {
  const domainSql = domain === undefined ? '' : ' AND u.domain = ?';
  const domainArgs = domain === undefined ? [] : [domain];
  const from = `FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? AND u.status = 'active'${domainSql}`;
  return {
    total: statement(db, `SELECT COUNT(*) ${from}`)
      .pluck()
      .get(groupId, ...domainArgs) as number,
    idsAt: (offset, limit) =>
      statement(db, `SELECT u.id ${from} ORDER BY m.user_id LIMIT ? OFFSET ?`)
        .pluck()
        .all(groupId, ...domainArgs, limit, offset) as number[],
  };
}

/** Those of `ids` that are active users (of one domain, when given). */
export function activeAmong(db: Db, ids: readonly number[], domain: string | undefined): Set<number> {
  const domainSql = domain === undefined ? '' : ' AND u.domain = ?';
  const domainArgs = domain === undefined ? [] : [domain];
  return new Set(
    statement(
      db,
      `SELECT u.id FROM users u WHERE u.id IN (SELECT value FROM json_each(?)) AND u.status = 'active'${domainSql}`,
    )
      .pluck()
      .all(JSON.stringify(ids), ...domainArgs) as number[],
  );
}
