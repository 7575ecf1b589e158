/** The settings `umapi` needs to reach UMAPI, each remembered with where it came from. */

export type AuthMethod = 'oauth' | 'jwt';

export const settingKeys = [
  'orgId',
  'clientId',
  'clientSecret',
  'authMethod',
  'technicalAccountId',
  'privateKeyFile',
  'passphrase',
  'scopes',
  'imsUrl',
  'jwtExchangePath',
  'umapiUrl',
  'enterpriseDomain',
  'federatedDomain',
  'technicalAccounts',
] as const;

export type SettingKey = (typeof settingKeys)[number];

/** Settings whose values are never printed, logged or put in an error message. */
export const secretSettings: ReadonlySet<SettingKey> = new Set<SettingKey>(['clientSecret', 'passphrase']);

/** A human-readable label for a setting, used in messages. */
export const settingLabels: Record<SettingKey, string> = {
  orgId: 'organization id',
  clientId: 'client id (API key)',
  clientSecret: 'client secret',
  authMethod: 'authentication method',
  technicalAccountId: 'technical account id',
  privateKeyFile: 'private key file',
  passphrase: 'private key passphrase',
  scopes: 'OAuth scopes',
  imsUrl: 'IMS (auth) URL',
  jwtExchangePath: 'JWT exchange path',
  umapiUrl: 'UMAPI endpoint URL',
  enterpriseDomain: 'enterprise domain',
  federatedDomain: 'federated domain',
  technicalAccounts: 'technical accounts (API integrations) in the org',
};

export interface SettingValue {
  value: string;
  /** Where it came from: `flag --org-id`, `env UMAPI_ORG_ID`, `.env:3`, `profiles.yml:7 (profile prod)`, ... */
  source: string;
}

/** One layer of settings (one source kind); earlier layers win when merged. */
export type SettingLayer = Partial<Record<SettingKey, SettingValue>>;

export type ResolvedSettings = Partial<Record<SettingKey, SettingValue>>;

/** Merges layers, the first one holding a key winning (flags, then environment, then files). */
export function mergeLayers(layers: readonly SettingLayer[]): ResolvedSettings {
  const merged: ResolvedSettings = {};
  for (const layer of layers) {
    for (const key of settingKeys) {
      const entry = layer[key];
      if (entry !== undefined && merged[key] === undefined) merged[key] = entry;
    }
  }
  return merged;
}

/** The value as it may be shown: secrets are masked completely. */
export function displayValue(key: SettingKey, value: string): string {
  if (secretSettings.has(key)) return value === '' ? '(empty)' : '******** (set)';
  return value;
}
