/**
 * Sync apply at the API budget (issue 6): a plan of 5,000 creates (each with its user group) applied through the
 * journal against the emulator with the documented limits and a scaled minute. The headline is time ÷ the
 * sliding window's optimum: R requests at 10 a window can finish no sooner than ceil(R / 10) − 1 windows after
 * the first, so time lost at the start (reading the org, opening the journal) or at the end shows. Also the 429s.
 */
import { join } from 'node:path';
import type { User } from '@umapi-kit/client';
import { applyPlan, defaultRules, planFromStream, type DirectoryUser } from '@umapi-kit/sync';
import { startEmulatorProcess } from './support/emulator-process.js';
import { scaledClient } from './support/scaled-client.js';
import { emit, result } from './support/report.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'sync apply';
const CHANGES = Number(process.env['BENCH_SYNC_CHANGES'] ?? 5000);
// 30: a budget-minute lasts 2 s, so the pacer's 1 % margin (20 ms) covers loopback and event-loop jitter.
const TIME_SCALE = 30;

const emulator = await startEmulatorProcess(['--limits', 'documented', '--time-scale', String(TIME_SCALE)]);
try {
  const client = scaledClient({ ...emulator, timeScale: TIME_SCALE });
  // The directory: the org as it is, plus CHANGES new people in the Designers group.
  const adobe: User[] = [];
  for await (const user of client.users.list()) adobe.push(user);
  const directory: DirectoryUser[] = adobe.map((user) => ({
    email: user.email,
    firstname: user.firstname ?? '',
    lastname: user.lastname ?? '',
    country: user.country ?? 'US',
    groups: (user.groups ?? []).filter((group) => !group.startsWith('_')),
    type: user.type === 'unknown' ? 'federatedID' : user.type,
  }));
  for (let i = 0; i < CHANGES; i += 1) {
    directory.push({
      email: `hire.${i}@example.com`,
      firstname: 'New',
      lastname: `Hire ${i}`,
      country: 'US',
      groups: ['Designers'],
      type: 'enterpriseID',
    });
  }
  const rules = defaultRules({ groups: [{ directoryGroup: 'Designers', adobeGroups: ['Designers'] }] });
  const plan = await planFromStream(directory, client.users.list(), rules);

  const journalPath = join(benchTempDir('umapi-bench-apply-'), 'journal.db');
  const start = performance.now();
  const report = await applyPlan(plan, client, { journalPath });
  const elapsedMs = performance.now() - start;
  const optimumMs = (Math.ceil(report.requests / 10) - 1) * (60_000 / TIME_SCALE);
  emit([
    result(BENCH, 'plan entries', plan.entries.length, 'entries', `>= ${CHANGES}`),
    result(BENCH, 'entries succeeded', report.counts.succeeded, 'entries', `>= ${CHANGES}`),
    result(BENCH, 'time / sliding-window optimum', elapsedMs / optimumMs, 'ratio', '<= 1.02'),
    result(BENCH, '429 responses received', report.throttled, 'count', '<= 0'),
    result(BENCH, 'requests sent', report.requests, 'requests'),
    result(BENCH, 'elapsed (real)', elapsedMs / 1000, 's'),
  ]);
} finally {
  await emulator.stop();
}
