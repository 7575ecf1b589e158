import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImsError, serviceAccountJwt, ValidationError } from '@umapi-kit/client';
import { jwtVerify } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { errorText } from '../support/capture-logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { sendJson, startTestServer, type TestServer } from '../support/test-server.js';

const SECRET = 'jwt-client-secret-77aa';
const PASSPHRASE = 'correct horse battery';

let publicKey: KeyObject;
let pkcs1: string;
let pkcs8: string;
let encrypted: string;
let otherPkcs8: string;
let dir: string;
let server: TestServer | undefined;

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  publicKey = pair.publicKey;
  pkcs1 = pair.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  pkcs8 = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  encrypted = pair.privateKey
    .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE })
    .toString();
  otherPkcs8 = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  dir = mkdtempSync(join(tmpdir(), 'umapi-jwt-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** An IMS exchange endpoint that checks the form and verifies the JWT like IMS would. */
async function startIms(clock: FakeClock): Promise<TestServer> {
  return startTestServer(async (request, response) => {
    const form = new URLSearchParams(request.body);
    if (
      request.url !== '/ims/exchange/jwt' ||
      form.get('client_id') !== 'client-9' ||
      form.get('client_secret') !== SECRET
    ) {
      sendJson(response, 401, { error: 'invalid_client', error_description: 'bad client' });
      return;
    }
    const host = request.headers.host ?? '';
    try {
      const { payload, protectedHeader } = await jwtVerify(form.get('jwt_token') ?? '', publicKey, {
        issuer: 'ORG1@AdobeOrg',
        subject: 'TECH1@techacct.adobe.com',
        audience: `https://${host}/c/client-9`,
        currentDate: new Date(clock.now()),
      });
      if (protectedHeader.alg !== 'RS256' || payload[`https://${host}/s/ent_user_sdk`] !== true) {
        sendJson(response, 400, { error: 'invalid_scope', error_description: 'metascope missing' });
        return;
      }
      sendJson(response, 200, {
        token_type: 'bearer',
        access_token: 'jwt-access-token-1',
        expires_in: 86_399_992,
      });
    } catch {
      sendJson(response, 400, { error: 'invalid_signature', error_description: 'signature check failed' });
    }
  });
}

function options(url: string, clock: FakeClock) {
  return {
    clientId: 'client-9',
    clientSecret: SECRET,
    orgId: 'ORG1@AdobeOrg',
    technicalAccountId: 'TECH1@techacct.adobe.com',
    imsUrl: url,
    clock,
  };
}

describe('serviceAccountJwt', () => {
  it.each([
    ['PKCS#1', () => ({ privateKey: pkcs1 })],
    ['PKCS#8', () => ({ privateKey: pkcs8 })],
    ['encrypted PKCS#8', () => ({ privateKey: encrypted, passphrase: PASSPHRASE })],
  ])('signs a JWT with a %s key that IMS verifies; expires_in is milliseconds', async (_name, key) => {
    const clock = new FakeClock();
    server = await startIms(clock);
    const credentials = serviceAccountJwt({ ...options(server.url, clock), ...key() });
    const token = await credentials.getToken();
    expect(token).toEqual({ accessToken: 'jwt-access-token-1', expiresAt: clock.now() + 86_399_992 });
    expect(credentials.kind).toBe('service-account-jwt');
  });

  it('sets exp from the injected clock and jwtLifetimeSeconds', async () => {
    const clock = new FakeClock();
    server = await startIms(clock);
    await serviceAccountJwt({
      ...options(server.url, clock),
      privateKey: pkcs8,
      jwtLifetimeSeconds: 600,
    }).getToken();
    const jwt = new URLSearchParams(server.requests[0]?.body).get('jwt_token') ?? '';
    const payload = JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString()) as {
      exp: number;
    };
    expect(payload.exp).toBe(Math.floor(clock.now() / 1000) + 600);
  });

  it('reads the key from privateKeyFile', async () => {
    const clock = new FakeClock();
    server = await startIms(clock);
    const file = join(dir, 'private.key');
    writeFileSync(file, pkcs1);
    const token = await serviceAccountJwt({ ...options(server.url, clock), privateKeyFile: file }).getToken();
    expect(token.accessToken).toBe('jwt-access-token-1');
  });

  it('explains invalid_signature (wrong key) without leaking the key, secret or JWT', async () => {
    const clock = new FakeClock();
    server = await startIms(clock);
    const error = await serviceAccountJwt({ ...options(server.url, clock), privateKey: otherPkcs8 })
      .getToken()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ImsError);
    expect((error as ImsError).error).toBe('invalid_signature');
    expect((error as Error).message).toContain('private key does not match the certificate');
    const text = errorText(error);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain(new URLSearchParams(server.requests[0]?.body).get('jwt_token'));
  });

  it('explains invalid_token as a clock problem', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 400, { error: 'invalid_token', error_description: 'JWT token is expired' });
    });
    const clock = new FakeClock();
    await expect(
      serviceAccountJwt({ ...options(server.url, clock), privateKey: pkcs8 }).getToken(),
    ).rejects.toThrow(/check this machine's clock/);
  });

  it('says a passphrase is wrong or missing', () => {
    const clock = new FakeClock();
    const base = options('https://ims.example.test', clock);
    expect(() => serviceAccountJwt({ ...base, privateKey: encrypted, passphrase: 'nope' })).toThrow(
      /^passphrase is wrong: the private key could not be decrypted/,
    );
    expect(() => serviceAccountJwt({ ...base, privateKey: encrypted })).toThrow(
      /^passphrase is required: the private key is encrypted/,
    );
  });

  it('names an unreadable or unparsable key file without echoing its contents', () => {
    const clock = new FakeClock();
    const base = options('https://ims.example.test', clock);
    const missing = join(dir, 'missing.key');
    expect(() => serviceAccountJwt({ ...base, privateKeyFile: missing })).toThrow(
      `privateKeyFile ${missing} cannot be used: it does not exist`,
    );
    const garbled = join(dir, 'garbled.key');
    const contents = '-----BEGIN PRIVATE KEY-----\nZm9vYmFyc2VjcmV0\n-----END PRIVATE KEY-----\n';
    writeFileSync(garbled, contents);
    let error: unknown;
    try {
      serviceAccountJwt({ ...base, privateKeyFile: garbled });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).path).toBe('privateKeyFile');
    expect((error as Error).message).toContain(garbled);
    expect(errorText(error)).not.toContain('Zm9vYmFyc2VjcmV0');
    const notPem = join(dir, 'not-pem.key');
    writeFileSync(notPem, 'hello');
    expect(() => serviceAccountJwt({ ...base, privateKeyFile: notPem })).toThrow(/not a PEM private key/);
  });

  it('requires a key', () => {
    expect(() => serviceAccountJwt(options('https://ims.example.test', new FakeClock()))).toThrow(
      /privateKey .* or privateKeyFile/,
    );
  });
});
