import {
  AbortError,
  ConnectionError,
  ImsError,
  TimeoutError,
  UnavailableError,
  type AccessToken,
  type Credentials,
  type RetryEvent,
} from '@umapi-kit/client';
import { TokenCache } from '../../src/auth/token-cache.js';
import { retryPolicy } from '../../src/transport/retry-policy.js';
import { describe, expect, it } from 'vitest';
import { FakeClock } from '../support/fake-clock.js';

/** Credentials whose token requests the test resolves by hand. */
function manualCredentials(clock: FakeClock, lifetimeMs = 3_600_000) {
  const pending: ((token: AccessToken) => void)[] = [];
  let issued = 0;
  const credentials: Credentials = {
    kind: 'oauth-server-to-server',
    clientId: 'client-1',
    getToken: () =>
      new Promise<AccessToken>((resolve) => {
        pending.push(resolve);
      }),
    describe: () => ({}),
    secrets: () => [],
  };
  const issue = (): void => {
    issued += 1;
    const resolve = pending.shift();
    resolve?.({ accessToken: `token-${issued}`, expiresAt: clock.now() + lifetimeMs });
  };
  return { credentials, pending, issue };
}

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('TokenCache', () => {
  it('shares one in-flight request between concurrent callers', async () => {
    const clock = new FakeClock();
    const { credentials, pending, issue } = manualCredentials(clock);
    const cache = new TokenCache(credentials, { clock });
    const calls = [cache.getToken(), cache.getToken(), cache.getToken()];
    expect(pending).toHaveLength(1);
    issue();
    const tokens = await Promise.all(calls);
    expect(tokens.map((token) => token.accessToken)).toEqual(['token-1', 'token-1', 'token-1']);
    expect((await cache.getToken()).accessToken).toBe('token-1');
    expect(pending).toHaveLength(0);
  });

  it('serves the cached token, refreshes in the background near expiry, and blocks when almost expired', async () => {
    const clock = new FakeClock();
    const { credentials, pending, issue } = manualCredentials(clock, 600_000);
    const cache = new TokenCache(credentials, { clock });
    const first = cache.getToken();
    issue();
    expect((await first).accessToken).toBe('token-1');

    clock.advance(600_000 - 121_000); // 121 s left: served as is
    expect((await cache.getToken()).accessToken).toBe('token-1');
    expect(pending).toHaveLength(0);

    clock.advance(60_000); // 61 s left: served, refresh starts in the background
    expect((await cache.getToken()).accessToken).toBe('token-1');
    expect(pending).toHaveLength(1);
    issue();
    await flush();
    expect((await cache.getToken()).accessToken).toBe('token-2');

    clock.advance(600_000 - 20_000); // 20 s left: wait for a new token
    let settled = false;
    const blocked = cache.getToken().then((token) => {
      settled = true;
      return token;
    });
    await flush();
    expect(settled).toBe(false);
    issue();
    expect((await blocked).accessToken).toBe('token-3');
  });

  it('invalidate() makes the next call fetch a new token', async () => {
    const clock = new FakeClock();
    const { credentials, pending, issue } = manualCredentials(clock);
    const cache = new TokenCache(credentials, { clock });
    const first = cache.getToken();
    issue();
    await first;
    cache.invalidate();
    const second = cache.getToken();
    expect(pending).toHaveLength(1);
    issue();
    expect((await second).accessToken).toBe('token-2');
  });

  it('a failed refresh is not cached: the next caller tries again', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const credentials: Credentials = {
      kind: 'oauth-server-to-server',
      clientId: 'c',
      getToken: () => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('ims down'))
          : Promise.resolve({ accessToken: 'ok', expiresAt: clock.now() + 3_600_000 });
      },
      describe: () => ({}),
      secrets: () => [],
    };
    const cache = new TokenCache(credentials, { clock });
    await expect(cache.getToken()).rejects.toThrow('ims down');
    expect((await cache.getToken()).accessToken).toBe('ok');
  });

  it("a caller's abort ends its own wait only", async () => {
    const clock = new FakeClock();
    const { credentials, issue } = manualCredentials(clock);
    const cache = new TokenCache(credentials, { clock });
    const controller = new AbortController();
    const aborted = cache.getToken(controller.signal);
    const other = cache.getToken();
    controller.abort();
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    issue();
    expect((await other).accessToken).toBe('token-1');
  });
});

