import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createHttpServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import type { FaultConfig } from './faults/fault-config.js';
import { parseFaultConfig } from './faults/fault-config.js';
import { FaultInjector } from './faults/fault-injector.js';
import { createHandler } from './http/create-handler.js';
import type { EmulatorState, RequestLogEntry } from './http/emulator-state.js';
import { createInProcessFetch } from './http/in-process-fetch.js';
import type { FetchLike } from './http/in-process-fetch.js';
import { isResetResponse } from './http/responses.js';
import { writePrivateFile } from './private-files.js';
import { UMAPI_BASE_PATH } from './http/umapi-routes.js';
import { openDatabase } from './store/database.js';
import { keepDemoKeyPair, seedDemo, seedUsers } from './store/seed-demo.js';
import { seedOnce } from './store/seed-runs.js';
import type { DemoOrg } from './store/seed-demo.js';
import { seedOrgs } from './store/seed-orgs.js';
import type { OrgSeed, SeededOrg } from './store/seed-orgs.js';
import { setDirectoryManager, type DirectoryManager } from './store/orgs.js';
import { snapshotOrg } from './store/snapshot.js';
import type { OrgSnapshot } from './store/snapshot.js';
import type { LimitsConfig } from './throttle/limits.js';
import { resolveLimits } from './throttle/limits.js';
import { SlidingWindowThrottle } from './throttle/sliding-window-throttle.js';
import { PageZeroRule } from './throttle/page-zero-rule.js';
import { generateSelfSignedCertificate } from './http/self-signed-certificate.js';

export interface EmulatorOptions {
  /** TCP port; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** false = no socket at all, serve only through `emulator.fetch`. Default true. */
  listen?: boolean;
  /** SQLite file, or ':memory:' (default). */
  db?: string;
  /** 'demo' (default) seeds a realistic org with an integration, once per database; 'none' starts empty. */
  seed?: 'demo' | 'none';
  /** Generated users added to the demo org, once per database: a restart on the same file adds none. */
  seedUsers?: number;
  /**
   * More orgs to serve from the same database (with `seed: 'none'`, only these): each with its integrations,
   * domains, trusted domains, groups and generated users. Throttling budgets are per integration and per org.
   */
  orgs?: OrgSeed[];
  /** 'documented' (default) budgets, 'off', or overrides. */
  limits?: 'documented' | 'off' | LimitsConfig;
  /** 60 makes a throttling minute last one real second. Default 1. */
  timeScale?: number;
  faults?: FaultConfig;
  pageSizeUsers?: number;
  pageSizeGroups?: number;
  /** true = HTTPS with a generated self-signed certificate for 127.0.0.1/localhost, or give your own PEMs. */
  tls?: boolean | { cert: string; key: string };
  /** Access token lifetime; default 86400 (24 h, as documented). */
  tokenLifetimeSeconds?: number;
  /** Injected clock (ms since epoch) for tokens and throttling; default Date.now. */
  now?: () => number;
  /** Print one line per request to this function (e.g. console.error). */
  logRequests?: boolean | ((line: string) => void);
  /**
   * Directories synced from Azure or Google in Admin Console, by a domain they claim (null: not synced), set at
   * start and after every reset. A domain no directory claims is an error.
   */
  managedBy?: Record<string, DirectoryManager | null>;
}

