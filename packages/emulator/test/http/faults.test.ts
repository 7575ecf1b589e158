import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startEmulator } from '../../src/index.js';
import { parseFaultConfig } from '../../src/faults/fault-config.js';
import type { DemoOrg, Emulator, FaultConfig, FetchLike } from '../../src/index.js';
import { FaultInjector } from '../../src/faults/fault-injector.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

describe('fault injection', () => {
  let emulator: Emulator;
  let demo: DemoOrg;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ limits: 'off', pageSizeUsers: 4 });
    demo = requireDemo(emulator);
    token = await demoToken(emulator);
  });
  afterAll(async () => {
    await emulator.close();
  });
  beforeEach(() => {
    emulator.clearFaults();
  });

  const users = (fetchFn: FetchLike = emulator.fetch, init: RequestInit = {}): Promise<Response> =>
    fetchFn(`${emulator.umapiUrl}/users/${demo.orgId}/0`, {
      headers: umapiHeaders(token, demo.clientId),
      ...init,
    });
  const groups = (): Promise<Response> =>
    emulator.fetch(`${emulator.umapiUrl}/groups/${demo.orgId}/0`, {
      headers: umapiHeaders(token, demo.clientId),
    });
  const addToGroup = (email: string, fetchFn: FetchLike = emulator.fetch): Promise<Response> =>
    fetchFn(`${emulator.umapiUrl}/action/${demo.orgId}`, {
      method: 'POST',
      headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
      body: JSON.stringify([{ user: email, do: [{ add: { group: ['TestGroup1'] } }] }]),
    });
  const inTestGroup = (email: string): boolean =>
    emulator
      .snapshot()
      .users.some((u) => JSON.stringify(u).includes(email) && JSON.stringify(u).includes('TestGroup1'));

  it('applies an exact schedule: the 2nd and 3rd group reads get 503 and 502', async () => {
    emulator.setFaults({
      rules: [
        { endpoint: 'groupRead', fault: '503', on: [2] },
        { endpoint: 'groupRead', fault: '502', on: [3] },
      ],
    });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await groups()).status);
    expect(statuses).toEqual([200, 503, 502, 200]);
    const log = emulator.requestLog().filter((e) => e.endpointClass === 'groupRead');
    expect(log.map((e) => e.fault)).toEqual([undefined, '503', '502', undefined]);
  });

  it.each(['429', '500', '504', '404'] as const)('returns an injected %s', async (fault) => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault, on: [1], retryAfter: '7' }] });
    const response = await users();
    expect(response.status).toBe(Number(fault));
    expect(response.headers.get('x-request-id')).toMatch(/^[A-Za-z0-9]{32}$/);
    if (fault === '429') expect(response.headers.get('retry-after')).toBe('7');
    if (fault === '404') expect(await response.json()).toEqual({ lastPage: true, result: 'Not found' });
  });

  it('adds latency: the answer waits for the scheduled delay, then comes normally', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    try {
      emulator.setFaults({ rules: [{ endpoint: 'any', fault: 'latency', latencyMs: 60, on: [1] }] });
      let answered = false;
      const answer = users().then((response) => {
        answered = true;
        return response;
      });
      await vi.advanceTimersByTimeAsync(59);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect((await answer).status).toBe(200);
      expect(emulator.requestLog().at(-1)?.fault).toBe('latency');
    } finally {
      vi.useRealTimers();
    }
  });

  it('turns a reset into a rejected in-process fetch with cause code ECONNRESET', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'reset', on: [1] }] });
    const error = (await users().catch((e: unknown) => e)) as TypeError & { cause: { code: string } };
    expect(error).toBeInstanceOf(TypeError);
    expect(error.message).toBe('fetch failed');
    expect(error.cause.code).toBe('ECONNRESET');
  });

  it('destroys the socket for a reset over a real connection', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'reset', on: [1] }] });
    await expect(users(fetch)).rejects.toThrow(/fetch failed/);
    expect((await users(fetch)).status).toBe(200);
  });

  it('hangs until the caller aborts, in process and over a socket', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'hang', on: [1, 2] }] });
    await expect(users(emulator.fetch, { signal: AbortSignal.timeout(50) })).rejects.toThrow(
      /timeout|abort/i,
    );
    await expect(users(fetch, { signal: AbortSignal.timeout(50) })).rejects.toThrow(/timeout|abort/i);
  });

  it('truncates the JSON body mid-way', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'truncate', on: [1] }] });
    const response = await users();
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('serves a short page (fewer items, lastPage still false) and an empty last page', async () => {
    const normal = (await (await users()).json()) as { users: unknown[]; lastPage: boolean };
    expect(normal.users).toHaveLength(4);
    expect(normal.lastPage).toBe(false);
    emulator.setFaults({
      rules: [
        { endpoint: 'userRead', fault: 'short-page', on: [1] },
        { endpoint: 'userRead', fault: 'empty-page', on: [2] },
      ],
    });
    const short = await users();
    expect(short.headers.get('x-total-count')).not.toBeNull();
    const shortBody = (await short.json()) as { users: unknown[]; lastPage: boolean };
    expect(shortBody.users).toHaveLength(2);
    expect(shortBody.lastPage).toBe(false);
    expect(await (await users()).json()).toMatchObject({ users: [], lastPage: true });
  });

  it('commits an action and then loses the response (reset, or 502)', async () => {
    emulator.setFaults({
      rules: [
        { endpoint: 'action', fault: 'applied-then-lost', on: [1] },
        { endpoint: 'action', fault: 'applied-then-lost', lostAs: '502', on: [2] },
      ],
    });
    await expect(addToGroup('cleo.dev@example.com')).rejects.toThrow(/fetch failed/);
    expect(inTestGroup('cleo.dev@example.com')).toBe(true);
    expect((await addToGroup('dan.market@fed.example.com')).status).toBe(502);
    expect(inTestGroup('dan.market@fed.example.com')).toBe(true);
  });

  it('applies the ims class to token requests', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'ims', fault: '503', on: [1] }] });
    await expect(demoToken(emulator)).rejects.toThrow(/503/);
    await expect(demoToken(emulator)).resolves.toMatch(/^ey/);
  });
});

