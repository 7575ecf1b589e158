/**
 * Client bulk create: users through `client.execute` against the emulator at the documented limits, with a
 * scaled minute, for 600 and 6,000 new users with one integration and 6,000 with a pool of five. The headline
 * is time ÷ the sliding window's optimum: R requests of 10 actions can finish no sooner than ceil(R / B) − 1
 * windows after the first, B being the budget per window (10 for one integration, 50 for five), since a whole
 * budget goes at once into the empty window and then one budget per window. So waste at the start or at the end
 * of a run shows. The pool's time is also given against one integration's optimum ÷ 5. 429s must be 0: the
 * emulator answers 429 to any integration over its 10 and to the org over its global 100 in a window.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UmapiClient, UserAction, createPacer, oauthServerToServer } from '@umapi-kit/client';
import { startEmulatorProcess, type EmulatorProcess } from './support/emulator-process.js';
import { emit, result, type BenchResult } from './support/report.js';
import { benchMarginMs, scaledBudgets } from './support/scaled-client.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'client bulk create';
const POOL_ORG = 'B0B0B0B0B0B0B0B0B0B0B0B0@AdobeOrg';
const POOL_DOMAIN = 'pool.example.net';

interface Case {
  users: number;
  integrations: number;
  /** 10: a budget-minute lasts 6 s. */
  timeScale: number;
}

interface Measured {
  elapsedMs: number;
  requests: number;
  succeeded: number;
  throttled: number;
  windowMs: number;
}

function poolOrgFile(integrations: number): string {
  const file = join(benchTempDir('umapi-bench-pool-'), 'orgs.json');
  const clients = Array.from({ length: integrations }, (_, index) => ({
    clientId: `bench-pool-${String(index)}`,
    clientSecret: `bench-pool-secret-${String(index)}`,
  }));
  writeFileSync(
    file,
    JSON.stringify([
      {
        orgId: POOL_ORG,
        clientId: clients[0]?.clientId,
        clientSecret: clients[0]?.clientSecret,
        extraClients: clients.slice(1),
        enterpriseDomains: [POOL_DOMAIN],
        userGroups: ['Designers'],
      },
    ]),
  );
  return file;
}

function clientFor(emulator: EmulatorProcess, run: Case, windowMs: number): UmapiClient {
  const marginMs = benchMarginMs(run.timeScale);
  const credentials = Array.from({ length: run.integrations }, (_, index) =>
    oauthServerToServer({
      clientId: `bench-pool-${String(index)}`,
      clientSecret: `bench-pool-secret-${String(index)}`,
      imsUrl: emulator.imsUrl,
    }),
  );
  const common = { endpoint: emulator.umapiUrl, retry: { firstDelayMs: 50, randomMaxMs: 50 } };
  if (run.integrations === 1) {
    return new UmapiClient({
      ...common,
      orgId: POOL_ORG,
      credentials: credentials[0]!,
      pacing: createPacer({ budgets: scaledBudgets(run.timeScale), marginMs }),
    });
  }
  return new UmapiClient({
    ...common,
    orgId: POOL_ORG,
    credentials,
    credentialPool: {
      budgets: scaledBudgets(run.timeScale),
      globalBudgets: { action: { requests: 100, perMs: windowMs } },
      marginMs,
    },
  });
}

async function bulkCreate(run: Case): Promise<Measured> {
  const emulator = await startEmulatorProcess([
    '--limits',
    'documented',
    '--time-scale',
    String(run.timeScale),
    '--orgs',
    poolOrgFile(Math.max(run.integrations, 1)),
  ]);
  try {
    const windowMs = 60_000 / run.timeScale;
    const client = clientFor(emulator, run, windowMs);
    await client.getAccessToken();
    function* actions(): Generator<UserAction> {
      for (let i = 0; i < run.users; i += 1) {
        yield new UserAction(`bulk.${String(i)}@${POOL_DOMAIN}`)
          .createEnterpriseId({ firstname: 'Bulk', lastname: `User ${String(i)}`, country: 'US' })
          .addToGroups(['Designers']);
      }
    }
    const start = performance.now();
    const done = await client.execute(actions(), { collectOutcomes: false });
    const elapsedMs = performance.now() - start;
    return {
      elapsedMs,
      requests: done.totals.requests,
      succeeded: done.totals.succeeded,
      throttled: done.totals.throttled,
      windowMs,
    };
  } finally {
    await emulator.stop();
  }
}

const results: BenchResult[] = [];
const optimumMs = (requests: number, budget: number, windowMs: number): number =>
  (Math.ceil(requests / budget) - 1) * windowMs;
for (const run of [
  { users: 600, integrations: 1, timeScale: 10 },
  { users: 6000, integrations: 1, timeScale: 10 },
  { users: 6000, integrations: 5, timeScale: 10 },
] satisfies Case[]) {
  const measured = await bulkCreate(run);
  const label = `${String(run.users)} users, ${run.integrations === 1 ? 'one integration' : `a pool of ${String(run.integrations)}`}`;
  const optimum = optimumMs(measured.requests, 10 * run.integrations, measured.windowMs);
  const single = run.integrations === 1;
  results.push(
    result(BENCH, `${label}: users created`, measured.succeeded, 'users', `>= ${String(run.users)}`),
    single
      ? result(
          BENCH,
          `${label}: time / sliding-window optimum`,
          measured.elapsedMs / optimum,
          'ratio',
          '<= 1.01',
        )
      : result(
          BENCH,
          `${label}: time / the pool's sliding-window optimum`,
          measured.elapsedMs / optimum,
          'ratio',
        ),
    result(BENCH, `${label}: 429 responses`, measured.throttled, 'count', '<= 0'),
  );
  if (!single) {
    const alone = optimumMs(measured.requests, 10, measured.windowMs);
    results.push(
      result(
        BENCH,
        `${label}: time / (one integration's optimum / ${String(run.integrations)})`,
        measured.elapsedMs / (alone / run.integrations),
        'ratio',
        '<= 1.05',
      ),
    );
  }
}
emit(results);
