import {
  ConnectionError,
  ImsError,
  oauthServerToServer,
  TimeoutError,
  ValidationError,
} from '@umapi-kit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../support/capture-logger.js';
import { FakeClock } from '../support/fake-clock.js';
import { sendJson, startTestServer, type TestServer } from '../support/test-server.js';

const SECRET = 'p8e-s3cr3t-value-9f2a';
let server: TestServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('oauthServerToServer', () => {
  it('posts the client_credentials form and reads expires_in as seconds', async () => {
    server = await startTestServer((request, response) => {
      sendJson(response, 200, {
        access_token: 'eyAccess.token.value',
        token_type: 'bearer',
        expires_in: 86399,
      });
    });
    const clock = new FakeClock();
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
      clock,
    });
    const token = await credentials.getToken();

    expect(token).toEqual({ accessToken: 'eyAccess.token.value', expiresAt: clock.now() + 86_399_000 });
    const [request] = server.requests;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/ims/token/v3');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(request?.body);
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'client-1',
      client_secret: SECRET,
      scope: 'openid,AdobeID,user_management_sdk',
    });
    expect(credentials.kind).toBe('oauth-server-to-server');
    expect(JSON.stringify(credentials.describe())).not.toContain(SECRET);
  });

  it('uses the configured token path and scopes', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, { access_token: 'tok-abc', expires_in: 60 });
    });
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
      tokenPath: '/ims/token/v2',
      scopes: ['openid', 'custom_scope'],
    });
    await credentials.getToken();
    expect(server.requests[0]?.url).toBe('/ims/token/v2');
    expect(new URLSearchParams(server.requests[0]?.body).get('scope')).toBe('openid,custom_scope');
  });

  it('turns invalid_client into an ImsError that points at the client secret, without the secret', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 401, {
        error: 'invalid_client',
        error_description: 'invalid client_secret parameter',
      });
    });
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
    });
    const error = await credentials.getToken().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ImsError);
    const ims = error as ImsError;
    expect(ims.status).toBe(401);
    expect(ims.error).toBe('invalid_client');
    expect(ims.errorDescription).toBe('invalid client_secret parameter');
    expect(ims.message).toContain('client_secret');
    expect(ims.message).toContain('UMAPI_CLIENT_SECRET');
    expect(errorText(error)).not.toContain(SECRET);
  });

  it('turns invalid_scope into an actionable ImsError', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 400, { error: 'invalid_scope', error_description: 'scope not allowed' });
    });
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
    });
    await expect(credentials.getToken()).rejects.toThrow(/User Management API/);
  });

  it('raises ImsError when a 200 has no access_token', async () => {
    server = await startTestServer((_request, response) => {
      sendJson(response, 200, { token_type: 'bearer' });
    });
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
    });
    await expect(credentials.getToken()).rejects.toThrow(ImsError);
  });

  it('raises ConnectionError when IMS cannot be reached', async () => {
    const closed = await startTestServer(() => undefined);
    const url = closed.url;
    await closed.close();
    const credentials = oauthServerToServer({ clientId: 'client-1', clientSecret: SECRET, imsUrl: url });
    const error = await credentials.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('could not reach Adobe IMS');
    expect(errorText(error)).not.toContain(SECRET);
  });

  it('raises TimeoutError when IMS does not answer within timeoutMs', async () => {
    server = await startTestServer(() => undefined);
    const credentials = oauthServerToServer({
      clientId: 'client-1',
      clientSecret: SECRET,
      imsUrl: server.url,
      timeoutMs: 50,
    });
    const error = await credentials.getToken().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toContain('did not answer within 50 ms');
  });

  it('refuses missing fields with a ValidationError naming them', () => {
    expect(() => oauthServerToServer({ clientId: '', clientSecret: SECRET })).toThrow(ValidationError);
    expect(() => oauthServerToServer({ clientId: 'c', clientSecret: '' })).toThrow(/clientSecret/);
    expect(() => oauthServerToServer({ clientId: 'c', clientSecret: SECRET, imsUrl: 'not a url' })).toThrow(
      /imsUrl/,
    );
  });
});