describe('applied-then-lost on refused requests', () => {
  it('fires only on a 2xx action answer: 400, 401, 403 and 429 answers pass unchanged', async () => {
    const emulator = await startEmulator({
      listen: false,
      now: () => Date.UTC(2026, 0, 15, 12, 0, 0),
      // The malformed request and the applied one use up the budget of 2; the next is throttled.
      limits: { action: { perClient: 2, global: 100 } },
      faults: { rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1, 2, 3, 4, 5] }] },
    });
    try {
      const demo = requireDemo(emulator);
      const token = await demoToken(emulator);
      const entries = JSON.stringify([
        { user: 'cleo.dev@example.com', do: [{ add: { group: ['TestGroup1'] } }] },
      ]);
      const act = (headers: Record<string, string>, body = entries): Promise<Response> =>
        emulator.fetch(`${emulator.umapiUrl}/action/${demo.orgId}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...headers },
          body,
        });
      const refusedForbidden = await act(umapiHeaders(token, 'someone-else'));
      expect(refusedForbidden.status).toBe(403);
      expect(await refusedForbidden.json()).toEqual({ error_code: '403003', message: 'Api Key is invalid' });
      const refusedUnauthorized = await act(umapiHeaders('eyUnknown', demo.clientId));
      expect(refusedUnauthorized.status).toBe(401);
      const refusedMalformed = await act(umapiHeaders(token, demo.clientId), '{');
      expect(refusedMalformed.status).toBe(400);
      expect(await refusedMalformed.json()).toMatchObject({ result: 'error.command.malformed' });

      await expect(act(umapiHeaders(token, demo.clientId))).rejects.toThrow(/fetch failed/);
      const cleo = emulator.snapshot().users.find((u) => u.email === 'cleo.dev@example.com');
      expect(cleo?.groups).toContain('TestGroup1');

      const throttled = await act(umapiHeaders(token, demo.clientId));
      expect(throttled.status).toBe(429);
      expect(throttled.headers.get('retry-after')).toBe('60');
      expect(await throttled.json()).toEqual({ error_code: '429050', message: 'Too many requests' });

      const log = emulator.requestLog().filter((e) => e.endpointClass === 'action');
      expect(log.map((e) => [e.status, e.fault])).toEqual([
        [403, undefined],
        [401, undefined],
        [400, undefined],
        [0, 'applied-then-lost'],
        [429, undefined],
      ]);
    } finally {
      await emulator.close();
    }
  });
});

describe('applied-then-lost on answers that applied nothing', () => {
  it('passes a 200 whose every command failed (completed 0), and loses the next one that completed a command', async () => {
    const emulator = await startEmulator({
      listen: false,
      limits: 'off',
      faults: { rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1, 2] }] },
    });
    try {
      const demo = requireDemo(emulator);
      const token = await demoToken(emulator);
      const act = (entries: unknown[]): Promise<Response> =>
        emulator.fetch(`${emulator.umapiUrl}/action/${demo.orgId}`, {
          method: 'POST',
          headers: umapiHeaders(token, demo.clientId, { 'Content-Type': 'application/json' }),
          body: JSON.stringify(entries),
        });
      // Ben cannot take Cleo's address: nothing is applied, so nothing can be lost.
      const refused = await act([
        { user: 'ben.designer@example.com', do: [{ update: { email: 'cleo.dev@example.com' } }] },
      ]);
      expect(refused.status).toBe(200);
      expect(await refused.json()).toMatchObject({
        completed: 0,
        notCompleted: 1,
        errors: [{ errorCode: 'error.user.email.name_in_use' }],
      });
      await expect(
        act([{ user: 'cleo.dev@example.com', do: [{ add: { group: ['TestGroup1'] } }] }]),
      ).rejects.toThrow(/fetch failed/);
      const log = emulator.requestLog().filter((e) => e.endpointClass === 'action');
      expect(log.map((e) => [e.status, e.fault])).toEqual([
        [200, undefined],
        [0, 'applied-then-lost'],
      ]);
    } finally {
      await emulator.close();
    }
  });
});

describe('FaultInjector', () => {
  const config: FaultConfig = { seed: 42, rules: [{ endpoint: 'action', fault: '503', probability: 0.3 }] };
  const run = (): boolean[] => {
    const injector = new FaultInjector(config);
    return Array.from({ length: 50 }, () => injector.pick('action') !== undefined);
  };

  it('is reproducible with a seed, and the probability roughly holds', () => {
    const first = run();
    expect(run()).toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(5);
    expect(hits).toBeLessThan(30);
  });

  it('counts any across classes', () => {
    const injector = new FaultInjector({ rules: [{ endpoint: 'any', fault: '500', on: [2] }] });
    expect(injector.pick('ims')).toBeUndefined();
    expect(injector.pick('action')?.fault).toBe('500');
  });

  it('validates configs with messages naming the field', () => {
    expect(() => parseFaultConfig({ rules: [{ endpoint: 'action', fault: 'boom', on: [1] }] })).toThrow(
      /faults\.rules\[0\]\.fault/,
    );
    expect(() => parseFaultConfig({ rules: [{ endpoint: 'action', fault: '500' }] })).toThrow(
      /exactly one of/,
    );
    expect(() => parseFaultConfig({ rules: [{ endpoint: 'x', fault: '500', on: [1] }] })).toThrow(/endpoint/);
  });
});
