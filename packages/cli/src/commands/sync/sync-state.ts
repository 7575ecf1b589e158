import type { OptionSpec } from '../../cli/command.js';
import { basename, dirname, join, resolve } from 'node:path';
import {
  ForeignFileError,
  openStateStore as openStoreAt,
  parseStateLocation,
  PostgresStateStore,
  STATE_ENV,
  StateFileError,
  StateLocationError,
  type StateStore,
} from '@umapi-kit/sync';
import { ConfigError, UsageError } from '../../cli/cli-errors.js';

/** The `--state` option of the sync commands. */
export const stateOption = {
  flags: '--state <file|url>',
  description:
    'the sync state store (anchors, run history, full-read times, the key that signs plans): a SQLite file ' +
    '(or sqlite:PATH), or postgres://USER@HOST:PORT/DATABASE[?schema=NAME] to share it, with the journals and ' +
    `the org locks, between hosts (password in PGPASSWORD or ~/.pgpass, never printed); default: $${STATE_ENV}, ` +
    'else <sync config>.state.db next to the config',
} as const satisfies OptionSpec;

/** Where the state store of a sync configuration lives by default: `sync.yml` → `sync.state.db` beside it. */
export function defaultStatePath(configPath: string): string {
  return join(dirname(configPath), `${basename(configPath).replace(/\.ya?ml$/i, '')}.state.db`);
}

/** The state location a command uses: `--state`, else `$UMAPI_STATE`, else `fallback` (when there is one). */
export function chosenState(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  fallback: string | undefined,
): { spec: string; what: string } | undefined {
  if (flag !== undefined) return { spec: flag, what: '--state' };
  const fromEnv = env[STATE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { spec: fromEnv, what: `$${STATE_ENV}` };
  return fallback === undefined ? undefined : { spec: fallback, what: 'the state store' };
}

/**
 * Opens the state store at a `--state` value (a file relative to `cwd`, `sqlite:PATH`, or a PostgreSQL URL). A
 * value that names no store is a usage error; a store that cannot be opened or is not one, a configuration error
 * (exit 2 both). Messages name a URL without its password.
 */
export async function openStateStore(spec: string, cwd: string, what = '--state'): Promise<StateStore> {
  let location;
  try {
    location = parseStateLocation(spec, what);
  } catch (error) {
    if (error instanceof StateLocationError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await openStoreAt(
      location.kind === 'sqlite' ? { kind: 'sqlite', path: resolve(cwd, location.path) } : location,
    );
  } catch (error) {
    if (error instanceof ForeignFileError || error instanceof StateFileError)
      throw new ConfigError(error.message);
    throw error;
  }
}

/** The store as a shared database (journals and org locks in it), or undefined for a SQLite file. */
export function sharedStore(store: StateStore): PostgresStateStore | undefined {
  return store instanceof PostgresStateStore ? store : undefined;
}
