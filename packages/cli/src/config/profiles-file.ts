import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { ConfigError } from '../cli/cli-errors.js';
import type { SettingKey, SettingLayer } from './settings.js';

/**
 * Named profiles in YAML (default file `~/.config/umapi/profiles.yml`, or `UMAPI_PROFILES_FILE`):
 *
 * ```yaml
 * prod:
 *   org_id: 12345ABC@AdobeOrg
 *   client_id: ...
 *   client_secret: ...
 * ```
 * Keys use the walkthrough's spelling where it has one (`org_id`, `api_key` = `client_id`, `tech_acct`,
 * `priv_key_filename` = `private_key_file`, relative to the profiles file's folder).
 */
export const profileKeys: Record<string, SettingKey> = {
  org_id: 'orgId',
  client_id: 'clientId',
  api_key: 'clientId',
  client_secret: 'clientSecret',
  auth_method: 'authMethod',
  tech_acct: 'technicalAccountId',
  private_key_file: 'privateKeyFile',
  priv_key_filename: 'privateKeyFile',
  private_key_passphrase: 'passphrase',
  scopes: 'scopes',
  ims_url: 'imsUrl',
  jwt_exchange_path: 'jwtExchangePath',
  umapi_url: 'umapiUrl',
  domain: 'enterpriseDomain',
  fed_domain: 'federatedDomain',
  technical_accounts: 'technicalAccounts',
};

export interface ProfilesFile {
  path: string;
  names: string[];
  layer(name: string): SettingLayer;
}

/** Reads a profiles file; null when it does not exist. */
export async function readProfilesFile(path: string): Promise<ProfilesFile | null> {
  const absolute = resolve(path);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read profiles file ${absolute}: ${(error as Error).message}`);
  }
  return parseProfiles(text, absolute);
}

export function parseProfiles(text: string, absolutePath: string): ProfilesFile {
  const label = basename(absolutePath);
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const lineOf = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 0;
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new ConfigError(`${label} line ${line}: not valid YAML (${firstError.code.toLowerCase()})`);
  }
  const root = document.contents;
  if (root === null) return { path: absolutePath, names: [], layer: () => ({}) };
  if (!isMap(root)) {
    throw new ConfigError(`${label} line ${lineOf(root)}: expected a mapping of profile names to settings`);
  }
  const layers = new Map<string, SettingLayer>();
  for (const pair of root.items) {
    const nameNode = pair.key as Node | null;
    const name = isScalar(nameNode) ? String(nameNode.value) : '';
    const body = pair.value as Node | null;
    if (!isMap(body)) {
      throw new ConfigError(
        `${label} line ${lineOf(nameNode)}: profile '${name}' must be a mapping of settings`,
      );
    }
    const layer: SettingLayer = {};
    for (const entry of body.items) {
      const keyNode = entry.key as Node | null;
      const key = isScalar(keyNode) ? String(keyNode.value) : '';
      const line = lineOf(keyNode);
      const setting = profileKeys[key];
      if (setting === undefined) {
        throw new ConfigError(
          `${label} line ${line}: unknown key '${key}' in profile '${name}'; expected one of ${Object.keys(profileKeys).join(', ')}`,
        );
      }
      const valueNode = entry.value as Node | null;
      if (!isScalar(valueNode) || valueNode.value === null || typeof valueNode.value === 'object') {
        throw new ConfigError(`${label} line ${line}: '${key}' in profile '${name}' must be a single value`);
      }
      const raw = scalarText(valueNode.value).trim();
      if (raw === '') continue;
      const value = setting === 'privateKeyFile' ? resolve(dirname(absolutePath), raw) : raw;
      layer[setting] = { value, source: `${label}:${line} (profile ${name}, ${key})` };
    }
    layers.set(name, layer);
  }
  return {
    path: absolutePath,
    names: [...layers.keys()],
    layer(name: string): SettingLayer {
      const layer = layers.get(name);
      if (layer === undefined) {
        throw new ConfigError(
          `profile '${name}' is not in ${absolutePath}; profiles there: ${[...layers.keys()].join(', ') || '(none)'}`,
        );
      }
      return layer;
    },
  };
}

function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return '';
}
