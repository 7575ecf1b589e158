import type { SettingKey, SettingLayer } from './settings.js';

/**
 * `UMAPI_*` variable names for each setting. The first name of a list is the documented one; the others are
 * accepted aliases. `UMAPI_AUTH_HOST` takes a bare host name (like the walkthrough's `ims_host`).
 */
export const environmentNames: Record<SettingKey, readonly string[]> = {
  orgId: ['UMAPI_ORG_ID'],
  clientId: ['UMAPI_CLIENT_ID', 'UMAPI_API_KEY'],
  clientSecret: ['UMAPI_CLIENT_SECRET'],
  authMethod: ['UMAPI_AUTH_METHOD'],
  technicalAccountId: ['UMAPI_TECH_ACCT'],
  privateKeyFile: ['UMAPI_PRIVATE_KEY_FILE'],
  passphrase: ['UMAPI_PRIVATE_KEY_PASSPHRASE'],
  scopes: ['UMAPI_SCOPES'],
  imsUrl: ['UMAPI_IMS_URL', 'UMAPI_AUTH_HOST'],
  jwtExchangePath: ['UMAPI_JWT_EXCHANGE_PATH'],
  umapiUrl: ['UMAPI_URL'],
  enterpriseDomain: ['UMAPI_DOMAIN'],
  federatedDomain: ['UMAPI_FED_DOMAIN'],
  technicalAccounts: ['UMAPI_TECHNICAL_ACCOUNTS'],
};

/** Turns a bare host (`ims-na1.adobelogin.com`) into a URL; leaves URLs alone. */
export function hostToUrl(value: string, scheme = 'https'): string {
  return /^[a-z]+:\/\//i.test(value) ? value : `${scheme}://${value}`;
}

/**
 * Reads the settings from a variable map. `describe(name)` says where a variable came from (`env UMAPI_ORG_ID`,
 * `.env:4`). Empty values count as unset.
 */
export function settingsFromVariables(
  variables: Readonly<Record<string, string | undefined>>,
  describe: (name: string) => string,
): SettingLayer {
  const layer: SettingLayer = {};
  for (const [key, names] of Object.entries(environmentNames) as [SettingKey, readonly string[]][]) {
    for (const name of names) {
      const raw = variables[name];
      if (raw === undefined || raw.trim() === '') continue;
      const value = name === 'UMAPI_AUTH_HOST' ? hostToUrl(raw.trim()) : raw.trim();
      layer[key] = { value, source: describe(name) };
      break;
    }
  }
  return layer;
}
