import type { UmapiError } from '@umapi-kit/client';
import {
  AbortError,
  ConnectionError,
  InternalServerError,
  RateLimitError,
  TimeoutError,
  UnavailableError,
  type ApiResponse,
} from '@umapi-kit/client';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer } from '../support/test-server.js';
import { startFixture, type Fixture } from '../support/umapi-fixture.js';

let fixture: Fixture | undefined;

afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const getUsers = { method: 'GET', path: '/users/12345ABC@AdobeOrg/0', endpointClass: 'userRead' } as const;
const postAction = {
  method: 'POST',
  path: '/action/12345ABC@AdobeOrg',
  endpointClass: 'action',
  body: [{ user: 'a@example.com', do: [{ removeFromOrg: {} }] }],
} as const;

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the request to fail');
    },
    (error: unknown) => error,
  );
}

describe('retry loop', () => {
  it('honours Retry-After as seconds and as an HTTP-date, with one X-Request-Id for all attempts', async () => {
    fixture = await startFixture();
    const { clock } = fixture;
    fixture.steps.push(
      {
        status: 429,
        headers: { 'Retry-After': '38' },
        body: { error_code: '429050', message: 'Too many requests' },
      },
      { status: 429, headers: { 'Retry-After': new Date(clock.now() + 38_000 + 90_000).toUTCString() } },
    );
    const response = await fixture.client.request(getUsers);

    expect(response.status).toBe(200);
    expect(response.attempts).toBe(3);
    expect(clock.sleeps).toEqual([38_000, 90_000]);
    expect(response.totalRetryDelayMs).toBe(128_000);
    const ids = new Set(fixture.umapiRequests().map((request) => request.headers['x-request-id']));
    expect([...ids]).toEqual([response.requestId]);
    expect(
      fixture.events.map((event) => [event.attempt, event.maxAttempts, event.reason, event.delayMs]),
    ).toEqual([
      [1, 4, 'rate-limited', 38_000],
      [2, 4, 'rate-limited', 90_000],
    ]);
    // Each attempt: its turn, its answer (counted when it came), and for a 429 the pause.
    expect(fixture.gateCalls).toEqual([
      'acquire:userRead',
      'answered:userRead',
      'throttled:userRead:38000',
      'acquire:userRead',
      'answered:userRead',
      'throttled:userRead:90000',
      'acquire:userRead',
      'answered:userRead',
    ]);
  });

  it('accepts decimal Retry-After seconds', async () => {
    // A backoff shorter than the Retry-After, so the wait is the Retry-After.
    fixture = await startFixture({ retry: { firstDelayMs: 100, randomMaxMs: 0 } });
    fixture.steps.push({ status: 429, headers: { 'Retry-After': '0.25' } });
    await fixture.client.request(getUsers);
    expect(fixture.clock.sleeps).toEqual([250]);
  });

  it('without pacing, backs off exponentially on 429s that each ask for a tiny wait', async () => {
    fixture = await startFixture({ pacing: false });
    fixture.clock.randomValue = 0.5;
    const throttled = { status: 429, headers: { 'Retry-After': '0.01' } };
    fixture.steps.push(throttled, throttled, throttled);
    const response = await fixture.client.request({
      method: 'POST',
      path: '/action/x',
      body: [],
      endpointClass: 'action',
    });
    expect(response.throttled).toBe(3);
    // Not 10 ms three times (attempts spent in a fraction of a second): 2^(n-1) × 3000 + floor(0.5 × 5001).
    expect(fixture.clock.sleeps).toEqual([5500, 8500, 14_500]);
    expect(fixture.events.map((event) => [event.reason, event.delayMs])).toEqual([
      ['rate-limited', 5500],
      ['rate-limited', 8500],
      ['rate-limited', 14_500],
    ]);
  });

  it('backs off exponentially with jitter on 502, 503 and 504', async () => {
    fixture = await startFixture();
    fixture.clock.randomValue = 0.5;
    fixture.steps.push({ status: 502 }, { status: 503 }, { status: 504 });
    const response = await fixture.client.request(getUsers);
    expect(response.attempts).toBe(4);
    // 2^(n-1) × 3000 + floor(0.5 × 5001)
    expect(fixture.clock.sleeps).toEqual([5500, 8500, 14_500]);
    expect(fixture.events.map((event) => event.reason)).toEqual([
      'server-unavailable',
      'server-unavailable',
      'server-unavailable',
    ]);
  });

  it('raises UnavailableError when the retries run out', async () => {
    fixture = await startFixture({ maxRetries: 2 });
    fixture.steps.push({ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 });
    const error = await failure(fixture.client.request(getUsers));
    expect(error).toBeInstanceOf(UnavailableError);
    const unavailable = error as UnavailableError;
    expect(unavailable.attempts).toBe(3);
    expect(unavailable.lastStatus).toBe(503);
    expect(unavailable.lastError).toBeInstanceOf(InternalServerError);
    expect(unavailable.totalRetryDelayMs).toBe(3000 + 6000);
    expect(unavailable.elapsedMs).toBe(9000);
    expect(unavailable.message).toMatch(/retries exhausted after 3 attempt/);
    expect(fixture.umapiRequests()).toHaveLength(3);
  });

  it('raises RateLimitError instead of waiting longer than maxRetryAfterMs', async () => {
    fixture = await startFixture({ retry: { maxRetryAfterMs: 60_000 } });
    fixture.steps.push({ status: 429, headers: { 'Retry-After': '600' } });
    const error = await failure(fixture.client.request(getUsers));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(600_000);
    expect((error as RateLimitError).attempts).toBe(1);
    expect((error as Error).message).toContain('longer than maxRetryAfterMs');
    expect(fixture.clock.sleeps).toEqual([]);
  });

  it('raises RateLimitError when the wait would pass the deadline', async () => {
    fixture = await startFixture({ deadlineMs: 10_000 });
    fixture.steps.push({ status: 429, headers: { 'Retry-After': '38' } });
    const error = await failure(fixture.client.request(getUsers));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as Error).message).toContain('deadline');
    expect(fixture.clock.sleeps).toEqual([]);
  });

  it('gives up with UnavailableError when a backoff would pass the deadline', async () => {
    fixture = await startFixture({ deadlineMs: 5000 });
    fixture.steps.push({ status: 502 }, { status: 502 });
    const error = await failure(fixture.client.request(getUsers));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).lastStatus).toBe(502);
    expect((error as Error).message).toContain('would pass the deadline');
    expect(fixture.clock.sleeps).toEqual([3000]);
    expect(fixture.umapiRequests()).toHaveLength(2);
  });

  it('times out a hanging attempt after timeoutMs and retries a GET', async () => {
    fixture = await startFixture({ timeoutMs: 50 });
    fixture.steps.push('hang');
    const response = await fixture.client.request(getUsers);
    expect(response.attempts).toBe(2);
    expect(fixture.events[0]?.reason).toBe('timeout');
    expect(fixture.clock.sleeps).toEqual([3000]);
  });

  it('does not re-send a POST that timed out: TimeoutError, maybe applied', async () => {
    fixture = await startFixture({ timeoutMs: 50 });
    fixture.steps.push('hang');
    const error = await failure(fixture.client.request(postAction));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).delivery).toBe('maybe-applied');
    expect((error as TimeoutError).attempts).toBe(1);
    expect(fixture.umapiRequests()).toHaveLength(1);
  });

  it('does not re-send a POST answered 503: InternalServerError, maybe applied', async () => {
    fixture = await startFixture();
    fixture.steps.push({ status: 503 });
    const error = await failure(fixture.client.request(postAction));
    expect(error).toBeInstanceOf(InternalServerError);
    expect((error as InternalServerError).delivery).toBe('maybe-applied');
    expect(fixture.umapiRequests()).toHaveLength(1);
  });

  it('never re-sends a POST after a reset by itself; resendAfter waits the next backoff and counts on', async () => {
    fixture = await startFixture();
    fixture.steps.push('reset');
    const lost = await failure(fixture.client.request(postAction));
    expect(lost).toBeInstanceOf(ConnectionError);
    expect((lost as ConnectionError).delivery).toBe('maybe-applied');
    expect(fixture.umapiRequests()).toHaveLength(1);
    // The caller reconciled it and sends (part of) it again.
    const response: ApiResponse = await fixture.client.request({
      ...postAction,
      resendAfter: lost as ConnectionError,
    });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(fixture.clock.sleeps).toEqual([3000]);
    expect(fixture.events.map((event) => [event.attempt, event.reason])).toEqual([[1, 'connection-error']]);
    expect(fixture.umapiRequests()).toHaveLength(2);
  });

  it('reports a 400 on a POST as answered: the server refused it, nothing to reconcile', async () => {
    fixture = await startFixture();
    fixture.steps.push({ status: 400, body: { result: 'error.command.malformed', message: 'Malformed' } });
    const error = await failure(fixture.client.request(postAction));
    expect((error as UmapiError).delivery).toBe('answered');
    expect(fixture.umapiRequests()).toHaveLength(1);
  });

  it('always retries a POST answered 429 (not applied)', async () => {
    fixture = await startFixture();
    fixture.steps.push({ status: 429, headers: { 'Retry-After': '2' } });
    const response = await fixture.client.request(postAction);
    expect(response.attempts).toBe(2);
    expect(response.throttled).toBe(1);
    expect(JSON.parse(fixture.umapiRequests()[1]?.body ?? '')).toEqual(postAction.body);
  });

  it('retries a POST whose connection was refused (never sent) and gives up with UnavailableError', async () => {
    fixture = await startFixture();
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const { UmapiClient } = await import('@umapi-kit/client');
    const client = new UmapiClient({
      orgId: '12345ABC@AdobeOrg',
      credentials: fixture.client.credentials,
      endpoint: `${closed.url}/v2/usermanagement`,
      clock: fixture.clock,
    });
    const error = await failure(client.request(postAction));
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).attempts).toBe(4);
    expect((error as UnavailableError).lastError).toBeInstanceOf(ConnectionError);
    expect((error as UnavailableError).delivery).toBe('not-sent');
    expect((error as Error).message).toContain('ECONNREFUSED');
  });

  it('stops with AbortError when the caller aborts during a wait', async () => {
    fixture = await startFixture();
    const controller = new AbortController();
    fixture.steps.push({ status: 503 });
    const originalSleep = fixture.clock.sleep.bind(fixture.clock);
    fixture.clock.sleep = (ms, signal) => {
      controller.abort();
      return originalSleep(ms, signal);
    };
    const error = await failure(fixture.client.request({ ...getUsers, signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
    expect(fixture.umapiRequests()).toHaveLength(1);
  });
});
