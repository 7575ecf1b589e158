import BetterSqlite3 from 'better-sqlite3';
import type Database from 'better-sqlite3';
import { ensurePrivateFile, keepPrivate } from '../private-files.js';

export type Db = Database.Database;

/** Schema migrations, applied in order; `PRAGMA user_version` records how many ran. */
const migrations: readonly string[] = [
  `
  CREATE TABLE orgs (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL
  );
  CREATE TABLE directories (
    id INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('enterprise', 'federated'))
  );
  -- A claimed domain belongs to one directory of one org.
  CREATE TABLE domains (
    name TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    directory_id INTEGER NOT NULL REFERENCES directories(id)
  );
  -- A domain claimed by another org whose directory is shared with (trusted by) this org.
  CREATE TABLE trusted_domains (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    domain TEXT NOT NULL REFERENCES domains(name),
    PRIMARY KEY (org_id, domain)
  );
  CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    uid TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('adobeID', 'enterpriseID', 'federatedID')),
    email TEXT NOT NULL,
    email_lc TEXT NOT NULL,
    username TEXT NOT NULL,
    username_lc TEXT NOT NULL,
    domain TEXT NOT NULL,
    firstname TEXT,
    lastname TEXT,
    country TEXT,
    status TEXT NOT NULL DEFAULT 'active'
  );
  CREATE INDEX users_page ON users (org_id, status, id);
  CREATE INDEX users_email ON users (email_lc);
  CREATE INDEX users_username ON users (username_lc, domain);
  CREATE INDEX users_domain ON users (org_id, domain, status, id);
  -- User groups, product profiles and admin groups. target_id links an admin group to its user group or profile.
  CREATE TABLE groups (
    id INTEGER PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    name_lc TEXT NOT NULL,
    type TEXT NOT NULL,
    description TEXT,
    is_read_only INTEGER NOT NULL DEFAULT 0,
    product_name TEXT,
    license_quota TEXT,
    target_id INTEGER REFERENCES groups(id)
  );
  CREATE UNIQUE INDEX groups_name ON groups (org_id, name_lc);
  CREATE INDEX groups_target ON groups (target_id);
  CREATE TABLE memberships (
    group_id INTEGER NOT NULL REFERENCES groups(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (group_id, user_id)
  ) WITHOUT ROWID;
  CREATE INDEX memberships_user ON memberships (user_id, group_id);
  -- Product profiles granted through a user group.
  CREATE TABLE usergroup_profiles (
    usergroup_id INTEGER NOT NULL REFERENCES groups(id),
    profile_id INTEGER NOT NULL REFERENCES groups(id),
    PRIMARY KEY (usergroup_id, profile_id)
  ) WITHOUT ROWID;
  CREATE INDEX usergroup_profiles_profile ON usergroup_profiles (profile_id, usergroup_id);
  -- Active users per (org, domain, block of 1024 user ids), kept by triggers: gives X-Total-Count without a
  -- scan and lets a deep page start from the right block instead of skipping up to a million index entries.
  CREATE TABLE user_buckets (
    org_id TEXT NOT NULL,
    domain TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    active INTEGER NOT NULL,
    PRIMARY KEY (org_id, domain, bucket)
  ) WITHOUT ROWID;
  CREATE TRIGGER users_bucket_insert AFTER INSERT ON users WHEN NEW.status = 'active' BEGIN
    INSERT INTO user_buckets (org_id, domain, bucket, active) VALUES (NEW.org_id, NEW.domain, NEW.id >> 10, 1)
      ON CONFLICT DO UPDATE SET active = active + 1;
  END;
  CREATE TRIGGER users_bucket_delete AFTER DELETE ON users WHEN OLD.status = 'active' BEGIN
    UPDATE user_buckets SET active = active - 1
      WHERE org_id = OLD.org_id AND domain = OLD.domain AND bucket = OLD.id >> 10;
  END;
  CREATE TRIGGER users_bucket_update AFTER UPDATE OF status, domain, org_id ON users BEGIN
    UPDATE user_buckets SET active = active - 1
      WHERE OLD.status = 'active' AND org_id = OLD.org_id AND domain = OLD.domain AND bucket = OLD.id >> 10;
    INSERT INTO user_buckets (org_id, domain, bucket, active)
      SELECT NEW.org_id, NEW.domain, NEW.id >> 10, 1 WHERE NEW.status = 'active'
      ON CONFLICT DO UPDATE SET active = active + 1;
  END;
  CREATE TABLE integrations (
    client_id TEXT PRIMARY KEY,
    client_secret TEXT NOT NULL,
    org_id TEXT NOT NULL REFERENCES orgs(id),
    technical_account_id TEXT NOT NULL,
    public_key_pem TEXT NOT NULL
  );
  CREATE TABLE tokens (
    access_token TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );
  -- The demo org's generated private key, so that re-running the seed returns the same credentials.
  CREATE TABLE demo_orgs (
    org_id TEXT PRIMARY KEY REFERENCES orgs(id),
    client_id TEXT NOT NULL,
    private_key_pem TEXT NOT NULL
  );
  `,
  `
  -- The seeds that ran on this database (the demo org, the generated users), so a restart on the same file
  -- does not seed again. detail says what was seeded (e.g. how many users).
  CREATE TABLE seed_runs (
    seed TEXT PRIMARY KEY,
    detail TEXT NOT NULL
  );
  -- Databases made before this table: the demo org is known by its demo_orgs row, generated users by their
  -- user<N>@ addresses.
  INSERT INTO seed_runs (seed, detail) SELECT 'demo', org_id FROM demo_orgs;
  INSERT INTO seed_runs (seed, detail)
    SELECT 'generated-users', COUNT(*) FROM users WHERE email_lc GLOB 'user[0-9]*@*' HAVING COUNT(*) > 0;
  `,
  `
  -- A directory whose users Admin Console syncs from Azure (Entra) or Google: UMAPI may not create, update or
  -- remove them (umapi-api.md §9).
  ALTER TABLE directories ADD COLUMN managed_by TEXT CHECK (managed_by IN ('azure', 'google'));
  -- CONTRACT_ADMIN_GROUP rows name their contract (§6.4).
  ALTER TABLE groups ADD COLUMN contract_name TEXT;
  -- A historic "mystery" group (names ending in "provisioning") that Adobe keeps but filters out of every listing
  -- since 2025-10-28 (§6.4): stored, never shown, never reachable by name.
  ALTER TABLE groups ADD COLUMN is_phantom INTEGER NOT NULL DEFAULT 0;
  -- Accounts that left an org: removed from it (the account lives on outside the org) or deleted with it
  -- (removeFromOrg with deleteAccount). A later create of the same identity takes the row out again.
  CREATE TABLE departed_accounts (
    org_id TEXT NOT NULL REFERENCES orgs(id),
    uid TEXT NOT NULL,
    type TEXT NOT NULL,
    email TEXT NOT NULL,
    username TEXT NOT NULL,
    domain TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('removed-from-org', 'deleted')),
    PRIMARY KEY (org_id, uid)
  ) WITHOUT ROWID;
  `,
];

/**
 * Opens (creating if needed) and migrates by PRAGMA user_version; WAL + synchronous=FULL for files; ':memory:'
 * ok. A database file and its -wal and -shm files are owner-only (0600): they hold secrets and tokens.
 */
export function openDatabase(file: string): Db {
  if (file !== ':memory:' && file !== '') {
    ensurePrivateFile(file);
    // Left by a crash, they would keep whatever mode they were made with.
    keepPrivate(`${file}-wal`);
    keepPrivate(`${file}-shm`);
  }
  const db = new BetterSqlite3(file);
  if (file !== ':memory:' && file !== '') {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > migrations.length) {
    throw new Error(
      `Database schema version ${version} is newer than this emulator understands (${migrations.length})`,
    );
  }
  for (let index = version; index < migrations.length; index += 1) {
    const sql = migrations[index] ?? '';
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${index + 1}`);
    })();
  }
}
