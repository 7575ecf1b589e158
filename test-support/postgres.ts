/**
 * A real PostgreSQL server for tests: Debian's postgresql 15 binaries, a throwaway cluster made by `initdb` in a
 * temp directory and started by `pg_ctl`, on 127.0.0.1 and a free port only (its Unix socket in the same temp
 * directory), with password authentication. initdb refuses to run as root, so under root (as in CI) the cluster
 * belongs to the `postgres` user and every server command runs as it through `runuser`. If the server cannot
 * start, `startPostgres` throws, so the test fails instead of skipping.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export const POSTGRES_USER = 'umapi_test';
export const POSTGRES_PASSWORD = 'pg-test-secret-not-for-production';

/** Where Debian puts the server binaries (override with $PG_BIN). */
const PG_BIN = process.env['PG_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface Postgres {
  port: number;
  dir: string;
  /** A `postgres://` URL of database `database` (default `postgres`), with the password. */
  url(database?: string): string;
  /** Creates a database (its name: letters, digits and `_`) and returns its URL. */
  createDatabase(name: string): Promise<string>;
  /** Stops the server (fast shutdown) and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** The user the cluster runs as: this one, or `postgres` when this is root (initdb refuses root). */
function serverUser(): { name: string; uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string): number => {
    const result = spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
    if (result.status !== 0) {
      throw new Error(
        'the PostgreSQL tests run as root, and initdb refuses root: a `postgres` user is needed to own the test ' +
          `cluster (install Debian's postgresql package, which creates it): ${result.stderr.trim()}`,
      );
    }
    return Number(result.stdout.trim());
  };
  return { name: 'postgres', uid: id('-u'), gid: id('-g') };
}

function runAs(user: { name: string } | undefined, command: string, args: string[], what: string): string {
  const [file, argv] =
    user === undefined ? [command, args] : ['runuser', ['-u', user.name, '--', command, ...args]];
  const result = spawnSync(file, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}): ${result.error?.message ?? `${result.stdout}${result.stderr}`.slice(-3000)}`,
    );
  }
  return result.stdout;
}

export async function startPostgres(): Promise<Postgres> {
  for (const tool of ['initdb', 'pg_ctl', 'postgres']) {
    if (!existsSync(join(PG_BIN, tool))) {
      throw new Error(
        `${join(PG_BIN, tool)} is missing: the PostgreSQL tests need Debian's postgresql 15 (apt-get install postgresql), or $PG_BIN pointing at its binaries`,
      );
    }
  }
  const user = serverUser();
  const dir = mkdtempSync(join(tmpdir(), 'umapi-pg-'));
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  let started = false;
  try {
    if (user !== undefined) chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
    const pwfile = join(dir, 'pwfile');
    writeFileSync(pwfile, `${POSTGRES_PASSWORD}\n`, { mode: 0o600 });
    if (user !== undefined) chownSync(pwfile, user.uid, user.gid);
    runAs(
      user,
      join(PG_BIN, 'initdb'),
      [
        '-D',
        data,
        '-U',
        POSTGRES_USER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--no-sync',
        '-E',
        'UTF8',
      ],
      'initdb',
    );
    rmSync(pwfile, { force: true });
    const port = await freePort();
    const settings = [
      "listen_addresses = '127.0.0.1'",
      `port = ${String(port)}`,
      `unix_socket_directories = '${dir}'`,
      // A throwaway cluster: durability is not what these tests are about (the journal's own writes are).
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'max_connections = 100',
      'shared_buffers = 32MB',
      '',
    ].join('\n');
    writeFileSync(join(data, 'postgresql.auto.conf'), settings);
    if (user !== undefined) chownSync(join(data, 'postgresql.auto.conf'), user.uid, user.gid);
    try {
      runAs(user, join(PG_BIN, 'pg_ctl'), ['-D', data, '-l', log, '-w', '-t', '30', 'start'], 'pg_ctl start');
    } catch (error) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8').slice(-3000) : '(no log)';
      throw new Error(`${(error as Error).message}\nserver log: ${serverLog}`);
    }
    started = true;
    const url = (database = 'postgres'): string =>
      `postgres://${POSTGRES_USER}:${encodeURIComponent(POSTGRES_PASSWORD)}@127.0.0.1:${String(port)}/${database}`;
    // The server answers queries (pg_ctl -w waits for that; this checks the password and the port too).
    const client = new pg.Client({ connectionString: url() });
    await client.connect();
    await client.end();
    return {
      port,
      dir,
      url,
      async createDatabase(name: string): Promise<string> {
        if (!/^\w+$/.test(name)) throw new Error(`createDatabase: not a plain name: ${name}`);
        const admin = new pg.Client({ connectionString: url() });
        await admin.connect();
        try {
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        return url(name);
      },
      stop(): Promise<void> {
        try {
          runAs(user, join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop'], 'pg_ctl stop');
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
        return Promise.resolve();
      },
    };
  } catch (error) {
    if (started) {
      try {
        runAs(user, join(PG_BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop'], 'pg_ctl stop');
      } catch {
        // it is going away with its directory
      }
    }
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
