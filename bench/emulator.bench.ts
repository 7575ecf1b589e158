/**
 * Emulator speed (issue 3): with throttling off, action entries per second through HTTP; a users page at
 * 1,000,000 users; start-up on an empty database and with 20,000 generated users; the delay a latency fault adds.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '@umapi-kit/emulator';
import { demoToken, timed } from './support/emulator-session.js';
import { emit, result, type BenchResult } from './support/report.js';

const BENCH = 'emulator';
const EMULATOR_BIN = fileURLToPath(new URL('../packages/emulator/dist/bin.js', import.meta.url));
const results: BenchResult[] = [];

// Start-up on an empty database (best of 5).
let startupMs = Infinity;
for (let i = 0; i < 5; i += 1) {
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  const ms = await timed(async () => {
    emulator = await startEmulator({ seed: 'none', port: 0, host: '127.0.0.1' });
  });
  await emulator?.close();
  startupMs = Math.min(startupMs, ms);
}
results.push(result(BENCH, 'start-up in process, empty database (best of 5)', startupMs, 'ms', '< 1000'));

// Start-up of the `umapi-emulator` command itself: process start to "Ready." (best of 3).
let binMs = Infinity;
for (let i = 0; i < 3; i += 1) {
  const started = performance.now();
  const child = spawn(process.execPath, [EMULATOR_BIN, '--port', '0', '--seed', 'none'], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`umapi-emulator exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('Ready')) resolve();
    });
  });
  binMs = Math.min(binMs, performance.now() - started);
  child.removeAllListeners('exit');
  child.kill('SIGTERM');
}
results.push(result(BENCH, 'start-up of umapi-emulator (process), empty database', binMs, 'ms', '< 1000'));

// Action entries per second through HTTP, throttling off.
{
  const emulator = await startEmulator({ seed: 'demo', limits: 'off', port: 0, host: '127.0.0.1' });
  const demo = emulator.demo!;
  const token = await demoToken(emulator);
  const headers = {
    Authorization: `Bearer ${token}`,
    'X-Api-Key': demo.clientId,
    'Content-Type': 'application/json',
    Accept: 'application/json',
  };
  const requests = 400;
  const concurrency = 4;
  let next = 0;
  let completed = 0;
  const worker = async (): Promise<void> => {
    while (next < requests) {
      const n = next++;
      const body = Array.from({ length: 10 }, (_, i) => ({
        user: `bench.${n}.${i}@${demo.enterpriseDomain}`,
        do: [
          {
            createEnterpriseID: {
              email: `bench.${n}.${i}@${demo.enterpriseDomain}`,
              firstname: 'Bench',
              lastname: `User ${n}-${i}`,
              country: 'US',
              option: 'ignoreIfAlreadyExists',
            },
          },
          { add: { group: ['Designers'] } },
        ],
      }));
      const response = await fetch(`${emulator.umapiUrl}/action/${encodeURIComponent(demo.orgId)}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
      });
      const json = (await response.json()) as { completed?: number };
      completed += json.completed ?? 0;
    }
  };
  const ms = await timed(() => Promise.all(Array.from({ length: concurrency }, worker)));
  results.push(
    result(
      BENCH,
      'action entries per second (HTTP, limits off)',
      (completed / ms) * 1000,
      'entries/s',
      '>= 2000',
    ),
  );
  await emulator.close();
}

// Start-up with 20,000 generated users: seeding is one transaction of prepared statements (best of 3).
{
  let seededMs = Infinity;
  for (let i = 0; i < 3; i += 1) {
    let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
    const ms = await timed(async () => {
      emulator = await startEmulator({ seed: 'demo', seedUsers: 20_000, listen: false });
    });
    await emulator?.close();
    seededMs = Math.min(seededMs, ms);
  }
  results.push(
    result(BENCH, 'start-up in process with 20,000 generated users (best of 3)', seededMs, 'ms', '< 5000'),
  );
}

// A latency fault of 60 ms: how long the faulted users page takes, measured on the real clock.
{
  const emulator = await startEmulator({ seed: 'demo', limits: 'off', port: 0, host: '127.0.0.1' });
  const demo = emulator.demo!;
  const token = await demoToken(emulator);
  emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'latency', latencyMs: 60, on: [1] }] });
  const ms = await timed(async () => {
    const response = await fetch(`${emulator.umapiUrl}/users/${encodeURIComponent(demo.orgId)}/0`, {
      headers: { Authorization: `Bearer ${token}`, 'X-Api-Key': demo.clientId, Accept: 'application/json' },
    });
    await response.json();
  });
  results.push(result(BENCH, 'users page with a 60 ms latency fault', ms, 'ms', '>= 55'));
  await emulator.close();
}

// A users page at 1,000,000 users.
{
  const emulator = await startEmulator({
    seed: 'demo',
    seedUsers: 1_000_000,
    limits: 'off',
    port: 0,
    host: '127.0.0.1',
  });
  const demo = emulator.demo!;
  const token = await demoToken(emulator);
  const headers = {
    Authorization: `Bearer ${token}`,
    'X-Api-Key': demo.clientId,
    Accept: 'application/json',
  };
  const pageUrl = (page: number): string =>
    `${emulator.umapiUrl}/users/${encodeURIComponent(demo.orgId)}/${page}`;
  const first = await fetch(pageUrl(0), { headers });
  const pageCount = Number(first.headers.get('x-page-count'));
  await first.arrayBuffer();
  let worst = 0;
  for (const page of [0, Math.floor(pageCount / 2), pageCount - 1]) {
    const ms = await timed(async () => {
      const response = await fetch(pageUrl(page), { headers });
      await response.json();
    });
    worst = Math.max(worst, ms);
  }
  results.push(
    result(BENCH, 'users page at 1,000,000 users (worst of first/middle/last)', worst, 'ms', '< 100'),
  );
  await emulator.close();
}

emit(results);
