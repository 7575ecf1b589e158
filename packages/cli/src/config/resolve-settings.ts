import { join, resolve } from 'node:path';
import { ConfigError } from '../cli/cli-errors.js';
import { readDotenvFile } from './dotenv-file.js';
import { hostToUrl, settingsFromVariables } from './env-settings.js';
import { readProfilesFile } from './profiles-file.js';
import { mergeLayers } from './settings.js';
import type { ResolvedSettings, SettingKey, SettingLayer } from './settings.js';
import { readUsermanagementConfig } from './usermanagement-config.js';
import { access } from 'node:fs/promises';
import { unknownVariables, type UnknownVariable } from './unknown-variables.js';

/** Settings given as command-line flags (highest precedence). */
export interface SettingFlags {
  profile?: string | undefined;
  config?: string | undefined;
  orgId?: string | undefined;
  clientId?: string | undefined;
  authMethod?: string | undefined;
  endpoint?: string | undefined;
  imsUrl?: string | undefined;
}

export interface SettingSources {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
  flags: SettingFlags;
}

export interface SettingsReport {
  settings: ResolvedSettings;
  /** Files that were read, in precedence order, with what they are. */
  files: string[];
  profile: string | undefined;
  /** `UMAPI_*` variables (environment or `.env`) that are no setting: typos, most likely. */
  unknown: UnknownVariable[];
}

/**
 * Resolves every setting. Precedence: flags, then environment (`UMAPI_*`), then files: `.env` in the current
 * folder, the selected profile of the profiles file, then `usermanagement.config` (`--config FILE` or
 * `./usermanagement.config`).
 */
export async function resolveSettings(sources: SettingSources): Promise<SettingsReport> {
  const { flags, env, cwd } = sources;
  const files: string[] = [];
  const flagLayer: SettingLayer = {};
  const flag = (key: SettingKey, value: string | undefined, name: string, transform = (v: string) => v) => {
    if (value !== undefined && value !== '')
      flagLayer[key] = { value: transform(value), source: `flag ${name}` };
  };
  flag('orgId', flags.orgId, '--org-id');
  flag('clientId', flags.clientId, '--client-id');
  flag('authMethod', flags.authMethod, '--auth-method');
  flag('umapiUrl', flags.endpoint, '--endpoint');
  flag('imsUrl', flags.imsUrl, '--ims-url', (v) => hostToUrl(v));

  const envLayer = settingsFromVariables(env, (name) => `env ${name}`);

  const dotenvPath = join(cwd, '.env');
  const dotenv = await readDotenvFile(dotenvPath);
  let dotenvLayer: SettingLayer = {};
  if (dotenv !== null) {
    files.push(`${dotenvPath} (.env)`);
    const values: Record<string, string> = {};
    for (const [name, entry] of dotenv) values[name] = entry.value;
    dotenvLayer = settingsFromVariables(values, (name) => `.env:${dotenv.get(name)?.line ?? 0}`);
  }

  const profileName =
    flags.profile ?? nonEmpty(env['UMAPI_PROFILE']) ?? nonEmpty(dotenv?.get('UMAPI_PROFILE')?.value);
  const profilesPath = resolve(
    cwd,
    nonEmpty(env['UMAPI_PROFILES_FILE']) ??
      nonEmpty(dotenv?.get('UMAPI_PROFILES_FILE')?.value) ??
      join(sources.homeDir, '.config', 'umapi', 'profiles.yml'),
  );
  let profileLayer: SettingLayer = {};
  let usedProfile: string | undefined;
  const profiles = await readProfilesFile(profilesPath);
  if (profileName !== undefined) {
    if (profiles === null) {
      throw new ConfigError(
        `profile '${profileName}' was asked for, but there is no profiles file at ${profilesPath}`,
        ['create it, or set UMAPI_PROFILES_FILE to its path'],
      );
    }
    profileLayer = profiles.layer(profileName);
    usedProfile = profileName;
  } else if (profiles?.names.includes('default') === true) {
    profileLayer = profiles.layer('default');
    usedProfile = 'default';
  }
  if (usedProfile !== undefined) files.push(`${profilesPath} (profile ${usedProfile})`);

  let iniLayer: SettingLayer = {};
  if (flags.config !== undefined) {
    iniLayer = await readUsermanagementConfig(resolve(cwd, flags.config));
    files.push(`${resolve(cwd, flags.config)} (usermanagement.config)`);
  } else {
    const defaultPath = join(cwd, 'usermanagement.config');
    if (await exists(defaultPath)) {
      iniLayer = await readUsermanagementConfig(defaultPath);
      files.push(`${defaultPath} (usermanagement.config)`);
    }
  }

  const unknown = [
    ...unknownVariables(
      Object.keys(env).filter((name) => env[name] !== undefined),
      () => 'environment',
    ),
    ...(dotenv === null
      ? []
      : unknownVariables(dotenv.keys(), (name) => `.env:${dotenv.get(name)?.line ?? 0}`)),
  ];
  return {
    settings: mergeLayers([flagLayer, envLayer, dotenvLayer, profileLayer, iniLayer]),
    files,
    profile: usedProfile,
    unknown,
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}