/** Credentials that fail with the given errors first, then issue tokens of `lifetimeMs`. */
function failingCredentials(clock: FakeClock, failures: Error[], lifetimeMs = 3_600_000) {
  let calls = 0;
  const credentials: Credentials = {
    kind: 'oauth-server-to-server',
    clientId: 'c',
    getToken: () => {
      calls += 1;
      const failure = failures.shift();
      return failure === undefined
        ? Promise.resolve({ accessToken: `token-${calls}`, expiresAt: clock.now() + lifetimeMs })
        : Promise.reject(failure);
    },
    describe: () => ({}),
    secrets: () => [],
  };
  return { credentials, calls: () => calls };
}

const imsDown = (status = 503) =>
  new ImsError(`Adobe IMS refused the token request (HTTP ${status})`, { status });

describe('TokenCache and IMS outages', () => {
  it('retries 5xx, timeouts and connection errors from IMS with the UMAPI policy', async () => {
    const clock = new FakeClock();
    const { credentials, calls } = failingCredentials(clock, [
      imsDown(503),
      new TimeoutError('Adobe IMS did not answer within 30000 ms', 30_000),
      new ConnectionError('could not reach Adobe IMS', { delivery: 'not-sent' }),
    ]);
    const events: RetryEvent[] = [];
    const cache = new TokenCache(credentials, {
      clock,
      policy: retryPolicy({ randomMaxMs: 0 }, 3),
      onRetry: (event) => events.push(event),
    });
    expect((await cache.getToken()).accessToken).toBe('token-4');
    expect(calls()).toBe(4);
    expect(clock.sleeps).toEqual([3000, 6000, 12_000]);
    expect(events.map((event) => [event.reason, event.status])).toEqual([
      ['server-unavailable', 503],
      ['timeout', undefined],
      ['connection-error', undefined],
    ]);
  });

  it('reports exhausted IMS retries as IMS being unavailable, not as refused credentials', async () => {
    const clock = new FakeClock();
    const { credentials } = failingCredentials(clock, [imsDown(), imsDown(), imsDown(502)]);
    const cache = new TokenCache(credentials, { clock, policy: retryPolicy({ randomMaxMs: 0 }, 2) });
    const error = await cache.getToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).not.toBeInstanceOf(ImsError);
    expect(error).toMatchObject({ service: 'ims', attempts: 3, lastStatus: 502, delivery: 'not-sent' });
    expect((error as Error).message).toMatch(/^Adobe IMS is unavailable: no access token after 3 attempt/);
  });

  it('raises a refusal (4xx) at once', async () => {
    const clock = new FakeClock();
    const refused = new ImsError('the client secret was rejected', { status: 401, error: 'invalid_client' });
    const { credentials, calls } = failingCredentials(clock, [refused]);
    const cache = new TokenCache(credentials, { clock });
    await expect(cache.getToken()).rejects.toBe(refused);
    expect(calls()).toBe(1);
  });

  it('backs off after a failed background refresh instead of asking IMS on every call', async () => {
    const clock = new FakeClock();
    const failures: Error[] = [];
    const { credentials, calls } = failingCredentials(clock, failures, 600_000);
    const cache = new TokenCache(credentials, { clock, policy: retryPolicy({ randomMaxMs: 0 }, 0) });
    await cache.getToken();
    expect(calls()).toBe(1);
    // IMS goes down; the token has 61 s left, so each call would start a background refresh.
    const down = imsDown();
    failures.push(...Array.from({ length: 20 }, () => down));
    clock.advance(600_000 - 61_000);
    for (let i = 0; i < 10; i += 1) {
      expect((await cache.getToken()).accessToken).toBe('token-1');
      await flush();
    }
    expect(calls()).toBe(2);
    clock.advance(3000); // the first backoff has passed: one more try, and IMS is back
    failures.length = 0;
    await cache.getToken();
    await flush();
    expect(calls()).toBe(3);
    expect((await cache.getToken()).accessToken).toBe('token-3');
  });
});
