import type pg from 'pg';
import { advisoryKey, LOCK_NAMESPACE_MIGRATIONS } from './advisory-key.js';

/** One step of the schema: applied once, in order, recorded in `schema_migrations`. */
interface Migration {
  version: number;
  description: string;
  sql: (schema: string) => string;
}

/**
 * The schema, one step per release that changed it. Every table is keyed by org id: one schema serves any number
 * of orgs. Never edit a released step: add the next one.
 */
const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'plan key, anchors, run history, full reads',
    sql: (s) => `
      CREATE TABLE ${s}.meta (key text PRIMARY KEY, value text NOT NULL);
      CREATE TABLE ${s}.anchors (
        org_id text NOT NULL, anchor text NOT NULL, type text NOT NULL, email text NOT NULL, username text,
        domain text, bound_at timestamptz NOT NULL DEFAULT now(), missing boolean NOT NULL DEFAULT false,
        PRIMARY KEY (org_id, anchor));
      CREATE INDEX anchors_account ON ${s}.anchors (org_id, lower(email));
      CREATE TABLE ${s}.runs (
        seq bigserial PRIMARY KEY, org_id text NOT NULL, kind text NOT NULL, started_at timestamptz NOT NULL,
        finished_at timestamptz NOT NULL, outcome text NOT NULL, body jsonb NOT NULL);
      CREATE INDEX runs_org ON ${s}.runs (org_id, kind, seq);
      CREATE TABLE ${s}.full_reads (
        seq bigserial PRIMARY KEY, org_id text NOT NULL, listing text NOT NULL, read_at timestamptz NOT NULL);
      CREATE INDEX full_reads_org ON ${s}.full_reads (org_id, listing, read_at);`,
  },
  {
    version: 2,
    description: 'apply journals by org and plan digest, org lock holders',
    sql: (s) => `
      CREATE TABLE ${s}.journals (
        org_id text NOT NULL, plan_digest text NOT NULL, fingerprint text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (org_id, plan_digest));
      CREATE TABLE ${s}.journal_entries (
        org_id text NOT NULL, plan_digest text NOT NULL, id text NOT NULL, seq integer NOT NULL, body text NOT NULL,
        state text NOT NULL, error_code text, message text, reconciled boolean NOT NULL DEFAULT false,
        attempts integer NOT NULL DEFAULT 0, resume_step integer, updated_at bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (org_id, plan_digest, id),
        FOREIGN KEY (org_id, plan_digest) REFERENCES ${s}.journals ON DELETE CASCADE);
      CREATE TABLE ${s}.org_locks (
        org_id text PRIMARY KEY, host text NOT NULL, pid integer NOT NULL, run_id text NOT NULL,
        journal text NOT NULL, since timestamptz NOT NULL, backend_pid integer NOT NULL);`,
  },
];

/** The newest schema version this umapi-kit knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** The schema is newer than this umapi-kit: it refuses it rather than write rows an older version does not know. */
export class NewerSchemaError extends Error {
  constructor(
    readonly found: number,
    readonly known: number,
  ) {
    super(
      `its schema is version ${String(found)}, newer than this umapi-kit knows (${String(known)}): upgrade ` +
        'umapi-kit on this host (or give --state another database or ?schema=)',
    );
    this.name = 'NewerSchemaError';
  }
}

/**
 * Creates the schema or brings it up to `SCHEMA_VERSION`, in one transaction under an advisory lock (so two
 * runs starting at once on a new database do not both create it). Returns the version found before.
 */
export async function migrate(client: pg.ClientBase, schema: string): Promise<number> {
  const s = `"${schema}"`;
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1::int, $2::int)', [
      LOCK_NAMESPACE_MIGRATIONS,
      advisoryKey(schema),
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const result = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.schema_migrations`,
    );
    const found = result.rows[0]?.version ?? 0;
    if (found > SCHEMA_VERSION) throw new NewerSchemaError(found, SCHEMA_VERSION);
    for (const migration of MIGRATIONS) {
      if (migration.version <= found) continue;
      await client.query(migration.sql(s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, description) VALUES ($1, $2)`, [
        migration.version,
        migration.description,
      ]);
    }
    await client.query('COMMIT');
    return found;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
