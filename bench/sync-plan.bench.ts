/**
 * Sync planning at scale (issues 6 and 11): 200,000 directory users (CSV) against 200,000 Adobe users streamed
 * from the emulator (`--seed-users`), twice: without anchors, and with an `id` on every row and a SQLite state
 * store that already binds ~all of them (renames, new rows, Adobe-only users, vanished accounts: see
 * support/sync-plan-directory.ts). Each case runs in a child process that does only what `umapi sync plan` does
 * (support/sync-plan-child.ts); the figures are its CPU (user + system) and peak memory, against issue 11's limits
 * (10 s CPU, 1 GiB) and as ratios of them.
 *
 * BENCH_SYNC_USERS=1000000 plans a million against a million (sync-plan-million.bench.ts does), against issue
 * 17's limits for that size (30 s CPU, 1 GiB); other sizes report figures without targets. BENCH_CHILD_NODE_ARGS
 * passes flags to the children (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UmapiClient, oauthServerToServer } from '@umapi-kit/client';
import { startEmulatorProcess, type EmulatorProcess } from './support/emulator-process.js';
import { emit, result, type BenchResult } from './support/report.js';
import type { SyncPlanChildFigures, SyncPlanChildInput } from './support/sync-plan-child.js';
import { writeBenchDirectory } from './support/sync-plan-directory.js';
import { benchTempDir } from './support/temp-dir.js';

const USERS = Number(process.env['BENCH_SYNC_USERS'] ?? 200_000);
const BENCH = USERS === 200_000 ? 'sync plan' : `sync plan ${USERS.toLocaleString('en-US')}`;
const CHILD = fileURLToPath(new URL('./support/sync-plan-child.ts', import.meta.url));
const CHILD_NODE_ARGS = (process.env['BENCH_CHILD_NODE_ARGS'] ?? '').split(' ').filter((arg) => arg !== '');
/** The limits: issue 11's for 200,000 × 200,000, issue 17's for 1,000,000 × 1,000,000. */
const LIMITS: Record<number, { cpuS: number; rssMiB: number; margin: number }> = {
  200_000: { cpuS: 10, rssMiB: 1024, margin: 0.7 },
  1_000_000: { cpuS: 30, rssMiB: 1024, margin: 1 },
};
const limits = LIMITS[USERS];
const judged = limits !== undefined;
const LIMIT_CPU_S = limits?.cpuS ?? 10;
const LIMIT_RSS_MIB = limits?.rssMiB ?? 1024;
/** The margin the planner is held to (a share of the limits). */
const MARGIN = limits?.margin ?? 0.7;

