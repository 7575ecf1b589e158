import { hostname } from 'node:os';
import pg from 'pg';
import type { HeldOrgLock, OrgLockHolder } from '../journal-store.js';
import { LockError, type LockOptions } from '../locks.js';
import { advisoryKey, LOCK_NAMESPACE_ORG } from './advisory-key.js';

interface HolderRow {
  host: string;
  pid: number;
  run_id: string;
  journal: string;
  since: Date;
}

/**
 * Takes the org's lock in PostgreSQL: a session advisory lock keyed by the org id, held by a connection of its own
 * that does nothing else (a connection busy in a query would keep the lock until that query ends). Every host that
 * uses the same database meets the same lock; the server frees it the moment that connection ends, a `kill -9`
 * of the holder included. Who holds it (host, pid, run id, journal, since) goes in `org_locks`, with the backend
 * pid of the lock's connection, so a refusal names a holder only while that connection still holds the lock.
 */
export async function lockOrgInPostgres(
  config: pg.ClientConfig,
  pool: pg.Pool,
  schema: string,
  location: string,
  orgId: string,
  holder: { runId: string; journal: string },
  options: Pick<LockOptions, 'pid' | 'host'> = {},
): Promise<HeldOrgLock> {
  const s = `"${schema}"`;
  const key = advisoryKey(orgId);
  const connection = new pg.Client({ ...config, application_name: 'umapi-kit org lock' });
  // A dropped lock connection must not crash the run with an unhandled error; the lock is gone with it.
  connection.on('error', () => undefined);
  await connection.connect();
  let taken: boolean;
  let backendPid: number;
  try {
    const result = await connection.query<{ taken: boolean; backend_pid: number }>(
      'SELECT pg_try_advisory_lock($1::int, $2::int) AS taken, pg_backend_pid() AS backend_pid',
      [LOCK_NAMESPACE_ORG, key],
    );
    taken = result.rows[0]?.taken === true;
    backendPid = result.rows[0]?.backend_pid ?? 0;
  } catch (error) {
    await connection.end().catch(() => undefined);
    throw error;
  }
  if (!taken) {
    await connection.end().catch(() => undefined);
    const rows = await pool.query<HolderRow>(
      `SELECT l.host, l.pid, l.run_id, l.journal, l.since FROM ${s}.org_locks l
        WHERE l.org_id = $1 AND EXISTS (SELECT 1 FROM pg_locks k WHERE k.locktype = 'advisory' AND k.granted
          AND k.pid = l.backend_pid AND k.classid = $2::int::oid AND k.objid = $3::int::oid AND k.objsubid = 2)`,
      [orgId, LOCK_NAMESPACE_ORG, key],
    );
    const row = rows.rows[0];
    const who =
      row === undefined
        ? 'another apply (it has not recorded itself yet)'
        : `pid ${String(row.pid)} on ${row.host} (run ${row.run_id}, journal ${row.journal}, since ${row.since.toISOString()})`;
    throw new LockError(
      `org ${orgId} is being synced by ${who}; wait for it to finish (the lock is a PostgreSQL advisory lock in ` +
        `${location}: it is freed the moment that run's connection ends, even if it is killed)`,
    );
  }
  const owner: OrgLockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    runId: holder.runId,
    journal: holder.journal,
    since: new Date().toISOString(),
  };
  try {
    await pool.query(
      `INSERT INTO ${s}.org_locks (org_id, host, pid, run_id, journal, since, backend_pid)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (org_id) DO UPDATE SET host = excluded.host, pid = excluded.pid, run_id = excluded.run_id,
         journal = excluded.journal, since = excluded.since, backend_pid = excluded.backend_pid`,
      [orgId, owner.host, owner.pid, owner.runId, owner.journal, owner.since, backendPid],
    );
  } catch (error) {
    await connection.end().catch(() => undefined);
    throw error;
  }
  let released = false;
  return {
    holder: owner,
    async release(): Promise<void> {
      if (released) return;
      released = true;
      try {
        // The record goes first, while the lock is still held, so it never removes the next holder's.
        await pool.query(`DELETE FROM ${s}.org_locks WHERE org_id = $1 AND run_id = $2`, [
          orgId,
          owner.runId,
        ]);
      } finally {
        // Ending the session frees its advisory locks.
        await connection.end().catch(() => undefined);
      }
    },
  };
}