export interface Emulator {
  /** e.g. http://127.0.0.1:PORT/v2/usermanagement */
  umapiUrl: string;
  /** e.g. http://127.0.0.1:PORT (token endpoints under /ims/...) */
  imsUrl: string;
  statusUrl: string;
  /** Serves requests in process, without a socket; every fault still applies. */
  fetch: FetchLike;
  /** The demo org's credentials, when seeded with 'demo'. */
  demo?: DemoOrg;
  /** The credentials of the orgs given in `orgs`, in that order. */
  orgs: SeededOrg[];
  /** Bearer token for the /_emulator admin endpoints. */
  adminToken: string;
  /** PEM of the self-signed certificate (when tls is on); trust it as a CA. */
  caCertPem?: string;
  /** A file holding caCertPem (in a temp dir removed on close), for clients that take a CA file path. */
  caCertPath?: string;
  snapshot(orgId?: string): OrgSnapshot;
  /**
   * Marks the directory that claims `domain` as synced from Azure or Google in Admin Console (null: not synced),
   * so UMAPI's creates, updates and removals of its users are refused. Throws when no directory claims it.
   */
  setDirectoryManager(domain: string, managedBy: DirectoryManager | null): void;
  setFaults(config: FaultConfig): void;
  clearFaults(): void;
  requestLog(): RequestLogEntry[];
  /** Wipes the database and seeds it again (demo credentials and keys stay the same). */
  reset(): void;
  close(): Promise<void>;
}

