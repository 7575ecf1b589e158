/**
 * Many orgs (issue 15): 20 orgs of 5,000 users each, planned and applied through `umapi fleet run` (in process,
 * the command itself) against one emulator process serving all of them at the documented limits, time-scaled.
 * Each org's client paces at its own per-client budget, so the orgs should run side by side: the fleet's total
 * time ÷ one org's time alone (target ≤ 1.2), and the peak memory of the process running the fleet.
 *
 * The orgs are the same size, so one org run alone (an extra org, not one of the 20) stands for "the slowest
 * single org alone".
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@umapi-kit/cli';
import { startEmulatorProcess } from './support/emulator-process.js';
import { emit, peakRssMiB, result } from './support/report.js';
import { benchTempDir } from './support/temp-dir.js';

const BENCH = 'fleet';
const ORGS = Number(process.env['BENCH_FLEET_ORGS'] ?? 20);
const USERS = Number(process.env['BENCH_FLEET_USERS'] ?? 5000);
// 60: a budget-minute lasts one second; 5,000 creates are 500 action requests, 50 budget-minutes.
const TIME_SCALE = Number(process.env['BENCH_FLEET_TIME_SCALE'] ?? 60);
// in-process (the default of fleet run): every org in this process; process: an umapi process per org.
const ISOLATION = process.env['BENCH_FLEET_ISOLATION'] ?? 'in-process';

const dir = benchTempDir('umapi-bench-fleet-');
const names = Array.from({ length: ORGS + 1 }, (_, i) => `org${String(i).padStart(2, '0')}`);
const orgOf = (name: string, index: number) => ({
  name,
  orgId: `BE0C${index.toString(16).toUpperCase().padStart(20, '0')}@AdobeOrg`,
  clientId: `bench-${name}`,
  clientSecret: `bench-${name}-secret`,
  domain: `${name}.example.com`,
});
const orgs = names.map(orgOf);
writeFileSync(
  join(dir, 'orgs.json'),
  JSON.stringify(
    orgs.map((org) => ({
      orgId: org.orgId,
      name: org.name,
      clientId: org.clientId,
      clientSecret: org.clientSecret,
      federatedDomains: [org.domain],
      userGroups: ['Staff'],
    })),
  ),
);
for (const org of orgs) {
  const folder = join(dir, org.name);
  mkdirSync(folder, { recursive: true });
  const rows = Array.from(
    { length: USERS },
    (_, i) => `person${String(i)}@${org.domain},Person,${String(i)},US,staff,federatedID`,
  );
  writeFileSync(
    join(folder, 'users.csv'),
    ['email,firstname,lastname,country,groups,type', ...rows].join('\n') + '\n',
  );
  writeFileSync(
    join(folder, 'sync.yml'),
    [
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      '    csv: users.csv',
      '  groups:',
      '    - directory_group: staff',
      '      adobe_groups: [Staff]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      'invocation_defaults:',
      '  adobe_only_user_action: exclude',
    ].join('\n') + '\n',
  );
}

/** CPU seconds the emulator process has used (Linux /proc; 0 where there is none). */
function emulatorCpuSeconds(): number {
  try {
    const line = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
      .split('\n')
      .find((candidate) => candidate.includes('emulator/dist/bin.js') && candidate.includes(dir));
    const pid = line?.trim().split(/\s+/)[0];
    if (pid === undefined) return 0;
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

const emulator = await startEmulatorProcess([
  '--limits',
  'documented',
  '--time-scale',
  String(TIME_SCALE),
  '--orgs',
  join(dir, 'orgs.json'),
]);
try {
  writeFileSync(
    join(dir, 'fleet.yml'),
    [
      `concurrency: ${String(ORGS)}`,
      `umapi_url: ${emulator.umapiUrl}`,
      `ims_url: ${emulator.imsUrl}`,
      'orgs:',
      ...orgs.flatMap((org) => [
        `  - name: ${org.name}`,
        `    org_id: ${org.orgId}`,
        `    client_id: ${org.clientId}`,
        `    client_secret_env: SECRET_${org.name.toUpperCase()}`,
        `    sync_config: ${org.name}/sync.yml`,
      ]),
    ].join('\n') + '\n',
  );
  const env = {
    PATH: process.env['PATH'] ?? '',
    UMAPI_LOCK_DIR: join(dir, 'locks'),
    // Each org is read alone, then again in the fleet: the page-0 guard's two hours would refuse the second.
    UMAPI_FULL_READ_INTERVAL: '0',
    // The CLI's pacer at the documented budgets, in the emulator's scaled minute.
    UMAPI_PACING_TIME_SCALE: String(TIME_SCALE),
    ...Object.fromEntries(orgs.map((org) => [`SECRET_${org.name.toUpperCase()}`, org.clientSecret])),
  };
  interface OrgResult {
    name: string;
    outcome: string;
    entries: number;
    succeeded: number;
    durationMs: number;
    throttled: number;
  }
  const fleet = async (only: string[]): Promise<{ ms: number; results: OrgResult[] }> => {
    let stdout = '';
    const start = performance.now();
    const code = await runCli(
      [
        'fleet',
        'run',
        'fleet.yml',
        '--yes',
        '--json',
        '--only',
        only.join(','),
        '--report-dir',
        'reports',
        '--isolation',
        ISOLATION,
      ],
      {
        stdout: { write: (chunk: string) => ((stdout += chunk), true) },
        stderr: { write: () => true },
        cwd: dir,
        homeDir: dir,
        env,
      },
    );
    const ms = performance.now() - start;
    if (code !== 0) throw new Error(`fleet run exited ${String(code)}: ${stdout.slice(0, 2000)}`);
    return { ms, results: JSON.parse(stdout) as OrgResult[] };
  };
  // The org processes' memory, sampled from ps every half second while the fleet runs.
  let orgPeakMiB = 0;
  let orgsTogetherPeakMiB = 0;
  const sample = (): void => {
    const lines = execFileSync('ps', ['-eo', 'rss=,args='], { encoding: 'utf8' }).split('\n');
    const rss = lines
      .filter((line) => line.includes('bin.js sync run') && line.includes(dir))
      .map((line) => Number(line.trim().split(/\s+/)[0]) / 1024);
    orgPeakMiB = Math.max(orgPeakMiB, ...rss);
    orgsTogetherPeakMiB = Math.max(
      orgsTogetherPeakMiB,
      rss.reduce((sum, value) => sum + value, 0),
    );
  };
  const sampler = setInterval(sample, 500);
  const alone = await fleet([names[0] ?? '']);
  const cpuBefore = process.cpuUsage();
  const emulatorCpuBefore = emulatorCpuSeconds();
  const all = await fleet(names.slice(1));
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  const emulatorCpu = emulatorCpuSeconds() - emulatorCpuBefore;
  const slowestInFleet = Math.max(...all.results.map((org) => org.durationMs));
  const succeeded = all.results.reduce((sum, org) => sum + org.succeeded, 0);
  emit([
    result(BENCH, 'orgs × users', ORGS * USERS, 'users'),
    result(BENCH, 'entries succeeded (fleet)', succeeded, 'entries', `>= ${String(ORGS * USERS)}`),
    result(BENCH, 'one org alone', alone.ms / 1000, 's'),
    result(BENCH, `fleet of ${String(ORGS)} orgs`, all.ms / 1000, 's'),
    result(BENCH, 'slowest org within the fleet', slowestInFleet / 1000, 's'),
    result(BENCH, 'fleet time / one org alone', all.ms / alone.ms, 'ratio', '<= 1.2'),
    result(
      BENCH,
      '429 responses received (fleet)',
      all.results.reduce((sum, org) => sum + org.throttled, 0),
      'count',
      '<= 0',
    ),
    result(
      BENCH,
      `peak RSS (the fleet process${ISOLATION === 'process' ? ', without its org processes' : ''})`,
      peakRssMiB(),
      'MiB',
    ),
    ...(ISOLATION === 'process'
      ? [
          result(BENCH, 'peak RSS of one org process (largest, sampled)', orgPeakMiB, 'MiB'),
          result(BENCH, 'peak RSS of the org processes together (sampled)', orgsTogetherPeakMiB, 'MiB'),
        ]
      : []),
    // Near 1 (one core busy all along): the fleet is bound by this process's CPU, not by the budgets.
    result(BENCH, 'fleet process CPU / fleet time', (cpu.user + cpu.system) / 1000 / all.ms, 'ratio'),
    // Near 1: the emulator (one process, one SQLite file for every org) is what the fleet waits for.
    result(BENCH, 'emulator CPU / fleet time', (emulatorCpu * 1000) / all.ms, 'ratio'),
    result(BENCH, 'CPU cores of this machine', availableParallelism(), 'cores'),
    result(BENCH, 'time scale', TIME_SCALE, 'x'),
  ]);
} finally {
  await emulator.stop();
}
