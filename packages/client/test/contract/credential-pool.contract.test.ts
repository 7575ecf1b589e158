import { afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator, type OrgSeed } from '@umapi-kit/emulator';
import { oauthServerToServer, UmapiClient, UserAction, ValidationError } from '@umapi-kit/client';

/**
 * A pool of integrations of one org against the emulator at a scaled minute (60: a minute lasts a second): each
 * integration stays within its own budget and all together within the org's global one, which the emulator
 * enforces with 429s; one integration whose secret IMS refuses is taken out and the others carry on.
 */
const ORG = 'D00D0123456789ABCDEF0001@AdobeOrg';
const TIME_SCALE = 60;
const WINDOW_MS = 60_000 / TIME_SCALE;
const org = (clients: number): OrgSeed => ({
  orgId: ORG,
  clientId: 'pool-0',
  clientSecret: 'pool-secret-0',
  extraClients: Array.from({ length: clients - 1 }, (_, index) => ({
    clientId: `pool-${String(index + 1)}`,
    clientSecret: `pool-secret-${String(index + 1)}`,
  })),
  enterpriseDomains: ['pool.example.net'],
});

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

function poolClient(em: Emulator, secrets: string[], perClient: number, global: number): UmapiClient {
  return new UmapiClient({
    orgId: ORG,
    credentials: secrets.map((secret, index) =>
      oauthServerToServer({
        clientId: `pool-${String(index)}`,
        clientSecret: secret,
        imsUrl: em.imsUrl,
        fetch: em.fetch,
      }),
    ),
    credentialPool: {
      budgets: { action: { requests: perClient, perMs: WINDOW_MS } },
      globalBudgets: { action: { requests: global, perMs: WINDOW_MS } },
      // A tenth of the scaled window: in-process event-loop stalls on a busy machine never eat the margin.
      marginMs: WINDOW_MS / 10,
    },
    endpoint: em.umapiUrl,
    fetch: em.fetch,
    maxRetries: 0,
  });
}

function creates(count: number): UserAction[] {
  return Array.from({ length: count }, (_, index) =>
    new UserAction(`p${String(index)}@pool.example.net`).createEnterpriseId({
      firstname: 'Pool',
      lastname: String(index),
      country: 'US',
    }),
  );
}

/** Largest number of accepted action requests of one client (or all) in any window, from the request log. */
function busiestWindow(em: Emulator, clientId?: string): number {
  const times = em
    .requestLog()
    .filter((entry) => entry.path.startsWith('/v2/usermanagement/action/') && entry.status === 200)
    .filter((entry) => clientId === undefined || entry.clientId === clientId)
    .map((entry) => Date.parse(entry.time) - entry.durationMs);
  let best = 0;
  for (const start of times)
    best = Math.max(best, times.filter((t) => t >= start && t < start + WINDOW_MS).length);
  return best;
}

describe('a credential pool', () => {
  it('paces each integration at its budget and the pool at the org’s: 60 requests with 3 × 10 in a window of 20', async () => {
    emulator = await startEmulator({
      listen: false,
      seed: 'none',
      orgs: [org(3)],
      timeScale: TIME_SCALE,
      limits: { action: { perClient: 10, global: 20 } },
    });
    const client = poolClient(emulator, ['pool-secret-0', 'pool-secret-1', 'pool-secret-2'], 10, 20);
    const started = performance.now();
    const result = await client.execute(creates(600));
    const elapsed = performance.now() - started;
    expect(result.outcomes.filter((outcome) => outcome.status === 'failed')).toEqual([]);
    expect(result.totals.failed).toBe(0);
    expect(emulator.snapshot(ORG).users).toHaveLength(600);
    const log = emulator.requestLog().filter((entry) => entry.path.includes('/action/'));
    expect(log.filter((entry) => entry.status === 429)).toEqual([]);
    expect(log).toHaveLength(60);
    // The global budget binds (20 < 3 × 10): never more than 20 in a window, each integration at most 10.
    expect(busiestWindow(emulator)).toBe(20);
    for (const clientId of ['pool-0', 'pool-1', 'pool-2']) {
      expect(busiestWindow(emulator, clientId)).toBeLessThanOrEqual(10);
      expect(log.filter((entry) => entry.clientId === clientId).length).toBeGreaterThan(10);
    }
    // 60 requests at 20 a window take ceil(60 / 20) - 1 = 2 windows (and a bit).
    expect(elapsed).toBeGreaterThanOrEqual(2 * WINDOW_MS);
  }, 20_000);

  it('takes out an integration IMS refuses and sends everything with the others', async () => {
    emulator = await startEmulator({ listen: false, seed: 'none', orgs: [org(3)], limits: 'off' });
    const client = poolClient(emulator, ['pool-secret-0', 'a-wrong-secret', 'pool-secret-2'], 10, 100);
    const result = await client.execute(creates(100));
    expect(result.totals.failed).toBe(0);
    expect(emulator.snapshot(ORG).users).toHaveLength(100);
    const senders = new Set(
      emulator
        .requestLog()
        .filter((e) => e.path.includes('/action/'))
        .map((e) => e.clientId),
    );
    expect([...senders].sort()).toEqual(['pool-0', 'pool-2']);
  });

  it('refuses two integrations with one client id', () => {
    const em = { imsUrl: 'http://127.0.0.1:9', umapiUrl: 'http://127.0.0.1:9/v2/usermanagement' } as Emulator;
    expect(() => poolClient(em, ['a', 'b'], 10, 100)).not.toThrow();
    expect(
      () =>
        new UmapiClient({
          orgId: ORG,
          credentials: [
            oauthServerToServer({ clientId: 'same', clientSecret: 'x' }),
            oauthServerToServer({ clientId: 'same', clientSecret: 'y' }),
          ],
        }),
    ).toThrow(ValidationError);
  });
});
