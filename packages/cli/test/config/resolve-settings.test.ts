import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkConnectionSettings, resolveSettings, runCli } from '@umapi-kit/cli';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umapi-config-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const walkthroughConfig = `[server]
host = usermanagement.adobe.io
endpoint = /v2/usermanagement
ims_host = ims-na1.adobelogin.com
ims_endpoint_jwt = /ims/exchange/jwt

[enterprise]
domain = example.com
fed_domain = fed.example.com
org_id = 12345ABC@AdobeOrg
api_key = ini-client
client_secret = ini-secret
tech_acct = 0123@techacct.adobe.com
priv_key_filename = keys/private.key
`;

const resolve = (env: Record<string, string> = {}, flags = {}) =>
  resolveSettings({ cwd: dir, env, homeDir: join(dir, 'home'), flags });

describe('usermanagement.config', () => {
  it("reads the walkthrough's file as is and picks the JWT flow", async () => {
    await writeFile(join(dir, 'usermanagement.config'), walkthroughConfig);
    const { settings } = await resolve();
    expect(settings.umapiUrl?.value).toBe('https://usermanagement.adobe.io/v2/usermanagement');
    expect(settings.imsUrl?.value).toBe('https://ims-na1.adobelogin.com');
    expect(settings.jwtExchangePath?.value).toBe('/ims/exchange/jwt');
    expect(settings.privateKeyFile?.value).toBe(join(dir, 'keys', 'private.key'));
    expect(settings.authMethod?.value).toBe('jwt');
    expect(settings.orgId?.source).toBe('usermanagement.config [enterprise] org_id (line 10)');
    expect(checkConnectionSettings(settings).authMethod).toBe('jwt');
  });

  it('honours scheme = http under [server]', async () => {
    await writeFile(join(dir, 'um.config'), walkthroughConfig.replace('[server]', '[server]\nscheme = http'));
    const { settings } = await resolve({}, { config: 'um.config' });
    expect(settings.umapiUrl?.value).toBe('http://usermanagement.adobe.io/v2/usermanagement');
  });

  it.each([
    [
      'garbage line',
      walkthroughConfig.replace('domain = example.com', 'this is not ini'),
      "usermanagement.config line 8: expected 'key = value'",
    ],
    [
      'bad scheme',
      walkthroughConfig.replace('[server]', '[server]\nscheme = ftp'),
      "usermanagement.config [server] scheme (line 2): expected 'http' or 'https', got 'ftp'",
    ],
    [
      'unknown key',
      walkthroughConfig.replace('api_key', 'apikey'),
      "usermanagement.config [enterprise] line 11: unknown key 'apikey'",
    ],
    ['no enterprise section', '[server]\nhost = h\n', 'no [enterprise] section'],
    ['key before section', 'host = h\n', "key 'host' comes before any [section]"],
  ])('%s: names file, section, key and line', async (_name, text, message) => {
    await writeFile(join(dir, 'usermanagement.config'), text);
    await expect(resolve()).rejects.toThrow(message);
  });

  it('a bad org id names where it came from', async () => {
    await writeFile(
      join(dir, 'usermanagement.config'),
      walkthroughConfig.replace('12345ABC@AdobeOrg', 'my-org'),
    );
    const { settings } = await resolve();
    expect(() => checkConnectionSettings(settings)).toThrow(
      "usermanagement.config [enterprise] org_id (line 10): expected an organization id like 12345ABCDE@AdobeOrg, got 'my-org'",
    );
  });

  it('--config naming a missing file is an error', async () => {
    await expect(resolve({}, { config: 'missing.config' })).rejects.toThrow(
      /cannot read config file .*missing\.config: no such file/,
    );
  });
});

