import { PostgresStateStore } from './postgres/pg-state-store.js';
import { SqliteStateStore } from './sqlite-state-store.js';
import type { StateLocation } from './state-location.js';
import type { StateStore } from './state-store.js';

/** Opens the state store at a location: a SQLite file, or a PostgreSQL database (created or migrated). */
export async function openStateStore(location: StateLocation): Promise<StateStore> {
  if (location.kind === 'postgres')
    return PostgresStateStore.open(location.connectionString, location.schema);
  return SqliteStateStore.open(location.path);
}
