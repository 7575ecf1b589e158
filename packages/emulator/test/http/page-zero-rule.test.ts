import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/index.js';
import { resolveLimits } from '../../src/throttle/limits.js';
import { demoToken, requireDemo, umapiHeaders } from '../support/emulator-fixtures.js';

const START = Date.UTC(2026, 0, 15, 12, 0, 0);
const RULE = { pageZero: { intervalSeconds: 7200, blockSeconds: 2100 } };

describe('the page-0 rule (opt-in, injected clock)', () => {
  let clock = START;
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
    clock = START;
  });

  async function setup(options: EmulatorOptions): Promise<(path: string) => Promise<Response>> {
    emulator = await startEmulator({ listen: false, now: () => clock, ...options });
    const em = emulator;
    const demo = requireDemo(em);
    const token = await demoToken(em);
    return (path) =>
      em.fetch(`${em.umapiUrl}${path.replace('ORG', demo.orgId)}`, {
        headers: umapiHeaders(token, demo.clientId),
      });
  }

  it('blocks every call of the org for blockSeconds when page 0 of users is read again within the interval', async () => {
    const get = await setup({ limits: RULE });
    expect((await get('/users/ORG/0')).status).toBe(200);
    // Other pages, one user, and a group's members are not page 0 of the org's listing.
    expect((await get('/users/ORG/1')).status).toBe(200);
    expect((await get('/users/ORG/0/Designers')).status).toBe(200);
    clock = START + 7_199_000;
    const refused = await get('/users/ORG/0');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('2100');
    expect(await refused.json()).toEqual({ error_code: '429050', message: 'Too many requests' });
    // Everything of the org, groups and single users too, until the block ends.
    clock += 1000;
    const groups = await get('/groups/ORG/0');
    expect(groups.status).toBe(429);
    expect(groups.headers.get('retry-after')).toBe('2099');
    expect((await get('/organizations/ORG/users/ben.designer@example.com')).status).toBe(429);
    clock = START + 7_199_000 + 2_100_000;
    expect((await get('/organizations/ORG/users/ben.designer@example.com')).status).toBe(200);
  });

  it('lets page 0 be read once per interval, per listing; groups are watched too', async () => {
    const get = await setup({ limits: RULE });
    expect((await get('/users/ORG/0')).status).toBe(200);
    expect((await get('/groups/ORG/0')).status).toBe(200);
    clock = START + 7_200_000;
    expect((await get('/users/ORG/0')).status).toBe(200);
    expect((await get('/groups/ORG/0')).status).toBe(200);
    clock += 60_000;
    expect((await get('/groups/ORG/0')).status).toBe(429);
    // Only served reads count: once the block is over, page 0 is still inside the interval of the last one.
    clock += 2_100_000;
    expect((await get('/organizations/ORG/users/ben.designer@example.com')).status).toBe(200);
    expect((await get('/groups/ORG/0')).status).toBe(429);
    clock = START + 2 * 7_200_000 - 1000;
    expect((await get('/groups/ORG/0')).status).toBe(429);
    clock += 2_100_000;
    expect((await get('/groups/ORG/0')).status).toBe(200);
  });

  it('is scaled by the time scale like the other limits', async () => {
    const get = await setup({ limits: RULE, timeScale: 3600 });
    expect((await get('/users/ORG/0')).status).toBe(200);
    // 7200 scaled seconds last 2 real seconds here.
    clock += 2000;
    expect((await get('/users/ORG/0')).status).toBe(200);
    clock += 1000;
    const refused = await get('/users/ORG/0');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('0.584');
  });

  it('is off unless the limits file gives it', async () => {
    const get = await setup({ limits: 'documented' });
    expect((await get('/users/ORG/0')).status).toBe(200);
    expect((await get('/users/ORG/0')).status).toBe(200);
  });

  it('refuses a malformed rule, naming the key and what would be right', () => {
    expect(() => resolveLimits({ pageZero: { intervalSeconds: 7200 } }, 'limits.json')).toThrow(
      'limits.json.pageZero.blockSeconds: expected a number of seconds > 0, got undefined (e.g. {"intervalSeconds": 7200, "blockSeconds": 2100})',
    );
    expect(() => resolveLimits({ pageZero: { interval: 1, blockSeconds: 1 } }, 'limits.json')).toThrow(
      'limits.json.pageZero: unknown key "interval"; expected intervalSeconds, blockSeconds',
    );
    expect(resolveLimits(RULE).pageZero).toEqual(RULE.pageZero);
  });
});
