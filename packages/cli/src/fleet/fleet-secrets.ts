import { readFile } from 'node:fs/promises';
import { describeFsError } from '@umapi-kit/sync';
import { ConfigError } from '../cli/cli-errors.js';
import type { FleetOrg, ValueReference } from './fleet-config.js';

/** Reads a value the fleet file refers to; a missing variable or unreadable file names the org and its key. */
async function valueOf(
  reference: ValueReference,
  env: Readonly<Record<string, string | undefined>>,
  where: string,
): Promise<string> {
  if ('value' in reference) return reference.value;
  if ('env' in reference) {
    const value = env[reference.env]?.trim();
    if (value === undefined || value === '') {
      throw new ConfigError(`${where}: the environment variable ${reference.env} is not set`);
    }
    return value;
  }
  let text: string;
  try {
    text = await readFile(reference.file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${where}: cannot read ${reference.file}: ${describeFsError(error)}`);
  }
  const value = text.trim();
  if (value === '') throw new ConfigError(`${where}: ${reference.file} is empty`);
  return value;
}

/**
 * The `UMAPI_*` variables of one org's `sync run`, from its entry (the secrets read from their variables or
 * files now, so a missing one fails this org alone).
 */
export async function orgConnectionEnv(
  org: FleetOrg,
  env: Readonly<Record<string, string | undefined>>,
  file: string,
): Promise<Record<string, string>> {
  const where = (key: string): string => `${file}:${String(org.line)}: org ${org.name}: ${key}`;
  const vars: Record<string, string> = {
    UMAPI_ORG_ID: org.orgId,
    UMAPI_CLIENT_ID: await valueOf(org.clientId, env, where('client_id')),
    UMAPI_CLIENT_SECRET: await valueOf(org.clientSecret, env, where('client_secret')),
    UMAPI_AUTH_METHOD: org.authMethod,
  };
  if (org.technicalAccountId !== undefined) vars['UMAPI_TECH_ACCT'] = org.technicalAccountId;
  if (org.privateKeyFile !== undefined) vars['UMAPI_PRIVATE_KEY_FILE'] = org.privateKeyFile;
  if (org.passphrase !== undefined) {
    vars['UMAPI_PRIVATE_KEY_PASSPHRASE'] = await valueOf(
      org.passphrase,
      env,
      where('private_key_passphrase'),
    );
  }
  if (org.umapiUrl !== undefined) vars['UMAPI_URL'] = org.umapiUrl;
  if (org.imsUrl !== undefined) vars['UMAPI_IMS_URL'] = org.imsUrl;
  return vars;
}
