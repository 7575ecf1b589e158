import type { OptionSpec } from '../../cli/command.js';
import { basename, dirname, join } from 'node:path';
import { ForeignFileError, SqliteStateStore, StateFileError, type StateStore } from '@umapi-kit/sync';
import { ConfigError } from '../../cli/cli-errors.js';

/** The `--state` option of the sync commands. */
export const stateOption = {
  flags: '--state <file>',
  description:
    'the sync state store (anchors, run history, the key that signs plans); default: <sync config>.state.db next to the config',
} as const satisfies OptionSpec;

/** Where the state store of a sync configuration lives by default: `sync.yml` → `sync.state.db` beside it. */
export function defaultStatePath(configPath: string): string {
  return join(dirname(configPath), `${basename(configPath).replace(/\.ya?ml$/i, '')}.state.db`);
}

/** Opens the state store; a file that is not one, or cannot be opened, is a configuration error (exit 2). */
export function openStateStore(path: string): StateStore {
  try {
    return SqliteStateStore.open(path);
  } catch (error) {
    if (error instanceof ForeignFileError || error instanceof StateFileError)
      throw new ConfigError(error.message);
    throw error;
  }
}
