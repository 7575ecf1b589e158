import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Plan } from '../../plan/plan-types.js';
import { journalKey, type HeldOrgLock, type JournalStore } from '../journal-store.js';
import type { LockOptions } from '../locks.js';
import { StateFileError } from '../sqlite-file.js';
import type { AccountBinding, FullListing, RunQuery, RunRecord, StateStore } from '../state-store.js';
import { displayUrl } from '../state-location.js';
import { PostgresJournal, type PgJournalHost } from './pg-journal.js';
import { migrate, NewerSchemaError } from './pg-migrations.js';
import { lockOrgInPostgres } from './pg-org-lock.js';

interface AnchorRow {
  anchor: string;
  type: AccountBinding['type'];
  email: string;
  username: string | null;
  domain: string | null;
  missing: boolean;
}

/** A journal found in the store: when it was made and how its entries stand. */
export interface StoredJournal {
  createdAt: string;
  counts: Record<string, number>;
}

/**
 * The state store in PostgreSQL (node-postgres): anchors, run history, full-read times, the plan key, apply
 * journals and org locks, for any number of orgs in one schema (every row keyed by org id), so runs on several
 * hosts share what a run knows. The schema is created and migrated on open; a newer one is refused.
 */
export class PostgresStateStore implements StateStore, JournalStore, PgJournalHost {
  readonly location: string;
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly #config: pg.ClientConfig;
  readonly #held = new Map<string, HeldOrgLock>();

  private constructor(location: string, schema: string, config: pg.ClientConfig) {
    this.location = location;
    this.schema = schema;
    this.#config = config;
    this.pool = new pg.Pool({ ...config, max: 4, application_name: 'umapi-kit' });
    // An idle connection the server drops is replaced on next use; it must not crash the process.
    this.pool.on('error', () => undefined);
  }

  /**
   * Connects, creates or migrates the schema, and returns the store. Errors name the URL without its password
   * (a `StateFileError`, as a state file's are).
   */
  static async open(connectionString: string, schema: string): Promise<PostgresStateStore> {
    const location = displayUrl(connectionString, schema);
    const store = new PostgresStateStore(location, schema, {
      connectionString,
      connectionTimeoutMillis: 15_000,
    });
    try {
      const client = await store.pool.connect();
      try {
        await migrate(client, schema);
      } finally {
        client.release();
      }
    } catch (error) {
      await store.pool.end().catch(() => undefined);
      const reason =
        error instanceof NewerSchemaError ? error.message : describePgError(error as Error, connectionString);
      throw new StateFileError(location, 'state store', reason);
    }
    return store;
  }

