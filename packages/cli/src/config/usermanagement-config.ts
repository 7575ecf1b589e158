import { readFile } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError } from '../cli/cli-errors.js';
import { hostToUrl } from './env-settings.js';
import { parseIni } from './ini-file.js';
import type { IniEntry, IniSections } from './ini-file.js';
import type { SettingKey, SettingLayer } from './settings.js';

/**
 * The walkthrough's `usermanagement.config` (INI), read as is:
 * `[server]` host, endpoint, ims_host, ims_endpoint_jwt, optional scheme (http|https, default https);
 * `[enterprise]` domain, fed_domain, org_id, api_key, client_secret, tech_acct, priv_key_filename (relative to the
 * config file's folder). Keys the walkthrough's scripts write back (`jwt_token`, `access_token`) are ignored.
 */
export async function readUsermanagementConfig(path: string): Promise<SettingLayer> {
  const absolute = resolve(path);
  const label = basename(absolute);
  let text: string;
  try {
    text = await readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? 'unreadable');
    throw new ConfigError(`cannot read config file ${absolute}: ${reason}`, [
      'pass --config FILE with the path of your usermanagement.config',
    ]);
  }
  return settingsFromIni(parseIni(text, label), label, dirname(absolute));
}

const knownKeys: Record<string, readonly string[]> = {
  server: ['host', 'endpoint', 'ims_host', 'ims_endpoint_jwt', 'scheme'],
  enterprise: [
    'domain',
    'fed_domain',
    'org_id',
    'api_key',
    'client_secret',
    'tech_acct',
    'priv_key_filename',
    'jwt_token',
    'access_token',
  ],
};

export function settingsFromIni(sections: IniSections, label: string, folder: string): SettingLayer {
  for (const [section, keys] of sections) {
    const known = knownKeys[section];
    if (known === undefined) continue;
    for (const [key, entry] of keys) {
      if (!known.includes(key)) {
        throw new ConfigError(
          `${label} [${section}] line ${entry.line}: unknown key '${key}'; expected one of ${known.filter((k) => !k.endsWith('_token')).join(', ')}`,
        );
      }
    }
  }
  const server = sections.get('server');
  const enterprise = sections.get('enterprise');
  if (enterprise === undefined) {
    throw new ConfigError(
      `${label}: no [enterprise] section; it must hold org_id, api_key and client_secret`,
    );
  }
  const layer: SettingLayer = {};
  const where = (section: string, key: string, entry: IniEntry): string =>
    `${label} [${section}] ${key} (line ${entry.line})`;
  const take = (
    key: SettingKey,
    section: string,
    name: string,
    map = section === 'server' ? server : enterprise,
  ) => {
    const entry = map?.get(name);
    if (entry === undefined || entry.value.trim() === '') return undefined;
    layer[key] = { value: entry.value.trim(), source: where(section, name, entry) };
    return entry;
  };

  const schemeEntry = server?.get('scheme');
  const scheme = schemeEntry?.value.trim().toLowerCase() || 'https';
  if (scheme !== 'http' && scheme !== 'https') {
    throw new ConfigError(
      `${label} [server] scheme (line ${schemeEntry?.line ?? 0}): expected 'http' or 'https', got '${scheme}'`,
    );
  }
  const host = server?.get('host');
  const endpoint = server?.get('endpoint');
  if (host !== undefined && host.value.trim() !== '') {
    const path = endpoint?.value.trim() || '/v2/usermanagement';
    layer.umapiUrl = {
      value: `${hostToUrl(host.value.trim(), scheme)}${path.startsWith('/') ? path : `/${path}`}`,
      source:
        where('server', 'host', host) + (endpoint === undefined ? '' : ` + endpoint (line ${endpoint.line})`),
    };
  }
  const imsHost = server?.get('ims_host');
  if (imsHost !== undefined && imsHost.value.trim() !== '') {
    layer.imsUrl = {
      value: hostToUrl(imsHost.value.trim(), scheme),
      source: where('server', 'ims_host', imsHost),
    };
  }
  take('jwtExchangePath', 'server', 'ims_endpoint_jwt');
  take('enterpriseDomain', 'enterprise', 'domain');
  take('federatedDomain', 'enterprise', 'fed_domain');
  take('orgId', 'enterprise', 'org_id');
  take('clientId', 'enterprise', 'api_key');
  take('clientSecret', 'enterprise', 'client_secret');
  const techAccount = take('technicalAccountId', 'enterprise', 'tech_acct');
  const keyFile = enterprise.get('priv_key_filename');
  if (keyFile !== undefined && keyFile.value.trim() !== '') {
    layer.privateKeyFile = {
      value: resolve(folder, keyFile.value.trim()),
      source: where('enterprise', 'priv_key_filename', keyFile),
    };
  }
  if (techAccount !== undefined && layer.privateKeyFile !== undefined) {
    layer.authMethod = {
      value: 'jwt',
      source: `${label} [enterprise] tech_acct + priv_key_filename (lines ${techAccount.line}, ${keyFile?.line ?? 0})`,
    };
  }
  return layer;
}
