import { afterEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator, EmulatorOptions } from '../../src/index.js';
import { resolveLimits } from '../../src/throttle/limits.js';
import { SlidingWindowThrottle, formatRetryAfter } from '../../src/throttle/sliding-window-throttle.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);

describe('throttling (sliding window, injected clock)', () => {
  let clock = START;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    clock = START;
  });

  async function setup(
    options: EmulatorOptions = {},
  ): Promise<(kind?: 'action' | 'groups') => Promise<Response>> {
    emulator = await startEmulator({ listen: false, now: () => clock, ...options });
    const em = emulator;
    const demo = requireDemo(em);
    const token = await demoToken(em);
    return (kind = 'action') =>
      kind === 'action'
        ? em.fetch(`${em.umapiUrl}/action/${demo.orgId}?testOnly=true`, {
            method: 'POST',
            headers: umapiHeaders(token, demo.clientId, {
              'Content-Type': 'application/json',
              'X-Request-Id': 'thr',
            }),
            body: JSON.stringify([
              { user: 'ben.designer@example.com', do: [{ add: { group: ['Designers'] } }] },
            ]),
          })
        : em.fetch(`${em.umapiUrl}/groups/${demo.orgId}/0`, { headers: umapiHeaders(token, demo.clientId) });
  }

  it('answers the 11th action request within a minute with 429 and the seconds until a slot frees', async () => {
    const call = await setup();
    for (let i = 0; i < 10; i += 1) {
      clock = START + i * 1000;
      expect((await call()).status).toBe(200);
    }
    clock = START + 21_400;
    const refused = await call();
    expect(refused.status).toBe(429);
    // The first request (t=0) leaves the window at t=60 s: 38.6 s from now, rounded up.
    expect(refused.headers.get('retry-after')).toBe('39');
    expect(refused.headers.get('x-request-id')).toBe('thr');
    expect(await refused.json()).toEqual({ error_code: '429050', message: 'Too many requests' });
    clock = START + 59_999;
    expect((await call()).status).toBe(429);
    clock = START + 60_000;
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(429);
  });

  it('keeps separate budgets per endpoint class (groups: 5 per minute)', async () => {
    const call = await setup();
    for (let i = 0; i < 5; i += 1) expect((await call('groups')).status).toBe(200);
    expect((await call('groups')).status).toBe(429);
    expect((await call('action')).status).toBe(200);
  });

  it('scales time: at --time-scale 60 a minute lasts a second and Retry-After is decimal seconds', async () => {
    const call = await setup({ timeScale: 60 });
    for (let i = 0; i < 10; i += 1) expect((await call()).status).toBe(200);
    clock = START + 366;
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('0.634');
    clock = START + 1000;
    expect((await call()).status).toBe(200);
  });

  it('sends Retry-After as an HTTP-date when configured', async () => {
    const call = await setup({ limits: { retryAfterFormat: 'date', action: { perClient: 1, global: 100 } } });
    expect((await call()).status).toBe(200);
    clock = START + 500;
    const refused = await call();
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe(new Date(START + 60_000).toUTCString());
  });

  it('sends at least minRetryAfterSeconds as Retry-After (in scaled seconds), the exact wait when longer', async () => {
    const oneAction = { perClient: 1, global: 100 };
    let call = await setup({ limits: { action: oneAction, minRetryAfterSeconds: 120 } });
    expect((await call()).status).toBe(200);
    clock = START + 500;
    const penalised = await call();
    expect(penalised.status).toBe(429);
    expect(penalised.headers.get('retry-after')).toBe('120');
    await emulator?.close();

    clock = START;
    call = await setup({ limits: { action: oneAction, minRetryAfterSeconds: 5 } });
    expect((await call()).status).toBe(200);
    clock = START + 500;
    expect((await call()).headers.get('retry-after')).toBe('60');
    await emulator?.close();

    clock = START;
    call = await setup({ timeScale: 60, limits: { action: oneAction, minRetryAfterSeconds: 120 } });
    expect((await call()).status).toBe(200);
    expect((await call()).headers.get('retry-after')).toBe('2.000');
  });

  it('does not count rejected requests, and limits: off disables throttling', async () => {
    const call = await setup({ limits: { action: { perClient: 2, global: 100 } } });
    expect((await call()).status).toBe(200);
    clock = START + 30_000;
    expect((await call()).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await call()).status).toBe(429);
    clock = START + 60_000;
    expect((await call()).status).toBe(200);
    await emulator?.close();
    const unlimited = await setup({ limits: 'off' });
    for (let i = 0; i < 30; i += 1) expect((await unlimited()).status).toBe(200);
  });
});

describe('throttling counts a request when it arrives', () => {
  it('a slow (latency-faulted) page counts at its arrival, not when its answer is ready', async () => {
    let clock = START;
    const emulator = await startEmulator({
      listen: false,
      now: () => clock,
      limits: { userRead: { perClient: 1, global: 100 } },
      faults: { rules: [{ endpoint: 'userRead', fault: 'latency', latencyMs: 1000, on: [1] }] },
    });
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      const demo = requireDemo(emulator);
      const token = await demoToken(emulator);
      const page = (): Promise<Response> =>
        emulator.fetch(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
          headers: umapiHeaders(token, demo.clientId),
        });
      const slow = page();
      await vi.advanceTimersByTimeAsync(0); // arrived, admitted, now held by the latency fault
      clock = START + 30_000; // the slow page takes 30 (emulated) seconds to answer
      await vi.advanceTimersByTimeAsync(1000);
      expect((await slow).status).toBe(200);
      clock = START + 59_999;
      const early = await page();
      expect(early.status).toBe(429);
      // The slow page arrived at START, so its slot frees at START + 60 s: 1 ms from now, rounded up.
      expect(early.headers.get('retry-after')).toBe('1');
      clock = START + 60_000;
      expect((await page()).status).toBe(200);
    } finally {
      vi.useRealTimers();
      await emulator.close();
    }
  });
});

describe('SlidingWindowThrottle', () => {
  it('enforces the global budget across clients', () => {
    let now = 0;
    const limits = resolveLimits({ action: { perClient: 10, global: 3 } });
    const throttle = new SlidingWindowThrottle(limits, () => now, 1);
    expect(throttle.admit('action', 'a', 'org').allowed).toBe(true);
    expect(throttle.admit('action', 'b', 'org').allowed).toBe(true);
    expect(throttle.admit('action', 'c', 'org').allowed).toBe(true);
    now = 10_000;
    expect(throttle.admit('action', 'd', 'org')).toEqual({ allowed: false, retryAfterMs: 50_000 });
  });

  it('rejects bad limits with a message naming the field', () => {
    expect(() => resolveLimits({ action: { perClient: 0 } })).toThrow(/limits\.action\.perClient/);
    expect(() => resolveLimits({ actions: {} })).toThrow(/unknown key "actions"/);
    expect(() => resolveLimits({ minRetryAfterSeconds: -1 })).toThrow(/limits\.minRetryAfterSeconds/);
    expect(() => resolveLimits({ minRetryAfterSeconds: '60' })).toThrow(/limits\.minRetryAfterSeconds/);
    expect(resolveLimits({ minRetryAfterSeconds: 60 }).minRetryAfterSeconds).toBe(60);
    expect(resolveLimits({}).minRetryAfterSeconds).toBe(0);
  });

  it('formats Retry-After', () => {
    expect(formatRetryAfter(38_001, { timeScale: 1, format: 'seconds', now: 0 })).toBe('39');
    expect(formatRetryAfter(634, { timeScale: 60, format: 'seconds', now: 0 })).toBe('0.634');
  });
});
