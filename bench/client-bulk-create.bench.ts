/**
 * Client bulk create (issue 4): N users through `client.execute` against the emulator with the documented limits
 * and a scaled minute. Reports achieved entries per budget-minute as a ratio of the limit (10 requests × 10
 * entries), 429s received, and requests sent per user.
 */
import { UserAction } from '@umapi-kit/client';
import { startEmulatorProcess } from './support/emulator-process.js';
import { scaledClient } from './support/scaled-client.js';
import { emit, result } from './support/report.js';

const BENCH = 'client bulk create';
const USERS = Number(process.env['BENCH_USERS'] ?? 2000);
// 30: a budget-minute lasts 2 s, so the 1 % pacing margin (20 ms) still covers loopback and event-loop jitter.
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

const budgetMinutes = elapsedMs / (60_000 / TIME_SCALE);
const entriesPerMinute = run.totals.succeeded / budgetMinutes;
emit([
  result(BENCH, `users created (of ${USERS})`, run.totals.succeeded, 'users', `>= ${USERS}`),
  result(BENCH, 'entries per budget-minute / limit (100)', entriesPerMinute / 100, 'ratio', '>= 0.95'),
  result(BENCH, '429 responses received', run.totals.throttled, 'count', '<= 0'),
  result(BENCH, 'requests sent per user', run.totals.requests / USERS, 'requests', '<= 0.1'),
  result(BENCH, 'elapsed (real)', elapsedMs / 1000, 's'),
]);
