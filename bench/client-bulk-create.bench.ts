/**
 * Client bulk create: N users through `client.execute` against the emulator with the documented limits and a
 * scaled minute. The headline is time ÷ the sliding window's optimum: R requests of 10 actions can finish no sooner
 * than ceil(R / 10) − 1 windows after the first (a whole budget at once into the empty window, then one budget per
 * window), so waste at the start or the end of a run shows. Also 429s received, requests per user, and the old
 * entries per budget-minute.
 */
import { UserAction } from '@umapi-kit/client';
import { startEmulatorProcess } from './support/emulator-process.js';
import { scaledClient } from './support/scaled-client.js';
import { emit, result } from './support/report.js';

const BENCH = 'client bulk create';
const USERS = Number(process.env['BENCH_USERS'] ?? 2000);
// 30: a budget-minute lasts 2 s; the pacer's margin is then 20 ms (1 % of a window that short).
const TIME_SCALE = 30;

const emulator = await startEmulatorProcess(['--limits', 'documented', '--time-scale', String(TIME_SCALE)]);
const client = scaledClient({ ...emulator, timeScale: TIME_SCALE });
const enterpriseDomain = 'example.com';
await client.getAccessToken();

function* actions(): Generator<UserAction> {
  for (let i = 0; i < USERS; i += 1) {
    yield new UserAction(`bulk.${i}@${enterpriseDomain}`)
      .createEnterpriseId({ firstname: 'Bulk', lastname: `User ${i}`, country: 'US' })
      .addToGroups(['Designers']);
  }
}

const start = performance.now();
const run = await client.execute(actions(), { collectOutcomes: false });
const elapsedMs = performance.now() - start;
await emulator.stop();

const windowMs = 60_000 / TIME_SCALE;
const budgetMinutes = elapsedMs / windowMs;
const entriesPerMinute = run.totals.succeeded / budgetMinutes;
const optimumMs = (Math.ceil(run.totals.requests / 10) - 1) * windowMs;
emit([
  result(BENCH, `users created (of ${USERS})`, run.totals.succeeded, 'users', `>= ${USERS}`),
  result(BENCH, 'time / sliding-window optimum', elapsedMs / optimumMs, 'ratio', '<= 1.02'),
  result(BENCH, 'entries per budget-minute / limit (100)', entriesPerMinute / 100, 'ratio', '>= 0.95'),
  result(BENCH, '429 responses received', run.totals.throttled, 'count', '<= 0'),
  result(BENCH, 'requests sent per user', run.totals.requests / USERS, 'requests', '<= 0.1'),
  result(BENCH, 'elapsed (real)', elapsedMs / 1000, 's'),
]);
