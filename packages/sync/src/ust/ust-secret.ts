import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isScalar, type Node as YamlNode } from 'yaml';
import type { Reader } from '../config/sync-config.js';
import type { KeyringLookup } from './keyring.js';

/** What reading a connector's secrets needs from outside: the environment and the keyring. */
export interface SecretContext {
  env: Readonly<Record<string, string | undefined>>;
  keyring: KeyringLookup;
  /** false: check how each secret is given but read none (`sync migrate`); each reads as ''. Default true. */
  resolve?: boolean;
}

/** The environment variable that gives the secret a `secure_*_key` entry names: `UMAPI_KEYRING_<KEY>`. */
export function keyringVariable(keyName: string): string {
  return `UMAPI_KEYRING_${keyName.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}`;
}

/**
 * One credential of a connector file, given in exactly one of the ways: `name` (plain text, as the User Sync
 * Tool reads it), `secure_name_key` (an OS keyring entry, as the User Sync Tool reads it: service = the key's
 * value, username = `keyringUser`), `name_env` (an environment variable) or `name_file` (a file holding only the
 * secret; relative to the connector file). Messages name the key, never the value.
 */
export async function readSecret(
  reader: Reader,
  entries: ReadonlyMap<string, YamlNode>,
  scope: string,
  name: string,
  keyringUser: string,
  base: string,
  secrets: SecretContext,
  options: { required: boolean; what: string },
): Promise<string | undefined> {
  const secure = `secure_${name}_key`;
  const ways = [name, secure, `${name}_env`, `${name}_file`].filter((key) => entries.has(key));
  const key = (k: string): string => (scope === '' ? k : `${scope}.${k}`);
  if (ways.length > 1) {
    reader.fail(
      entries.get(ways[1] ?? name),
      key(ways[1] ?? name),
      `give the ${options.what} one way only (here: ${ways.join(', ')})`,
    );
  }
  const way = ways[0];
  if (way === undefined) {
    if (!options.required) return undefined;
    reader.fail(
      undefined,
      key(name),
      `is required (the ${options.what}): give ${name}, ${secure} (an OS keyring entry), ${name}_env (an environment variable) or ${name}_file (a file)`,
    );
  }
  const node = entries.get(way);
  if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
    return reader.fail(node, key(way), 'must be a string (quote it in YAML)');
  }
  const value = String(node.value);
  if (way === name) return value;
  if (secrets.resolve === false) return '';
  if (way === `${name}_env`) {
    const fromEnv = secrets.env[value];
    if (fromEnv === undefined || fromEnv === '') {
      reader.fail(
        node,
        key(way),
        `the environment variable ${value} is not set (it should hold the ${options.what})`,
      );
    }
    return fromEnv;
  }
  if (way === `${name}_file`) {
    const path = resolve(base, value);
    try {
      const text = (await readFile(path, 'utf8')).replace(/\r?\n$/, '');
      if (text === '') reader.fail(node, key(way), `${path} is empty (it should hold the ${options.what})`);
      return text;
    } catch (error) {
      if (!(error instanceof Error) || !('code' in error)) throw error;
      return reader.fail(
        node,
        key(way),
        `cannot read ${path} (${String((error as NodeJS.ErrnoException).code)})`,
      );
    }
  }
  const variable = keyringVariable(value);
  const fromEnv = secrets.env[variable];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const found = await secrets.keyring(value, keyringUser);
  if ('value' in found) return found.value;
  return reader.fail(
    node,
    key(way),
    `cannot read the keyring entry "${value}" for "${keyringUser}": ${found.unavailable}; ` +
      `give the ${options.what} in the environment variable ${variable}, or replace ${secure} with ` +
      `${name}_env: VARIABLE or ${name}_file: FILE`,
  );
}
