import { ConfigError } from '../cli/cli-errors.js';
import { settingLabels } from './settings.js';
import type { AuthMethod, ResolvedSettings, SettingKey } from './settings.js';

/** What the client needs, checked: every value present and well-formed. */
export interface ConnectionSettings {
  orgId: string;
  clientId: string;
  clientSecret: string;
  authMethod: AuthMethod;
  technicalAccountId?: string;
  privateKeyFile?: string;
  /** Where the private key file setting came from, for messages. */
  privateKeyFileSource?: string;
  passphrase?: string;
  scopes?: string[];
  imsUrl?: string;
  jwtExchangePath?: string;
  /** OAuth: the token path on the IMS host (the client's default, /ims/token/v3, when undefined). */
  oauthTokenPath?: string;
  umapiUrl?: string;
  /** Technical accounts the org's user listing counts but never returns (default 1). */
  technicalAccounts?: number;
}

const whereToSet: Partial<Record<SettingKey, string>> = {
  orgId: 'UMAPI_ORG_ID, org_id in [enterprise] of usermanagement.config, or org_id in a profile',
  clientId: 'UMAPI_CLIENT_ID, api_key in [enterprise] of usermanagement.config, or client_id in a profile',
  clientSecret:
    'UMAPI_CLIENT_SECRET, client_secret in [enterprise] of usermanagement.config, or client_secret in a profile',
  technicalAccountId:
    'UMAPI_TECH_ACCT, tech_acct in [enterprise] of usermanagement.config, or tech_acct in a profile',
  privateKeyFile:
    'UMAPI_PRIVATE_KEY_FILE, priv_key_filename in [enterprise] of usermanagement.config, or private_key_file in a profile',
};

/** Checks the resolved settings; every problem names the setting and where its value came from. */
export function checkConnectionSettings(settings: ResolvedSettings): ConnectionSettings {
  const required = (key: SettingKey, extra = ''): string => {
    const entry = settings[key];
    if (entry === undefined) {
      throw new ConfigError(`missing setting: ${settingLabels[key]}${extra}`, [
        `set ${whereToSet[key] ?? key}`,
      ]);
    }
    return entry.value;
  };
  const orgId = required('orgId');
  if (!/^[0-9A-Za-z]+@AdobeOrg$/.test(orgId)) {
    throw new ConfigError(
      `${settings.orgId?.source ?? 'org id'}: expected an organization id like 12345ABCDE@AdobeOrg, got '${orgId}'`,
    );
  }
  const clientId = required('clientId');
  const clientSecret = required('clientSecret');
  const methodEntry = settings.authMethod;
  const rawMethod = methodEntry?.value.toLowerCase() ?? 'oauth';
  const authMethod: AuthMethod | undefined =
    rawMethod === 'oauth' || rawMethod === 'oauth-s2s' || rawMethod === 'oauth-server-to-server'
      ? 'oauth'
      : rawMethod === 'jwt' || rawMethod === 'service-account'
        ? 'jwt'
        : undefined;
  if (authMethod === undefined) {
    throw new ConfigError(
      `${methodEntry?.source ?? 'auth method'}: expected 'oauth' (server-to-server) or 'jwt' (service account), got '${rawMethod}'`,
    );
  }
  const result: ConnectionSettings = { orgId, clientId, clientSecret, authMethod };
  if (authMethod === 'jwt') {
    result.technicalAccountId = required('technicalAccountId', ' (needed by the JWT service-account flow)');
    result.privateKeyFile = required('privateKeyFile', ' (needed by the JWT service-account flow)');
    result.privateKeyFileSource = settings.privateKeyFile?.source ?? '';
    if (settings.passphrase !== undefined) result.passphrase = settings.passphrase.value;
  }
  for (const key of ['imsUrl', 'umapiUrl'] as const) {
    const entry = settings[key];
    if (entry === undefined) continue;
    let url: URL;
    try {
      url = new URL(entry.value);
    } catch {
      throw new ConfigError(`${entry.source}: expected a URL like https://host/path, got '${entry.value}'`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new ConfigError(`${entry.source}: expected an http or https URL, got '${entry.value}'`);
    }
    result[key] = entry.value.replace(/\/+$/, '');
  }
  if (settings.jwtExchangePath !== undefined) result.jwtExchangePath = settings.jwtExchangePath.value;
  const technical = settings.technicalAccounts;
  if (technical !== undefined) {
    const count = Number(technical.value);
    if (!/^\d+$/.test(technical.value) || count < 1) {
      throw new ConfigError(
        `${technical.source}: expected the number of API integrations (technical accounts) in the org, at least 1, got '${technical.value}'`,
      );
    }
    result.technicalAccounts = count;
  }
  if (settings.scopes !== undefined) {
    result.scopes = settings.scopes.value
      .split(/[\s,]+/)
      .map((scope) => scope.trim())
      .filter((scope) => scope !== '');
  }
  return result;
}
