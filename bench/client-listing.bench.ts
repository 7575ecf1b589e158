/**
 * Client full listing (issue 4): every user of an org through `client.users.list()` against the emulator with
 * documented limits, a scaled minute and a per-page latency. Time is reported as a ratio of the pacing floor
 * (pages ÷ 25 per budget-minute); peak memory of the listing process at 50,000 and at 200,000 users shows
 * whether memory stays flat in the number of users.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './support/emulator-process.js';
import { emit, result, type BenchResult } from './support/report.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'client listing';
const TIME_SCALE = 30;
/** A page of 2,000 users takes about 1.2 s at Adobe; in a minute scaled by 30 that is 40 ms. */
const PAGE_LATENCY_MS = 40;
const CHILD = fileURLToPath(new URL('./support/list-users-child.ts', import.meta.url));

const faultsFile = join(benchTempDir('umapi-bench-'), 'latency.json');
writeFileSync(
  faultsFile,
  JSON.stringify({
    rules: [{ endpoint: 'userRead', fault: 'latency', probability: 1, latencyMs: PAGE_LATENCY_MS }],
  }),
);

interface ChildResult {
  count: number;
  pages: number;
  elapsedMs: number;
  liveHeapMiB: number;
  peakRssMiB: number;
}

async function listAll(users: number): Promise<ChildResult> {
  const emulator = await startEmulatorProcess([
    '--seed-users',
    String(users),
    '--limits',
    'documented',
    '--time-scale',
    String(TIME_SCALE),
    '--faults',
    faultsFile,
  ]);
  try {
    const child = spawnSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', CHILD, JSON.stringify({ ...emulator, timeScale: TIME_SCALE })],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`listing child failed with ${String(child.status)}`);
    return JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as ChildResult;
  } finally {
    await emulator.stop();
  }
}

const results: BenchResult[] = [];
const small = await listAll(50_000);
const large = await listAll(200_000);
const budgetMinuteMs = 60_000 / TIME_SCALE;
const floorMs = (large.pages / 25) * budgetMinuteMs;
results.push(
  result(BENCH, 'users listed (200,000 seeded + demo)', large.count, 'users', '>= 200000'),
  result(BENCH, 'time / pacing floor (pages ÷ 25 per minute)', large.elapsedMs / floorMs, 'ratio', '<= 1.1'),
  result(BENCH, 'peak RSS, 50,000 users', small.peakRssMiB, 'MiB'),
  result(BENCH, 'peak RSS, 200,000 users', large.peakRssMiB, 'MiB'),
  result(BENCH, 'max live heap after GC, 50,000 users', small.liveHeapMiB, 'MiB'),
  result(BENCH, 'max live heap after GC, 200,000 users', large.liveHeapMiB, 'MiB'),
  result(BENCH, 'live heap 200k / 50k', large.liveHeapMiB / small.liveHeapMiB, 'ratio', '<= 1.2'),
);
emit(results);
