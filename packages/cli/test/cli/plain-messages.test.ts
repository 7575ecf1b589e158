import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { generateKeyPairSync } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthServerToServer, UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { describeError } from '../../src/cli/error-report.js';
import { closestVariable } from '../../src/config/unknown-variables.js';
import { umapiInFolder } from '../support/umapi-in-folder.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-messages-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** No client option names, request paths or OpenSSL text in what an admin reads. */
function expectPlain(text: string): void {
  expect(text).not.toMatch(/GET \/|%40AdobeOrg|failed: HTTP|ssl3_|openssl|privateKey\b|maxRetryAfterMs/);
}

describe('errors an admin reads are in their terms', () => {
  it('an unknown group is named, with where to find the right one', async () => {
    const result = await umapiInFolder(emulator, dir, ['users', 'list', '--group', 'NoSuch']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error: no user group or product profile is named "NoSuch" ('umapi groups list' shows them)`,
    );
    expectPlain(result.stderr);
  });

  it('https:// to a plain-HTTP server says so and what to change', async () => {
    const https = emulator.umapiUrl.replace(/^http:/, 'https:');
    const demo = emulator.demo!;
    const client = new UmapiClient({
      orgId: demo.orgId,
      credentials: oauthServerToServer({
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        imsUrl: emulator.imsUrl,
      }),
      endpoint: https,
      maxRetries: 0,
    });
    const error = await client.users
      .list()
      .toArray({ all: true })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    const report = describeError(error);
    expect(report.message).toMatch(
      /^cannot connect to UMAPI.*: the server there speaks plain HTTP, not HTTPS/,
    );
    expect(report.message).toContain('use an http:// URL');
    expectPlain(report.message);
  });

  it('a private key the client cannot use names the file and its setting, not the library option', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    await writeFile(join(dir, 'ed.pem'), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const result = await umapiInFolder(emulator, dir, ['users', 'list', '--limit', '1'], {
      env: {
        UMAPI_AUTH_METHOD: 'jwt',
        UMAPI_TECH_ACCT: emulator.demo!.technicalAccountId,
        UMAPI_PRIVATE_KEY_FILE: join(dir, 'ed.pem'),
      },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      `error: the private key file ${join(dir, 'ed.pem')} (env UMAPI_PRIVATE_KEY_FILE) is a ed25519 key`,
    );
    expectPlain(result.stderr);
  });
});

describe('typos in settings are named with the closest known name', () => {
  it('an unknown UMAPI_* variable in the environment or .env is a warning naming the one meant', async () => {
    const folder = await mkdtemp(join(dir, 'dotenv-'));
    await writeFile(join(folder, '.env'), '# settings\nUMAPI_IMS_URLL=https://ims.example.com\n');
    const result = await umapiInFolder(emulator, folder, ['users', 'list', '--limit', '1'], {
      env: { UMAPI_ORGID: 'x', UMAPI_WHATEVER: '1' },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      'warning: UMAPI_ORGID (environment) is not a umapi setting and is ignored; did you mean UMAPI_ORG_ID?',
    );
    expect(result.stderr).toContain('warning: UMAPI_IMS_URLL (.env:2) is not a umapi setting');
    expect(result.stderr).toContain('did you mean UMAPI_IMS_URL?');
    expect(result.stderr).toMatch(
      /UMAPI_WHATEVER \(environment\) is not a umapi setting and is ignored; the settings/,
    );
  });

  it('suggests only a name that is close', () => {
    expect(closestVariable('UMAPI_CLIENTSECRET')).toBe('UMAPI_CLIENT_SECRET');
    expect(closestVariable('UMAPI_PRIVATE_KEY')).toBe('UMAPI_PRIVATE_KEY_FILE');
    expect(closestVariable('UMAPI_COLOUR_THEME')).toBeUndefined();
  });
});
