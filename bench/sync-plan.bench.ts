/**
 * Sync planning at scale (issue 6): 200,000 directory users (CSV) against 200,000 Adobe users streamed from the
 * emulator (`--seed-users`). The directory differs from the org by 1 % renamed users, 1 % group changes, 1 % new
 * users and 1 % Adobe-only users. Reports the time to load the CSV, the time and CPU of streaming the Adobe users
 * through the planner, and peak memory — all measured in a child process that does only this.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UmapiClient, oauthServerToServer } from '@umapi-kit/client';
import { startEmulatorProcess } from './support/emulator-process.js';
import { emit, result } from './support/report.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'sync plan';
const USERS = Number(process.env['BENCH_SYNC_USERS'] ?? 200_000);
const CHILD = fileURLToPath(new URL('./support/sync-plan-child.ts', import.meta.url));

const emulator = await startEmulatorProcess(['--seed-users', String(USERS), '--limits', 'off']);
try {
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

  // The directory: the org's own users, with deterministic differences.
  const dir = benchTempDir('umapi-bench-sync-');
  const csvPath = join(dir, 'directory.csv');
  const csv = createWriteStream(csvPath);
  const groups = new Set<string>();
  csv.write('email,firstname,lastname,country,groups,type\n');
  let n = 0;
  for await (const user of client.users.list()) {
    n += 1;
    const userGroups = (user.groups ?? []).filter((g) => !g.startsWith('_'));
    for (const group of userGroups) groups.add(group);
    if (user.type === 'adobeID' || user.type === 'unknown') continue;
    if (n % 100 === 1) continue; // Adobe-only
    const lastname = n % 100 === 2 ? `${user.lastname ?? ''} Renamed` : (user.lastname ?? '');
    const directoryGroups = n % 100 === 3 ? [...userGroups.slice(1), 'Marketing'] : userGroups;
    const row = [
      user.email,
      user.firstname ?? '',
      lastname,
      user.country ?? 'US',
      directoryGroups.join(','),
      user.type,
    ];
    csv.write(row.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',') + '\n');
    if (n % 100 === 4) {
      csv.write(`"new.${n}@example.com","New","User ${n}","US","Designers","enterpriseID"\n`);
    }
  }
  await new Promise<void>((resolve) => csv.end(resolve));
  groups.add('Marketing');

  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', CHILD, JSON.stringify({ ...emulator, csvPath, groups: [...groups] })],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  if (child.status !== 0) throw new Error(`sync plan child failed with ${String(child.status)}`);
  const figures = JSON.parse(child.stdout.trim().split('\n').pop() ?? '{}') as {
    directoryUsers: number;
    adobeUsers: number;
    entries: number;
    loadMs: number;
    planMs: number;
    planCpuMs: number;
    peakRssMiB: number;
  };
  emit([
    result(BENCH, 'directory users (CSV)', figures.directoryUsers, 'users'),
    result(BENCH, 'Adobe users streamed from the emulator', figures.adobeUsers, 'users'),
    result(BENCH, 'plan entries', figures.entries, 'entries'),
    result(BENCH, 'load directory CSV', figures.loadMs / 1000, 's'),
    result(BENCH, 'stream Adobe users + plan (wall)', figures.planMs / 1000, 's'),
    result(BENCH, 'planning CPU (whole child: CSV, listing, plan)', figures.planCpuMs / 1000, 's', '< 10'),
    result(BENCH, 'peak memory', figures.peakRssMiB, 'MiB', '< 1024'),
  ]);
} finally {
  await emulator.stop();
}
