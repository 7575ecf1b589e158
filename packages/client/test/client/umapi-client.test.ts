import {
  AuthenticationError,
  BadRequestError,
  oauthServerToServer,
  UmapiClient,
  ValidationError,
  VERSION,
} from '@umapi-kit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { errorText } from '../support/capture-logger.js';
import { CLIENT_SECRET, ORG_ID, startFixture, type Fixture } from '../support/umapi-fixture.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('UmapiClient', () => {
  it('sends the auth, id and content headers, and builds the URL with its query', async () => {
    fixture = await startFixture({ userAgent: 'my-sync/2.0' });
    const get = await fixture.client.request({
      method: 'GET',
      path: '/users/12345ABC@AdobeOrg/0',
      query: { directOnly: 'false', domain: undefined },
      endpointClass: 'userRead',
    });
    const post = await fixture.client.request({
      method: 'POST',
      path: '/action/12345ABC@AdobeOrg',
      body: [{ user: 'a@example.com' }],
      endpointClass: 'action',
    });
    const [getRequest, postRequest] = fixture.umapiRequests();
    expect(getRequest?.url).toBe('/v2/usermanagement/users/12345ABC@AdobeOrg/0?directOnly=false');
    expect(getRequest?.headers.authorization).toBe('Bearer access-1');
    expect(getRequest?.headers['x-api-key']).toBe('client-1');
    expect(getRequest?.headers.accept).toBe('application/json');
    expect(getRequest?.headers['content-type']).toBeUndefined();
    expect(getRequest?.headers['user-agent']).toBe(
      `my-sync/2.0 umapi-kit/${VERSION} node/${process.versions.node}`,
    );
    expect(getRequest?.headers['x-request-id']).toBe(get.requestId);
    expect(postRequest?.headers['content-type']).toBe('application/json');
    expect(postRequest?.headers.authorization).toBe('Bearer access-1');
    expect(JSON.parse(postRequest?.body ?? '')).toEqual([{ user: 'a@example.com' }]);
    expect(post.requestId).not.toBe(get.requestId);
    expect(get.body).toEqual({ result: 'success' });
    expect(get.attempts).toBe(1);
    expect(fixture.imsRequests()).toHaveLength(1);
  });

  it('on a 401 fetches a new token and retries once, without using a throttling retry', async () => {
    fixture = await startFixture({ maxRetries: 0 });
    fixture.steps.push({ status: 401 });
    const response = await fixture.client.request({
      method: 'GET',
      path: '/groups/x/0',
      endpointClass: 'groupRead',
    });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(fixture.imsRequests()).toHaveLength(2);
    expect(fixture.umapiRequests().map((request) => request.headers.authorization)).toEqual([
      'Bearer access-1',
      'Bearer access-2',
    ]);
    expect(fixture.events.map((event) => [event.reason, event.delayMs])).toEqual([['unauthorized', 0]]);
    expect(fixture.clock.sleeps).toEqual([]);
  });

  it('concurrent 401s share one token refresh', async () => {
    fixture = await startFixture();
    const get = { method: 'GET', path: '/groups/x/0', endpointClass: 'groupRead' } as const;
    await fixture.client.getAccessToken();
    fixture.steps.push({ status: 401 }, { status: 401 }, { status: 401 });
    const responses = await Promise.all([
      fixture.client.request(get),
      fixture.client.request(get),
      fixture.client.request(get),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
    expect(fixture.imsRequests()).toHaveLength(2);
    expect(
      fixture
        .umapiRequests()
        .slice(3)
        .map((request) => request.headers.authorization),
    ).toEqual(['Bearer access-2', 'Bearer access-2', 'Bearer access-2']);
  });

  it('a second 401 raises AuthenticationError', async () => {
    fixture = await startFixture();
    fixture.steps.push({ status: 401 }, { status: 401, body: { result: 'error.unauthorized' } });
    const error = await fixture.client
      .request({ method: 'GET', path: '/groups/x/0', endpointClass: 'groupRead' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).attempts).toBe(2);
    expect((error as Error).message).toMatch(/refused even after getting a new one/);
    expect(fixture.imsRequests()).toHaveLength(2);
  });

  it('does not retry other 4xx; acceptStatuses returns them as responses', async () => {
    fixture = await startFixture();
    fixture.steps.push(
      { status: 400, body: { result: 'error.organization.invalid_id', message: 'Bad organization Id' } },
      { status: 404, body: { result: 'error.user.nonexistent' } },
    );
    const error = await fixture.client
      .request({ method: 'GET', path: '/users/x/0', endpointClass: 'userRead' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    const badRequest = error as BadRequestError;
    expect(badRequest.status).toBe(400);
    expect(badRequest.errorCode).toBe('error.organization.invalid_id');
    expect(badRequest.path).toBe('/users/x/0');
    expect(badRequest.message).toContain('Bad organization Id');
    expect(fixture.umapiRequests()).toHaveLength(1);

    const notFound = await fixture.client.request({
      method: 'GET',
      path: '/organizations/x/users/nobody@example.com',
      endpointClass: 'userRead',
      acceptStatuses: [404],
    });
    expect(notFound.status).toBe(404);
    expect(notFound.body).toEqual({ result: 'error.user.nonexistent' });
  });

  it('concurrent requests and getAccessToken share one IMS token request', async () => {
    fixture = await startFixture();
    const get = { method: 'GET', path: '/groups/x/0', endpointClass: 'groupRead' } as const;
    const [token] = await Promise.all([
      fixture.client.getAccessToken(),
      fixture.client.request(get),
      fixture.client.request(get),
      fixture.client.request(get),
    ]);
    expect(token.accessToken).toBe('access-1');
    expect(token.expiresAt).toBe(fixture.clock.now() + 86_399_000);
    expect(fixture.imsRequests()).toHaveLength(1);
  });

  it('logs each attempt at debug and each retry at warn, with no secret anywhere', async () => {
    fixture = await startFixture();
    fixture.steps.push(
      { status: 429, headers: { 'Retry-After': '1' } },
      { status: 400, body: { message: `bad token access-1 and client_secret=${CLIENT_SECRET}` } },
    );
    const error = await fixture.client
      .request({ method: 'GET', path: '/users/x/0', endpointClass: 'userRead' })
      .catch((caught: unknown) => caught);
    const debug = fixture.logger.lines.filter((line) => line.level === 'debug');
    expect(debug).toHaveLength(2);
    expect(debug[0]?.fields).toMatchObject({ method: 'GET', path: '/users/x/0', status: 429, attempt: 1 });
    expect(debug[1]?.fields).toMatchObject({ status: 400, attempt: 2 });
    expect(debug[0]?.fields?.['requestId']).toBe(fixture.umapiRequests()[0]?.headers['x-request-id']);
    const warn = fixture.logger.lines.filter((line) => line.level === 'warn');
    expect(warn).toHaveLength(1);
    // Retry-After 1 s, but no sooner than the first backoff (3 s + jitter).
    expect(warn[0]?.fields).toMatchObject({ reason: 'rate-limited', delayMs: 3000 });
    for (const text of [fixture.logger.text(), errorText(error)]) {
      expect(text).not.toContain(CLIENT_SECRET);
      expect(text).not.toContain('access-1');
    }
  });

  it('status() reads GET /status on the endpoint host without auth', async () => {
    fixture = await startFixture();
    expect(await fixture.client.status()).toEqual({ build: '1', version: '2.1.54', state: 'LIVE' });
    const request = fixture.server.requests.find((recorded) => recorded.url === '/status');
    expect(request?.headers.authorization).toBeUndefined();
    expect(fixture.imsRequests()).toHaveLength(0);
  });

  it('exposes orgId and testOnly and refuses bad options with a ValidationError naming them', () => {
    const credentials = oauthServerToServer({ clientId: 'c', clientSecret: CLIENT_SECRET });
    const client = new UmapiClient({ orgId: ORG_ID, credentials, testOnly: true });
    expect(client.orgId).toBe(ORG_ID);
    expect(client.testOnly).toBe(true);
    expect(() => new UmapiClient({ orgId: '12345', credentials })).toThrow(ValidationError);
    expect(() => new UmapiClient({ orgId: ORG_ID, credentials, endpoint: 'nope' })).toThrow(/endpoint/);
    expect(() => new UmapiClient({ orgId: ORG_ID, credentials, maxRetries: -1 })).toThrow(/maxRetries/);
    expect(() => new UmapiClient({ orgId: ORG_ID, credentials, timeoutMs: 0 })).toThrow(/timeoutMs/);
  });
});
