import { AbortError, TokenCache, type AccessToken, type Credentials } from '@umapi-kit/client';
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
