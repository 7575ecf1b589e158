import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseFaultConfig } from '../faults/fault-config.js';
import type { EmulatorOptions } from '../start-emulator.js';
import { parseOrgSeeds } from '../store/seed-orgs.js';
import { resolveLimits } from '../throttle/limits.js';

export const USAGE = `Usage: umapi-emulator [options]

A local Adobe IMS + UMAPI server on SQLite, with throttling and fault injection.

Options:
  --port N               TCP port (default 8080; 0 picks a free port)
  --host ADDR            interface to bind (default 127.0.0.1)
  --db FILE|:memory:     SQLite database file (default :memory:)
  --seed demo|none       seed a demo org with an integration (default demo)
  --seed-users N         add N generated users to the demo org
                         (seeding happens once per --db FILE: a restart on it seeds nothing again)
  --orgs FILE            more orgs to serve from the same --db: a JSON array of
                         {"orgId","clientId","clientSecret","extraClients":[{clientId,clientSecret}],
                          "enterpriseDomains":[],"federatedDomains":[],"trustedDomains":[],
                          "userGroups":[],"profiles":[],"users":N} (with --seed none: only these)
  --tls                  serve HTTPS with a generated self-signed certificate
  --cert FILE --key FILE serve HTTPS with this certificate and key (PEM)
  --limits documented|off|FILE
                         throttling budgets (default documented); FILE = JSON LimitsConfig, e.g.
                         {"action":{"perClient":2,"global":20},"retryAfterFormat":"date",
                          "minRetryAfterSeconds":60} (429s say Retry-After >= 60 s; missing keys
                         keep the documented values)
  --time-scale N         run throttling time N times faster (60 = a minute lasts a second)
  --faults FILE          JSON fault config (see README)
  --managed-by DOMAIN=azure|google|none
                         the directory claiming DOMAIN is synced from Azure or Google in Admin
                         Console (UMAPI cannot create, update or remove its users); repeatable.
                         The demo org's entra.example.com is azure already
  --page-size-users N    users per page (default 2000)
  --page-size-groups N   groups per page (default 400)
  --log-requests         print one line per request to stderr
  -h, --help             show this help
`;

type CliCommand = { help: true } | { help: false; options: EmulatorOptions; certPath?: string };

/** A usage error: the message names the flag and what would be right. */
export class CliUsageError extends Error {
  override name = 'CliUsageError';
}

function integer(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(parsed) || parsed < min) {
    throw new CliUsageError(`${flag}: expected an integer >= ${min}, got "${value}"`);
  }
  return parsed;
}

function readJson(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliUsageError(`${flag}: cannot read ${file}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`${flag}: ${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/** Parses the bin's arguments into emulator options (files named by flags are read and validated here). */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        db: { type: 'string' },
        seed: { type: 'string' },
        'seed-users': { type: 'string' },
        orgs: { type: 'string' },
        tls: { type: 'boolean' },
        cert: { type: 'string' },
        key: { type: 'string' },
        limits: { type: 'string' },
        'time-scale': { type: 'string' },
        faults: { type: 'string' },
        'managed-by': { type: 'string', multiple: true },
        'page-size-users': { type: 'string' },
        'page-size-groups': { type: 'string' },
        'log-requests': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\nRun umapi-emulator --help for the options.`);
  }
  if (values.help === true) return { help: true };

  const options: EmulatorOptions = { port: integer('--port', values.port, 0) ?? 8080 };
  if (options.port !== undefined && options.port > 65_535)
    throw new CliUsageError('--port: expected 0..65535');
  if (values.host !== undefined) options.host = values.host;
  if (values.db !== undefined) options.db = values.db;
  if (values.seed !== undefined) {
    if (values.seed !== 'demo' && values.seed !== 'none') {
      throw new CliUsageError(`--seed: expected demo or none, got "${values.seed}"`);
    }
    options.seed = values.seed;
  }
  const seedUsers = integer('--seed-users', values['seed-users'], 0);
  if (seedUsers !== undefined) {
    if (options.seed === 'none')
      throw new CliUsageError('--seed-users needs --seed demo (users go into the demo org)');
    options.seedUsers = seedUsers;
  }
  if (values.orgs !== undefined) {
    try {
      options.orgs = parseOrgSeeds(readJson('--orgs', values.orgs), `--orgs ${values.orgs}`);
    } catch (error) {
      throw error instanceof CliUsageError ? error : new CliUsageError((error as Error).message);
    }
  }
  if ((values.cert === undefined) !== (values.key === undefined)) {
    throw new CliUsageError('--cert and --key must be given together (PEM files)');
  }
  let certPath: string | undefined;
  if (values.cert !== undefined && values.key !== undefined) {
    try {
      options.tls = { cert: readFileSync(values.cert, 'utf8'), key: readFileSync(values.key, 'utf8') };
    } catch (error) {
      throw new CliUsageError(`--cert/--key: ${(error as Error).message}`);
    }
    certPath = values.cert;
  } else if (values.tls === true) {
    options.tls = true;
  }
  if (values.limits !== undefined) {
    if (values.limits === 'documented' || values.limits === 'off') {
      options.limits = values.limits;
    } else {
      const raw = readJson('--limits', values.limits);
      try {
        resolveLimits(raw, `--limits ${values.limits}`);
      } catch (error) {
        throw new CliUsageError((error as Error).message);
      }
      options.limits = raw as NonNullable<EmulatorOptions['limits']>;
    }
  }
  if (values['time-scale'] !== undefined) {
    const scale = Number(values['time-scale']);
    if (!Number.isFinite(scale) || scale <= 0) {
      throw new CliUsageError(`--time-scale: expected a positive number, got "${values['time-scale']}"`);
    }
    options.timeScale = scale;
  }
  if (values.faults !== undefined) {
    try {
      options.faults = parseFaultConfig(readJson('--faults', values.faults), `--faults ${values.faults}`);
    } catch (error) {
      throw error instanceof CliUsageError ? error : new CliUsageError((error as Error).message);
    }
  }
  for (const setting of values['managed-by'] ?? []) {
    const match = /^([^=\s]+)=(azure|google|none)$/.exec(setting);
    if (match?.[1] === undefined || match[2] === undefined) {
      throw new CliUsageError(
        `--managed-by: expected DOMAIN=azure, DOMAIN=google or DOMAIN=none, got "${setting}"`,
      );
    }
    options.managedBy = {
      ...options.managedBy,
      [match[1].toLowerCase()]: match[2] === 'none' ? null : (match[2] as 'azure' | 'google'),
    };
  }
  const pageSizeUsers = integer('--page-size-users', values['page-size-users'], 1);
  if (pageSizeUsers !== undefined) options.pageSizeUsers = pageSizeUsers;
  const pageSizeGroups = integer('--page-size-groups', values['page-size-groups'], 1);
  if (pageSizeGroups !== undefined) options.pageSizeGroups = pageSizeGroups;
  if (values['log-requests'] === true) options.logRequests = true;
  return certPath === undefined ? { help: false, options } : { help: false, options, certPath };
}
