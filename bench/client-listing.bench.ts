/**
 * Client full listing: every user of an org through `client.users.list()` against the emulator at the documented
 * limits, a scaled minute and a page latency, as the issue measured it: 200,000 users with pages taking 1–3 s
 * (uniform over 1, 1.5, 2, 2.5 and 3 s), and with a fixed 5 s; plus 50,000 users for memory.
 *
 * The headline is time ÷ the pacing floor. With P pages and 25 a window, page i can go no sooner than
 * floor(i / 25) windows after page i mod 25 went: page 0 at once, pages 1–24 when page 0's answer gave the page
 * count. So the last page goes k = floor((P − 1) / 25) windows after page 0 (when P − 1 is a multiple of 25) or
 * after page 0's answer, and the read ends one answer later (the mean latency is used for each answer, which
 * makes the floor a little low when latencies vary). 429s must be 0.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulatorProcess } from './support/emulator-process.js';
import { emit, result, type BenchResult } from './support/report.js';
import { benchMarginMs } from './support/scaled-client.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'client listing';
/**
 * 3: a minute lasts 20 s, and latencies and the pacer's margin shrink by as much. Not faster: the emulator builds
 * one page of 2,000 users at a time, in some 30 ms of real time (more on a busy machine), which does not shrink
 * with the scale; at 15, a burst of 25 pages keeps it busy for most of a 4 s window, where a real server's pages
 * are built side by side.
 */
const TIME_SCALE = 3;
const CHILD = fileURLToPath(new URL('./support/list-users-child.ts', import.meta.url));
const WINDOW_MS = 60_000 / TIME_SCALE;

interface ChildResult {
  count: number;
  pages: number;
  elapsedMs: number;
  throttled: number;
  liveHeapMiB: number;
  peakRssMiB: number;
}

/** Latency rules: each of `secondsList` equally likely (the rules are tried in order). */
function latencyFile(secondsList: number[]): string {
  const file = join(benchTempDir('umapi-bench-'), 'latency.json');
  const rules = secondsList.map((seconds, index) => ({
    endpoint: 'userRead',
    fault: 'latency',
    probability: 1 / (secondsList.length - index),
    latencyMs: (seconds * 1000) / TIME_SCALE,
  }));
  writeFileSync(file, JSON.stringify({ seed: 17, rules }));
  return file;
}

async function listAll(users: number, secondsList: number[]): Promise<ChildResult> {
  const emulator = await startEmulatorProcess([
    '--seed-users',
    String(users),
    '--limits',
    'documented',
    '--time-scale',
    String(TIME_SCALE),
    '--faults',
    latencyFile(secondsList),
  ]);
  try {
    const child = spawnSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        CHILD,
        JSON.stringify({ ...emulator, timeScale: TIME_SCALE, marginMs: benchMarginMs(TIME_SCALE) }),
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    );
    if (child.status !== 0) throw new Error(`listing child failed with ${String(child.status)}`);
    const measured = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as Omit<
      ChildResult,
      'throttled'
    >;
    const log = await emulator.admin<{ status: number }[]>('/_emulator/requests');
    return { ...measured, throttled: log.filter((entry) => entry.status === 429).length };
  } finally {
    await emulator.stop();
  }
}

/** The pacing floor of a listing of `pages` pages whose answers take `meanLatencyS` (unscaled seconds). */
function floorMs(pages: number, meanLatencyS: number): number {
  const answerMs = (meanLatencyS * 1000) / TIME_SCALE;
  const windows = Math.floor((pages - 1) / 25);
  const afterPageZero = (pages - 1) % 25 === 0 ? 0 : answerMs;
  return windows * WINDOW_MS + afterPageZero + answerMs;
}

const results: BenchResult[] = [];
const varied = [1, 1.5, 2, 2.5, 3];
for (const [label, latencies, mean] of [
  ['pages of 1–3 s', varied, 2],
  ['pages of 5 s', [5], 5],
] as const) {
  const run = await listAll(200_000, [...latencies]);
  results.push(
    result(BENCH, `200,000 users, ${label}: users listed`, run.count, 'users', '>= 200000'),
    result(
      BENCH,
      `200,000 users, ${label}: time / pacing floor`,
      run.elapsedMs / floorMs(run.pages, mean),
      'ratio',
      '<= 1.02',
    ),
    result(BENCH, `200,000 users, ${label}: 429 responses`, run.throttled, 'count', '<= 0'),
    result(BENCH, `200,000 users, ${label}: peak RSS`, run.peakRssMiB, 'MiB'),
    result(BENCH, `200,000 users, ${label}: max live heap after GC`, run.liveHeapMiB, 'MiB'),
  );
}
const small = await listAll(50_000, varied);
results.push(
  result(BENCH, '50,000 users, pages of 1–3 s: peak RSS', small.peakRssMiB, 'MiB'),
  result(BENCH, '50,000 users, pages of 1–3 s: max live heap after GC', small.liveHeapMiB, 'MiB'),
);
emit(results);
