import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { describeFsError } from '@umapi-kit/sync';
import { ConfigError } from '../cli/cli-errors.js';

/** Another integration (OAuth server-to-server) of the same org, with its secret read from where it points. */
export interface PooledIntegration {
  clientId: string;
  clientSecret: string;
}

const EXAMPLE = [
  'integrations:',
  '  - client_id: 0a1b2c...',
  '    client_secret_env: UMAPI_POOL_SECRET_2',
  '  - client_id: 3d4e5f...',
  '    client_secret_file: /run/secrets/umapi-pool-3',
].join('\n');

/**
 * Reads a credential pool file (`--credential-pool FILE`, `UMAPI_CREDENTIAL_POOL`): more integrations of the org
 * the command runs as, each with its client id and its secret from an environment variable or a file, never
 * written in the pool file itself. Every problem names the file, line and key and says what would be right.
 */
export function readCredentialPool(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): PooledIntegration[] {
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`--credential-pool ${file}: ${describeFsError(error)}`);
  }
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  const at = (node: YamlNode | null | undefined): string => {
    const offset = node?.range?.[0];
    return offset === undefined ? file : `${file}:${String(lines.linePos(offset).line)}`;
  };
  const fail = (node: YamlNode | null | undefined, message: string): never => {
    throw new ConfigError(`${at(node)}: ${message}`, [`a credential pool file looks like:\n${EXAMPLE}`]);
  };
  if (document.errors.length > 0) {
    const first = document.errors[0];
    throw new ConfigError(`${file}: not valid YAML: ${first?.message ?? 'unreadable'}`);
  }
  const root = document.contents;
  if (!isMap(root)) return fail(root, 'expected a map with the key integrations');
  const list = root.get('integrations', true);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'integrations') fail(pair.key, `unknown key "${key}" (the only key is integrations)`);
  }
  if (!isSeq(list) || list.items.length === 0) {
    return fail(
      list ?? root,
      'integrations: expected a list of one or more {client_id, client_secret_env | client_secret_file}',
    );
  }
  return list.items.map((item, index) => {
    const where = `integrations[${String(index)}]`;
    if (!isMap(item))
      return fail(
        item as YamlNode,
        `${where}: expected a map with client_id and client_secret_env or client_secret_file`,
      );
    const value = (key: string): string | undefined => {
      const node = item.get(key, true);
      if (node === undefined) return undefined;
      if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
        return fail(node, `${where}.${key}: expected text`);
      }
      return node.value.trim();
    };
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'client_secret') {
        fail(
          pair.key as YamlNode,
          `${where}.client_secret: a secret is never written in the pool file; give client_secret_env (an ` +
            'environment variable holding it) or client_secret_file (a file holding it, owner-only)',
        );
      }
      if (!['client_id', 'client_secret_env', 'client_secret_file'].includes(key)) {
        fail(
          pair.key as YamlNode,
          `${where}: unknown key "${key}" (known: client_id, client_secret_env, client_secret_file)`,
        );
      }
    }
    const clientId = value('client_id') ?? fail(item, `${where}.client_id is missing`);
    const fromEnv = value('client_secret_env');
    const fromFile = value('client_secret_file');
    if ((fromEnv === undefined) === (fromFile === undefined)) {
      fail(item, `${where}: give exactly one of client_secret_env and client_secret_file`);
    }
    let clientSecret: string | undefined;
    if (fromEnv !== undefined) {
      clientSecret = env[fromEnv];
      if (clientSecret === undefined || clientSecret === '') {
        fail(item.get('client_secret_env', true), `${where}.client_secret_env: ${fromEnv} is not set`);
      }
    } else if (fromFile !== undefined) {
      try {
        clientSecret = readFileSync(isAbsolute(fromFile) ? fromFile : resolve(cwd, fromFile), 'utf8').trim();
      } catch (error) {
        fail(item.get('client_secret_file', true), `${where}.client_secret_file: ${describeFsError(error)}`);
      }
      if (clientSecret === '')
        fail(item.get('client_secret_file', true), `${where}.client_secret_file: ${fromFile} is empty`);
    }
    return { clientId, clientSecret: clientSecret ?? '' };
  });
}