function runChild(input: SyncPlanChildInput): SyncPlanChildFigures {
  const child = spawnSync(
    process.execPath,
    [...CHILD_NODE_ARGS, '--import', 'tsx', CHILD, JSON.stringify(input)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`sync plan child failed with ${String(child.status)}`);
  return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as SyncPlanChildFigures;
}

function figuresOf(label: string, f: SyncPlanChildFigures): BenchResult[] {
  const target = (bound: string): string | undefined => (judged ? bound : undefined);
  const planningCpuS = (f.stateReadCpuMs + f.planCpuMs + f.bindCpuMs + f.sealCpuMs) / 1000;
  return [
    result(BENCH, `${label}: directory users (CSV)`, f.directoryUsers, 'users'),
    result(BENCH, `${label}: Adobe users streamed`, f.adobeUsers, 'users'),
    result(BENCH, `${label}: anchors read from the store`, f.anchorsRead, 'bindings'),
    result(BENCH, `${label}: anchors bound after planning`, f.bindingsWritten, 'bindings'),
    result(BENCH, `${label}: directory users matched`, f.matched, 'users'),
    result(BENCH, `${label}: of them by anchor`, f.matchedByAnchor, 'users'),
    result(BENCH, `${label}: problems`, f.problems, 'problems'),
    result(BENCH, `${label}: plan entries`, f.entries, 'entries'),
    result(BENCH, `${label}: load directory CSV (CPU)`, f.loadCpuMs / 1000, 's'),
    result(BENCH, `${label}: read state store (CPU)`, f.stateReadCpuMs / 1000, 's'),
    result(BENCH, `${label}: stream Adobe users + plan (CPU)`, f.planCpuMs / 1000, 's'),
    result(BENCH, `${label}: stream Adobe users + plan (wall)`, f.planMs / 1000, 's'),
    result(BENCH, `${label}: bind anchors in the store (CPU)`, f.bindCpuMs / 1000, 's'),
    result(BENCH, `${label}: sign the plan, record the run (CPU)`, f.sealCpuMs / 1000, 's'),
    result(
      BENCH,
      `${label}: planning CPU (all but the CSV load)`,
      planningCpuS,
      's',
      target(`< ${String(LIMIT_CPU_S)}`),
    ),
    result(
      BENCH,
      `${label}: planning CPU / limit (${String(LIMIT_CPU_S)} s)`,
      planningCpuS / LIMIT_CPU_S,
      'ratio',
      target(`<= ${MARGIN}`),
    ),
    result(
      BENCH,
      `${label}: whole child CPU (with CSV load)`,
      f.childCpuMs / 1000,
      's',
      target(`< ${String(LIMIT_CPU_S)}`),
    ),
    result(
      BENCH,
      `${label}: whole child CPU / limit (${String(LIMIT_CPU_S)} s)`,
      f.childCpuMs / 1000 / LIMIT_CPU_S,
      'ratio',
    ),
    result(BENCH, `${label}: peak memory`, f.peakRssMiB, 'MiB', target(`< ${String(LIMIT_RSS_MIB)}`)),
    result(
      BENCH,
      `${label}: peak memory / limit (1 GiB)`,
      f.peakRssMiB / LIMIT_RSS_MIB,
      'ratio',
      target(`<= ${MARGIN}`),
    ),
  ];
}

/** The plans must be the ones the directory sets up, or the figures measure something else. */
function checkPlan(label: string, f: SyncPlanChildFigures, expect: { anchors: number; rows: number }): void {
  const wrong = (what: string): never => {
    throw new Error(`sync plan bench, ${label}: ${what} (${JSON.stringify(f)})`);
  };
  if (f.directoryUsers !== expect.rows)
    wrong(`read ${f.directoryUsers} directory users, wrote ${expect.rows}`);
  if (f.anchorsRead !== expect.anchors) wrong(`read ${f.anchorsRead} anchors, stored ${expect.anchors}`);
  if (expect.anchors === 0 && f.matchedByAnchor !== 0) wrong('matched by anchor without anchors');
  if (expect.anchors > 0 && f.matchedByAnchor < f.matched * 0.99) wrong('too few users matched by anchor');
  if (f.matched < f.directoryUsers * 0.95) wrong('too few directory users matched');
}

let emulator: EmulatorProcess | undefined;
try {
  emulator = await startEmulatorProcess(['--seed-users', String(USERS), '--limits', 'off']);
  const client = new UmapiClient({
    orgId: emulator.orgId,
    endpoint: emulator.umapiUrl,
    credentials: oauthServerToServer({
      clientId: emulator.clientId,
      clientSecret: emulator.clientSecret,
      imsUrl: emulator.imsUrl,
    }),
    pacing: false,
  });
  const dir = benchTempDir('umapi-bench-sync-');
  const paths = {
    plainCsv: join(dir, 'directory.csv'),
    anchoredCsv: join(dir, 'directory-anchored.csv'),
    plainState: join(dir, 'plain.state.db'),
    anchoredState: join(dir, 'anchored.state.db'),
  };
  const written = await writeBenchDirectory(client.users.list(), emulator.orgId, paths);
  const base = {
    umapiUrl: emulator.umapiUrl,
    imsUrl: emulator.imsUrl,
    orgId: emulator.orgId,
    clientId: emulator.clientId,
    clientSecret: emulator.clientSecret,
    groups: written.groups,
  };
  const plain = runChild({ ...base, csvPath: paths.plainCsv, statePath: paths.plainState });
  checkPlan('no anchors', plain, { anchors: 0, rows: written.rowsPlain });
  const anchored = runChild({ ...base, csvPath: paths.anchoredCsv, statePath: paths.anchoredState });
  checkPlan('anchors', anchored, { anchors: written.bindings, rows: written.rowsAnchored });
  emit([...figuresOf('no anchors', plain), ...figuresOf('anchors', anchored)]);
} finally {
  await emulator?.stop();
}
