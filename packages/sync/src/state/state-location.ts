/** The environment variable that picks the state store when `--state` is not given. */
export const STATE_ENV = 'UMAPI_STATE';

/** The PostgreSQL schema the tables live in unless the URL's `schema` parameter names another. */
export const DEFAULT_PG_SCHEMA = 'umapi_kit';

/** Where a state store lives, as `--state` or `$UMAPI_STATE` gives it. */
export type StateLocation =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      /** The connection URL for node-postgres (with the password, if one was given; without `schema`). */
      connectionString: string;
      schema: string;
      /** For messages: the URL without its password. */
      display: string;
    };

/** A `--state` value that is neither a file nor a URL umapi-kit can use. */
export class StateLocationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateLocationError';
  }
}

/**
 * Reads a state location: `postgres://…` or `postgresql://…` (a PostgreSQL database; `?schema=NAME` picks the
 * schema, default `umapi_kit`), `sqlite:PATH`, or a plain file path (SQLite). `what` names the setting in errors.
 */
export function parseStateLocation(spec: string, what = '--state'): StateLocation {
  if (/^postgres(ql)?:\/\//i.test(spec)) {
    let url: URL;
    try {
      url = new URL(spec);
    } catch {
      throw new StateLocationError(
        `${what}: not a valid URL (expected postgres://USER@HOST:PORT/DATABASE; give the password in PGPASSWORD or ~/.pgpass)`,
      );
    }
    if (url.hostname === '' && !url.searchParams.has('host')) {
      throw new StateLocationError(
        `${what}: the URL names no host (expected postgres://USER@HOST:PORT/DATABASE)`,
      );
    }
    const schema = url.searchParams.get('schema') ?? DEFAULT_PG_SCHEMA;
    if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new StateLocationError(
        `${what}: schema '${schema}' is not a plain lower-case name (letters, digits, _; at most 63)`,
      );
    }
    url.searchParams.delete('schema');
    const connectionString = url.toString();
    return { kind: 'postgres', connectionString, schema, display: displayUrl(connectionString, schema) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new StateLocationError(
      `${what}: '${spec.replace(/\/\/[^@/]*@/, '//…@')}' is not a state store umapi-kit knows; expected a file, sqlite:PATH or postgres://USER@HOST/DATABASE`,
    );
  }
  const path = spec.startsWith('sqlite:') ? spec.slice('sqlite:'.length) : spec;
  if (path === '') throw new StateLocationError(`${what}: sqlite: needs a file path (sqlite:PATH)`);
  return { kind: 'sqlite', path };
}

/** A PostgreSQL URL as messages show it: no password (not even its length), schema named when not the default. */
export function displayUrl(connectionString: string, schema = DEFAULT_PG_SCHEMA): string {
  const url = new URL(connectionString);
  url.password = '';
  for (const key of ['password', 'sslkey', 'sslpassword']) url.searchParams.delete(key);
  if (schema !== DEFAULT_PG_SCHEMA) url.searchParams.set('schema', schema);
  return url.toString();
}
