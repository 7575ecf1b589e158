import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqliteFile } from './sqlite-file.js';
import type { AccountBinding, FullListing, RunQuery, RunRecord, StateStore } from './state-store.js';

/** `PRAGMA application_id` of a state store: "ums1". */
export const STATE_APPLICATION_ID = 0x756d7331;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS anchors (
    org_id TEXT NOT NULL, anchor TEXT NOT NULL, type TEXT NOT NULL, email TEXT NOT NULL,
    username TEXT, domain TEXT, bound_at TEXT NOT NULL, missing INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (org_id, anchor));
  CREATE TABLE IF NOT EXISTS runs (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, kind TEXT NOT NULL, started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL, outcome TEXT NOT NULL, body TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS runs_org ON runs (org_id, kind, seq);
  CREATE TABLE IF NOT EXISTS full_reads (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, org_id TEXT NOT NULL, listing TEXT NOT NULL, read_at TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS full_reads_org ON full_reads (org_id, listing, read_at);
`;

/** Added after the first release: stores made before it get the column (and the index that uses it). */
function migrate(db: Database.Database): void {
  const columns = db.prepare('PRAGMA table_info(anchors)').all() as { name: string }[];
  if (!columns.some((column) => column.name === 'missing')) {
    db.exec('ALTER TABLE anchors ADD COLUMN missing INTEGER NOT NULL DEFAULT 0');
  }
  db.exec('CREATE INDEX IF NOT EXISTS anchors_account ON anchors (org_id, lower(email))');
}

/** A row of `anchors` as `SELECT anchor, type, email, username, domain, missing` gives it raw. */
type AnchorRow = [
  anchor: string,
  type: AccountBinding['type'],
  email: string,
  username: string | null,
  domain: string | null,
  missing: number,
];

/** The state store in one SQLite file (owner-only, WAL, synchronous=FULL). */
export class SqliteStateStore implements StateStore {
  readonly location: string;
  readonly #db: Database.Database;

  private constructor(location: string, db: Database.Database) {
    this.location = location;
    this.#db = db;
  }

  static open(path: string): SqliteStateStore {
    const db = openSqliteFile(path, {
      applicationId: STATE_APPLICATION_ID,
      what: 'state store',
      legacyTables: ['anchors', 'runs'],
      advice: 'give --state a new file (or the state store umapi-kit made), or move this one away',
    });
    db.exec(SCHEMA);
    migrate(db);
    return new SqliteStateStore(path, db);
  }

  planKey(): Promise<Buffer> {
    const row = this.#db.prepare("SELECT value FROM meta WHERE key = 'plan-key'").get() as
      { value: string } | undefined;
    if (row !== undefined) return Promise.resolve(Buffer.from(row.value, 'base64'));
    const key = randomBytes(32);
    this.#db
      .prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('plan-key', ?)")
      .run(key.toString('base64'));
    return this.planKey();
  }

  anchors(orgId: string): Promise<Map<string, AccountBinding>> {
    // Rows as arrays, one at a time: an org's anchors are every directory user, and better-sqlite3 makes a row
    // object (and `all` a whole array of them) twice as slowly.
    const rows = this.#db
      .prepare('SELECT anchor, type, email, username, domain, missing FROM anchors WHERE org_id = ?')
      .raw()
      .iterate(orgId) as IterableIterator<AnchorRow>;
    const out = new Map<string, AccountBinding>();
    for (const [anchor, type, email, username, domain, missing] of rows) {
      const binding: AccountBinding = { type, email };
      if (username !== null) binding.username = username;
      if (domain !== null) binding.domain = domain;
      if (missing !== 0) binding.missing = true;
      out.set(anchor, binding);
    }
    return Promise.resolve(out);
  }

  bindAnchors(orgId: string, bindings: Iterable<readonly [string, AccountBinding]>): Promise<void> {
    const upsert = this.#db.prepare(
      `INSERT INTO anchors (org_id, anchor, type, email, username, domain, bound_at, missing)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (org_id, anchor) DO UPDATE SET type = excluded.type, email = excluded.email,
         username = excluded.username, domain = excluded.domain, bound_at = excluded.bound_at,
         missing = excluded.missing`,
    );
    // One anchor per account: an account bound anew is no longer the account of any other anchor.
    const unbindOthers = this.#db.prepare(
      `UPDATE anchors SET missing = 1 WHERE org_id = ? AND lower(email) = lower(?) AND anchor <> ?
         AND missing = 0 AND (type = 'adobeID') = (? = 'adobeID')`,
    );
    const now = new Date().toISOString();
    this.#db.transaction(() => {
      for (const [anchor, binding] of bindings) {
        const missing = binding.missing === true;
        upsert.run(
          orgId,
          anchor,
          binding.type,
          binding.email,
          binding.username ?? null,
          binding.domain ?? null,
          now,
          missing ? 1 : 0,
        );
        if (!missing) unbindOthers.run(orgId, binding.email, anchor, binding.type);
      }
    })();
    return Promise.resolve();
  }

  recordRun(record: RunRecord): Promise<void> {
    this.#db
      .prepare(
        'INSERT INTO runs (org_id, kind, started_at, finished_at, outcome, body) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        record.orgId,
        record.kind,
        record.startedAt,
        record.finishedAt,
        record.outcome,
        JSON.stringify(record),
      );
    return Promise.resolve();
  }

  lastRun(orgId: string, kind: RunRecord['kind']): Promise<RunRecord | undefined> {
    const row = this.#db
      .prepare(
        "SELECT body FROM runs WHERE org_id = ? AND kind = ? AND outcome != 'incomplete' ORDER BY seq DESC LIMIT 1",
      )
      .get(orgId, kind) as { body: string } | undefined;
    return Promise.resolve(row === undefined ? undefined : (JSON.parse(row.body) as RunRecord));
  }

  runs(query: RunQuery): Promise<RunRecord[]> {
    const rows = (
      query.orgId === undefined
        ? this.#db.prepare('SELECT body FROM runs ORDER BY seq DESC LIMIT ?').all(query.limit)
        : this.#db
            .prepare('SELECT body FROM runs WHERE org_id = ? ORDER BY seq DESC LIMIT ?')
            .all(query.orgId, query.limit)
    ) as { body: string }[];
    return Promise.resolve(rows.map((row) => JSON.parse(row.body) as RunRecord));
  }

  recordFullRead(orgId: string, listing: FullListing, at: string): Promise<void> {
    this.#db
      .prepare('INSERT INTO full_reads (org_id, listing, read_at) VALUES (?, ?, ?)')
      .run(orgId, listing, at);
    return Promise.resolve();
  }

  lastFullRead(orgId: string, listing: FullListing): Promise<string | undefined> {
    const row = this.#db
      .prepare('SELECT max(read_at) AS at FROM full_reads WHERE org_id = ? AND listing = ?')
      .get(orgId, listing) as { at: string | null } | undefined;
    return Promise.resolve(row?.at ?? undefined);
  }

  close(): Promise<void> {
    this.#db.close();
    return Promise.resolve();
  }
}