  get #s(): string {
    return `"${this.schema}"`;
  }

  async planKey(): Promise<Buffer> {
    const key = randomBytes(32).toString('base64');
    await this.pool.query(
      `INSERT INTO ${this.#s}.meta (key, value) VALUES ('plan-key', $1) ON CONFLICT (key) DO NOTHING`,
      [key],
    );
    const row = await this.pool.query<{ value: string }>(
      `SELECT value FROM ${this.#s}.meta WHERE key = 'plan-key'`,
    );
    return Buffer.from(row.rows[0]?.value ?? key, 'base64');
  }

  async anchors(orgId: string): Promise<Map<string, AccountBinding>> {
    const result = await this.pool.query<AnchorRow>(
      `SELECT anchor, type, email, username, domain, missing FROM ${this.#s}.anchors WHERE org_id = $1`,
      [orgId],
    );
    const out = new Map<string, AccountBinding>();
    for (const row of result.rows) {
      const binding: AccountBinding = { type: row.type, email: row.email };
      if (row.username !== null) binding.username = row.username;
      if (row.domain !== null) binding.domain = row.domain;
      if (row.missing) binding.missing = true;
      out.set(row.anchor, binding);
    }
    return out;
  }

  async bindAnchors(orgId: string, bindings: Iterable<readonly [string, AccountBinding]>): Promise<void> {
    const list = [...bindings];
    if (list.length === 0) return;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      for (const [anchor, binding] of list) {
        const missing = binding.missing === true;
        await client.query(
          `INSERT INTO ${this.#s}.anchors (org_id, anchor, type, email, username, domain, bound_at, missing)
           VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
           ON CONFLICT (org_id, anchor) DO UPDATE SET type = excluded.type, email = excluded.email,
             username = excluded.username, domain = excluded.domain, bound_at = excluded.bound_at,
             missing = excluded.missing`,
          [
            orgId,
            anchor,
            binding.type,
            binding.email,
            binding.username ?? null,
            binding.domain ?? null,
            missing,
          ],
        );
        // One anchor per account: an account bound anew is no longer the account of any other anchor.
        if (!missing) {
          await client.query(
            `UPDATE ${this.#s}.anchors SET missing = true WHERE org_id = $1 AND lower(email) = lower($2)
               AND anchor <> $3 AND NOT missing AND (type = 'adobeID') = ($4 = 'adobeID')`,
            [orgId, binding.email, anchor, binding.type],
          );
        }
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async recordRun(record: RunRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.#s}.runs (org_id, kind, started_at, finished_at, outcome, body) VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        record.orgId,
        record.kind,
        record.startedAt,
        record.finishedAt,
        record.outcome,
        JSON.stringify(record),
      ],
    );
  }

  async lastRun(orgId: string, kind: RunRecord['kind']): Promise<RunRecord | undefined> {
    const result = await this.pool.query<{ body: RunRecord }>(
      `SELECT body FROM ${this.#s}.runs WHERE org_id = $1 AND kind = $2 AND outcome <> 'incomplete'
        ORDER BY seq DESC LIMIT 1`,
      [orgId, kind],
    );
    return result.rows[0]?.body;
  }

  async runs(query: RunQuery): Promise<RunRecord[]> {
    const result =
      query.orgId === undefined
        ? await this.pool.query<{ body: RunRecord }>(
            `SELECT body FROM ${this.#s}.runs ORDER BY seq DESC LIMIT $1`,
            [query.limit],
          )
        : await this.pool.query<{ body: RunRecord }>(
            `SELECT body FROM ${this.#s}.runs WHERE org_id = $1 ORDER BY seq DESC LIMIT $2`,
            [query.orgId, query.limit],
          );
    return result.rows.map((row) => row.body);
  }

  async recordFullRead(orgId: string, listing: FullListing, at: string): Promise<void> {
    await this.pool.query(
      `INSERT INTO ${this.#s}.full_reads (org_id, listing, read_at) VALUES ($1, $2, $3)`,
      [orgId, listing, at],
    );
  }

  async lastFullRead(orgId: string, listing: FullListing): Promise<string | undefined> {
    const result = await this.pool.query<{ at: Date | null }>(
      `SELECT max(read_at) AS at FROM ${this.#s}.full_reads WHERE org_id = $1 AND listing = $2`,
      [orgId, listing],
    );
    return result.rows[0]?.at?.toISOString() ?? undefined;
  }

  openJournal(plan: Plan, where: { orgId: string; path: string }): Promise<PostgresJournal> {
    return PostgresJournal.open(this, plan, where.orgId, this.location);
  }

  /** The journal of `plan` for `orgId`, if one was made (the apply asks for --resume then). */
  async findJournal(orgId: string, plan: Plan): Promise<StoredJournal | undefined> {
    const found = await this.pool.query<{ created_at: Date }>(
      `SELECT created_at FROM ${this.#s}.journals WHERE org_id = $1 AND plan_digest = $2`,
      [orgId, journalKey(plan)],
    );
    const journal = found.rows[0];
    if (journal === undefined) return undefined;
    const counts = await this.pool.query<{ state: string; n: string }>(
      `SELECT state, count(*) AS n FROM ${this.#s}.journal_entries WHERE org_id = $1 AND plan_digest = $2
        GROUP BY state`,
      [orgId, journalKey(plan)],
    );
    return {
      createdAt: journal.created_at.toISOString(),
      counts: Object.fromEntries(counts.rows.map((row) => [row.state, Number(row.n)])),
    };
  }

  async lockOrg(
    orgId: string,
    holder: { runId: string; journal: string },
    options: Pick<LockOptions, 'pid' | 'host'> = {},
  ): Promise<HeldOrgLock> {
    const lock = await lockOrgInPostgres(
      this.#config,
      this.pool,
      this.schema,
      this.location,
      orgId,
      holder,
      options,
    );
    this.#held.set(orgId, lock);
    return {
      holder: lock.holder,
      release: async () => {
        this.#held.delete(orgId);
        await lock.release();
      },
    };
  }

  heldOrgLock(orgId: string): HeldOrgLock | undefined {
    return this.#held.get(orgId);
  }

  async close(): Promise<void> {
    for (const lock of [...this.#held.values()]) await lock.release().catch(() => undefined);
    this.#held.clear();
    await this.pool.end();
  }
}

/** A connection or server error as one line, the password never in it. */
function describePgError(error: Error, connectionString: string): string {
  let message = error.message;
  const password = new URL(connectionString).password;
  if (password !== '') {
    for (const form of [password, decodeURIComponent(password)]) message = message.split(form).join('***');
  }
  return message;
}