describe('precedence: flags, then environment, then files', () => {
  it('flag > env > .env > profile > usermanagement.config', async () => {
    await writeFile(join(dir, 'usermanagement.config'), walkthroughConfig);
    await writeFile(
      join(dir, '.env'),
      '# comment\nUMAPI_CLIENT_ID=dotenv-client\nUMAPI_CLIENT_SECRET="dotenv-secret"\nUMAPI_SCOPES=openid\n',
    );
    await mkdir(join(dir, 'home', '.config', 'umapi'), { recursive: true });
    await writeFile(
      join(dir, 'home', '.config', 'umapi', 'profiles.yml'),
      'prod:\n  client_secret: profile-secret\n  domain: profile.example.com\n  scopes: a,b\n',
    );
    const { settings, profile } = await resolve(
      { UMAPI_ORG_ID: 'ENV1@AdobeOrg', UMAPI_CLIENT_ID: 'env-client' },
      { profile: 'prod', orgId: 'FLAG1@AdobeOrg' },
    );
    expect(profile).toBe('prod');
    expect(settings.orgId).toEqual({ value: 'FLAG1@AdobeOrg', source: 'flag --org-id' });
    expect(settings.clientId).toEqual({ value: 'env-client', source: 'env UMAPI_CLIENT_ID' });
    expect(settings.clientSecret).toEqual({ value: 'dotenv-secret', source: '.env:3' });
    expect(settings.scopes?.source).toBe('.env:4');
    expect(settings.enterpriseDomain).toEqual({
      value: 'profile.example.com',
      source: 'profiles.yml:3 (profile prod, domain)',
    });
    expect(settings.technicalAccountId?.source).toBe(
      'usermanagement.config [enterprise] tech_acct (line 13)',
    );
  });

  it('OAuth server-to-server is the default method', async () => {
    const { settings } = await resolve({
      UMAPI_ORG_ID: 'A1@AdobeOrg',
      UMAPI_CLIENT_ID: 'c',
      UMAPI_CLIENT_SECRET: 's',
    });
    expect(checkConnectionSettings(settings).authMethod).toBe('oauth');
  });

  it('a missing setting says where to set it', async () => {
    const { settings } = await resolve({ UMAPI_ORG_ID: 'A1@AdobeOrg', UMAPI_CLIENT_ID: 'c' });
    expect(() => checkConnectionSettings(settings)).toThrow('missing setting: client secret');
  });

  it('jwt without a key file is a missing setting', async () => {
    const { settings } = await resolve({
      UMAPI_ORG_ID: 'A1@AdobeOrg',
      UMAPI_CLIENT_ID: 'c',
      UMAPI_CLIENT_SECRET: 's',
      UMAPI_AUTH_METHOD: 'jwt',
      UMAPI_TECH_ACCT: 't@techacct.adobe.com',
    });
    expect(() => checkConnectionSettings(settings)).toThrow(
      'missing setting: private key file (needed by the JWT service-account flow)',
    );
  });

  it('an unknown auth method names its source', async () => {
    const { settings } = await resolve({
      UMAPI_ORG_ID: 'A1@AdobeOrg',
      UMAPI_CLIENT_ID: 'c',
      UMAPI_CLIENT_SECRET: 's',
      UMAPI_AUTH_METHOD: 'saml',
    });
    expect(() => checkConnectionSettings(settings)).toThrow(
      "env UMAPI_AUTH_METHOD: expected 'oauth' (server-to-server) or 'jwt'",
    );
  });
});

describe('.env and profiles errors', () => {
  it('a malformed .env line is named, without echoing its value', async () => {
    await writeFile(join(dir, '.env'), 'UMAPI_ORG_ID=A1@AdobeOrg\nthis-is-bad secret-value\n');
    const error = (await resolve().catch((caught: unknown) => caught)) as Error;
    expect(error.message).toContain('.env:2: expected NAME=value');
    expect(error.message).not.toContain('secret-value');
  });

  it.each([
    ['prod: [unclosed\n', /profiles\.yml line \d+: not valid YAML/],
    ['prod:\n  org_idd: x\n', "profiles.yml line 2: unknown key 'org_idd' in profile 'prod'"],
    ['prod: 3\n', "profiles.yml line 1: profile 'prod' must be a mapping"],
  ])('profiles file %j', async (text, message) => {
    await writeFile(join(dir, 'profiles.yml'), text);
    await expect(
      resolve({ UMAPI_PROFILES_FILE: join(dir, 'profiles.yml') }, { profile: 'prod' }),
    ).rejects.toThrow(message);
  });

  it('an unknown profile lists the known ones; a missing file says where it looked', async () => {
    await writeFile(
      join(dir, 'profiles.yml'),
      'prod:\n  org_id: A1@AdobeOrg\nstage:\n  org_id: B2@AdobeOrg\n',
    );
    await expect(
      resolve({ UMAPI_PROFILES_FILE: join(dir, 'profiles.yml') }, { profile: 'dev' }),
    ).rejects.toThrow("profile 'dev' is not in");
    await expect(
      resolve({ UMAPI_PROFILES_FILE: join(dir, 'profiles.yml') }, { profile: 'dev' }),
    ).rejects.toThrow('profiles there: prod, stage');
    await expect(resolve({}, { profile: 'prod' })).rejects.toThrow('there is no profiles file at');
  });
});

describe('umapi config show', () => {
  it('masks secrets and shows each source', async () => {
    await writeFile(join(dir, 'usermanagement.config'), walkthroughConfig);
    const env = testEnvironment(new FakeClient(), {
      cwd: dir,
      env: { UMAPI_CLIENT_SECRET: 'p8e-env-secret' },
    });
    expect(await runCli(['config', 'show', '--output', 'table'], env)).toBe(0);
    expect(env.stdout.text).toContain('env UMAPI_CLIENT_SECRET');
    expect(env.stdout.text).toContain('******** (set)');
    expect(env.stdout.text).toContain('usermanagement.config [enterprise] api_key (line 11)');
    expect(env.stdout.text + env.stderr.text).not.toContain('p8e-env-secret');
    expect(env.stdout.text).not.toContain('ini-secret');
  });

  it('a configuration error is exit 2 for a command that needs the client', async () => {
    await writeFile(
      join(dir, 'usermanagement.config'),
      walkthroughConfig.replace('org_id = 12345ABC@AdobeOrg', 'org_id ='),
    );
    const env = testEnvironment(new FakeClient(), { cwd: dir, env: {} });
    expect(await runCli(['users', 'list'], env)).toBe(2);
    expect(env.stderr.text).toContain('missing setting: organization id');
    expect(env.stderr.text).toContain('UMAPI_ORG_ID');
  });
});