function checkPositive(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number, got ${value}`);
  return value;
}

/** Starts the emulator: a local Adobe IMS + UMAPI server on SQLite. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const dbFile = options.db ?? ':memory:';
  const now = options.now ?? Date.now;
  const timeScale = checkPositive('timeScale', options.timeScale, 1);
  const pageSizeUsers = checkPositive('pageSizeUsers', options.pageSizeUsers, 2000);
  const pageSizeGroups = checkPositive('pageSizeGroups', options.pageSizeGroups, 400);
  const tokenLifetimeSeconds = checkPositive('tokenLifetimeSeconds', options.tokenLifetimeSeconds, 86_400);
  const limitsOption = options.limits ?? 'documented';
  const limits =
    limitsOption === 'off' ? undefined : resolveLimits(limitsOption === 'documented' ? {} : limitsOption);
  const faults = new FaultInjector(options.faults ? parseFaultConfig(options.faults, 'faults') : undefined);
  const closeController = new AbortController();
  const log =
    options.logRequests === true
      ? (line: string) => process.stderr.write(`${line}\n`)
      : typeof options.logRequests === 'function'
        ? options.logRequests
        : undefined;

  let db = openDatabase(dbFile);
  let demo: DemoOrg | undefined;
  let seededOrgs: SeededOrg[] = [];
  const seed = (): void => {
    if (options.seed !== 'none') seedDemoOrg();
    // After the demo org, so a seeded org may trust the demo org's domains.
    seededOrgs = seedOrgs(db, options.orgs ?? []);
  };
  const seedDemoOrg = (): void => {
    const seeded = seedDemo(db);
    if (demo !== undefined && seeded.publicKeyPem !== demo.publicKeyPem) {
      // Keep the demo key pair across resets so key files written at start keep working.
      keepDemoKeyPair(db, demo);
    } else {
      demo = seeded;
    }
    const count = options.seedUsers ?? 0;
    if (count > 0) {
      const orgId = demo.orgId;
      seedOnce(db, 'generated-users', String(count), () => {
        seedUsers(db, orgId, count);
      });
    }
  };
  const applyManagedBy = (): void => {
    for (const [domain, managedBy] of Object.entries(options.managedBy ?? {})) {
      if (!setDirectoryManager(db, domain, managedBy)) {
        throw new Error(`managedBy: no directory claims the domain ${domain}`);
      }
    }
  };
  try {
    seed();
    applyManagedBy();
  } catch (error) {
    db.close();
    throw error;
  }

  const state: EmulatorState = {
    db: () => db,
    now,
    timeScale,
    throttle: limits === undefined ? undefined : new SlidingWindowThrottle(limits, now, timeScale),
    pageZero: limits?.pageZero === undefined ? undefined : new PageZeroRule(limits.pageZero, now, timeScale),
    retryAfterFormat: limits?.retryAfterFormat ?? 'seconds',
    faults,
    requestLog: [],
    adminToken: randomBytes(24).toString('hex'),
    pageSizeUsers,
    pageSizeGroups,
    tokenLifetimeSeconds,
    defaultOrgId: demo?.orgId ?? seededOrgs[0]?.orgId,
    closed: closeController.signal,
    log,
    reset: () => {
      db.close();
      if (dbFile !== ':memory:' && dbFile !== '') {
        for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbFile}${suffix}`, { force: true });
      }
      db = openDatabase(dbFile);
      seed();
      applyManagedBy();
      state.throttle?.reset();
      state.pageZero?.reset();
      state.requestLog.length = 0;
    },
  };
  const handler = createHandler(state);
  const inProcessFetch = createInProcessFetch(handler);

  const scheme = options.tls ? 'https' : 'http';
  const host = options.host ?? '127.0.0.1';
  let server: Server | undefined;
  let caCertPem: string | undefined;
  let caCertPath: string | undefined;
  let tlsDirectory: string | undefined;
  let origin = `${scheme}://${host}`;
  if (options.listen !== false) {
    const requestListener = getRequestListener(async (request, env) => {
      const response = await handler(request);
      if (isResetResponse(response)) env.incoming.socket.destroy();
      return response;
    });
    const listener = (incoming: IncomingMessage, outgoing: ServerResponse): void => {
      void requestListener(incoming, outgoing);
    };
    if (options.tls) {
      const pems = options.tls === true ? await generateSelfSignedCertificate() : options.tls;
      caCertPem = pems.cert;
      tlsDirectory = mkdtempSync(join(tmpdir(), 'umapi-emulator-tls-'));
      caCertPath = join(tlsDirectory, 'umapi-emulator-cert.pem');
      writePrivateFile(caCertPath, pems.cert);
      server = createHttpsServer({ cert: pems.cert, key: pems.key }, listener);
    } else {
      server = createHttpServer(listener);
    }
    const listening = server;
    try {
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen(options.port ?? 0, host, () => {
          listening.off('error', reject);
          resolve();
        });
      });
    } catch (error) {
      db.close();
      if (tlsDirectory !== undefined) rmSync(tlsDirectory, { recursive: true, force: true });
      throw new Error(`Cannot listen on ${host}:${options.port ?? 0}: ${(error as Error).message}`, {
        cause: error,
      });
    }
    const { port } = listening.address() as AddressInfo;
    origin = `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  const emulator: Emulator = {
    umapiUrl: `${origin}${UMAPI_BASE_PATH}`,
    imsUrl: origin,
    statusUrl: `${origin}/status`,
    fetch: inProcessFetch,
    adminToken: state.adminToken,
    orgs: seededOrgs,
    snapshot: (orgId) => {
      const id = orgId ?? state.defaultOrgId;
      if (id === undefined)
        throw new Error('snapshot(orgId): orgId is required when the emulator has no demo org');
      return snapshotOrg(db, id);
    },
    setDirectoryManager: (domain, managedBy) => {
      if (!setDirectoryManager(db, domain, managedBy)) {
        throw new Error(`setDirectoryManager: no directory claims the domain ${domain}`);
      }
    },
    setFaults: (config) => {
      faults.set(parseFaultConfig(config, 'faults'));
    },
    clearFaults: () => {
      faults.clear();
    },
    requestLog: () => [...state.requestLog],
    reset: () => {
      state.reset();
    },
    close: async () => {
      closeController.abort();
      if (server !== undefined) {
        const closing = server;
        await new Promise<void>((resolve) => {
          closing.close(() => {
            resolve();
          });
          closing.closeAllConnections();
        });
      }
      db.close();
      if (tlsDirectory !== undefined) rmSync(tlsDirectory, { recursive: true, force: true });
    },
  };
  if (demo !== undefined) emulator.demo = demo;
  if (caCertPem !== undefined) emulator.caCertPem = caCertPem;
  if (caCertPath !== undefined) emulator.caCertPath = caCertPath;
  return emulator;
}
