import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { runCli, type CliEnvironment, type ClientFactory } from '@umapi-kit/cli';
import type { RunReport } from '@umapi-kit/sync';
import { MemorySink } from '../support/fake-environment.js';
import { emulatorOrgs, testOrg, writeOrgSync } from './fleet-orgs.js';

/**
 * `umapi fleet run` against the emulator serving several orgs: each org synced with its own credentials, one
 * org's failure (a wrong secret, an exception) isolated, an org outside its window skipped, one report per org,
 * the worst exit code, JSON logs without a secret in any line, and metrics a Prometheus parser reads.
 */
const acme = testOrg('acme', 1);
const globex = testOrg('globex', 2);
const initech = testOrg('initech', 3);
const nightly = testOrg('nightly', 4);
let emulator: Emulator;
let dir = '';
/** 12:00 UTC: inside 08:00-18:00, outside 22:00-05:00. */
const noon = Date.UTC(2026, 11, 4, 12, 0, 0);
const started = Date.now();
const clock = { now: () => noon + (Date.now() - started) };

beforeAll(async () => {
  emulator = await startEmulator({
    listen: false,
    seed: 'none',
    limits: 'off',
    orgs: emulatorOrgs([acme, globex, initech, nightly]),
  });
  dir = await mkdtemp(join(tmpdir(), 'umapi-fleet-'));
  for (const org of [acme, globex, initech, nightly]) await writeOrgSync(dir, org, 6);
  const entry = (org: typeof acme, extra: string[] = []): string[] => [
    `  - name: ${org.name}`,
    `    org_id: ${org.orgId}`,
    `    client_id: ${org.clientId}`,
    `    client_secret_env: ${org.name.toUpperCase()}_SECRET`,
    `    sync_config: ${org.name}/sync.yml`,
    ...extra,
  ];
  await writeFile(
    join(dir, 'fleet.yml'),
    [
      'concurrency: 2',
      `umapi_url: ${emulator.umapiUrl}`,
      `ims_url: ${emulator.imsUrl}`,
      'orgs:',
      ...entry(acme, ['    window: "08:00-18:00"']),
      ...entry(globex),
      ...entry(initech),
      ...entry(nightly, ['    window: "22:00-05:00"']),
    ].join('\n') + '\n',
  );
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

function secrets(): Record<string, string> {
  return {
    ACME_SECRET: acme.clientSecret,
    GLOBEX_SECRET: globex.clientSecret,
    // initech's variable holds another org's secret: IMS refuses it.
    INITECH_SECRET: 'not-the-initech-secret-at-all',
    NIGHTLY_SECRET: nightly.clientSecret,
  };
}

async function fleet(args: string[], overrides: Partial<CliEnvironment> = {}) {
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const code = await runCli(
    ['fleet', 'run', 'fleet.yml', '--isolation', 'in-process', '--no-pacing', ...args],
    {
      stdout,
      stderr,
      cwd: dir,
      homeDir: dir,
      fetch: emulator.fetch,
      clock,
      // The same orgs are synced twice within a test: the page-0 guard's interval is off here.
      env: { UMAPI_LOCK_DIR: join(dir, 'locks'), UMAPI_FULL_READ_INTERVAL: '0', ...secrets() },
      ...overrides,
    },
  );
  return { code, stdout: stdout.text, stderr: stderr.text };
}

interface Result {
  name: string;
  outcome: string;
  exitCode: number;
  entries: number;
  succeeded: number;
  requests: number;
  report?: string;
  failure?: string;
}

describe('fleet run', () => {
  it('syncs each org with its own credentials, isolates the failing one, skips the one outside its window', async () => {
    const run = await fleet([
      '--yes',
      '--json',
      '--report-dir',
      'reports',
      '--metrics-file',
      'fleet.prom',
      '--log-format',
      'json',
      '--log-file',
      'logs/fleet.log',
    ]);
    // initech's IMS refusal is the worst outcome: exit 4.
    expect(run.code, run.stderr).toBe(4);
    const results = JSON.parse(run.stdout) as Result[];
    expect(results.map((result) => [result.name, result.outcome])).toEqual([
      ['acme', 'ok'],
      ['globex', 'ok'],
      ['initech', 'auth-failure'],
      ['nightly', 'outside-window'],
    ]);
    for (const org of [acme, globex]) {
      const result = results.find((candidate) => candidate.name === org.name);
      expect(result?.entries).toBe(6);
      expect(result?.succeeded).toBe(6);
      expect(result?.requests).toBeGreaterThan(2);
      const users = emulator
        .snapshot(org.orgId)
        .users.map((user) => user.email)
        .sort();
      expect(users).toEqual(Array.from({ length: 6 }, (_, i) => `user${String(i)}@${org.domain}`).sort());
      // The same run report `sync run` prints, and its page.
      const report = JSON.parse(
        await readFile(join(dir, 'reports', `${org.name}.json`), 'utf8'),
      ) as RunReport;
      expect(report.kind).toBe('sync-run-report');
      expect(report.counts.succeeded).toBe(6);
      expect(await readFile(join(dir, 'reports', `${org.name}.html`), 'utf8')).toContain('<html');
    }
    expect(results[2]?.failure).toMatch(/IMS refused/);
    expect(emulator.snapshot(initech.orgId).users).toEqual([]);
    expect(emulator.snapshot(nightly.orgId).users).toEqual([]);
    expect((await readdir(join(dir, 'reports'))).sort()).toEqual([
      'acme.html',
      'acme.json',
      'globex.html',
      'globex.json',
    ]);

    // Every stderr line and every log file line is one JSON object, and no secret is in any of them.
    const logFiles = await readdir(join(dir, 'logs'));
    expect(logFiles).toEqual(['fleet-2026-12-04.log']);
    const fileLines = (await readFile(join(dir, 'logs', logFiles[0] ?? ''), 'utf8')).trimEnd().split('\n');
    const stderrLines = run.stderr.trimEnd().split('\n');
    const all = [...stderrLines, ...fileLines];
    for (const line of all) {
      const record = JSON.parse(line) as Record<string, unknown>;
      expect(typeof record['level']).toBe('string');
      expect(typeof record['time']).toBe('string');
      expect(typeof record['event']).toBe('string');
      for (const secret of Object.values(secrets())) expect(line).not.toContain(secret);
      expect(line).not.toMatch(/Bearer\s+(?!\[REDACTED\])/);
      expect(line).not.toMatch(/eyJ[A-Za-z0-9_-]{8,}/);
    }
    const records = fileLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const request = records.find(
      (record) => record['event'] === 'umapi.request' && record['fleetOrg'] === 'acme',
    );
    expect(request?.['org']).toBe(acme.orgId);
    expect(request?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
    expect(request?.['runId']).toMatch(/^[0-9a-f-]{36}$/);
    const finished = records.find(
      (record) => record['event'] === 'run.finished' && record['fleetOrg'] === 'globex',
    );
    expect(finished).toMatchObject({ outcome: 'ok', exitCode: 0, counts: { succeeded: 6, total: 6 } });

    // One metrics file for the fleet, every series labelled with its org.
    const families = parsePrometheusTextFormat(await readFile(join(dir, 'fleet.prom'), 'utf8'));
    const family = (name: string) => families.find((candidate) => candidate.name === name)?.metrics ?? [];
    const value = (name: string, labels: Record<string, string>) =>
      family(name).find((sample) => Object.entries(labels).every(([key, v]) => sample.labels?.[key] === v))
        ?.value;
    expect(value('umapi_sync_exit_code', { org: acme.orgId })).toBe('0');
    expect(value('umapi_sync_exit_code', { org: initech.orgId })).toBe('4');
    expect(value('umapi_sync_entries', { org: globex.orgId, kind: 'create', outcome: 'succeeded' })).toBe(
      '6',
    );
    expect(Number(value('umapi_sync_pages_read', { org: acme.orgId, listing: 'users' }))).toBeGreaterThan(0);
    expect(value('umapi_sync_last_success_timestamp_seconds', { org: initech.orgId })).toBeUndefined();
    expect(Number(value('umapi_sync_last_success_timestamp_seconds', { org: acme.orgId }))).toBeCloseTo(
      noon / 1000,
      -2,
    );
    expect(family('umapi_sync_exit_code').map((sample) => sample.labels?.['org'])).not.toContain(
      nightly.orgId,
    );
  });

  it('an exception in one org does not stop the others, and a second run has nothing to do', async () => {
    const real = (await import('../../src/context/create-client.js')).createUmapiClient;
    const exploding: ClientFactory = async (settings, hooks) => {
      if (settings.orgId === globex.orgId) throw new TypeError('something nobody expected');
      return real(settings, hooks);
    };
    const run = await fleet(['--yes', '--json', '--only', 'acme,globex'], { createClient: exploding });
    expect(run.code).toBe(1);
    const results = JSON.parse(run.stdout) as Result[];
    expect(results.map((result) => [result.name, result.outcome, result.entries])).toEqual([
      ['acme', 'ok', 0],
      ['globex', 'failure', 0],
    ]);
    expect(run.stderr).toContain('[globex] ');
    expect(run.stderr).toContain('something nobody expected');
  });

  it('refuses a secret written in the fleet file, naming file, line and key', async () => {
    await writeFile(
      join(dir, 'inline.yml'),
      [
        'orgs:',
        '  - name: acme',
        `    org_id: ${acme.orgId}`,
        `    client_secret: ${acme.clientSecret}`,
      ].join('\n'),
    );
    const stdout = new MemorySink();
    const stderr = new MemorySink();
    const code = await runCli(['fleet', 'run', 'inline.yml'], {
      stdout,
      stderr,
      cwd: dir,
      homeDir: dir,
      env: {},
    });
    expect(code).toBe(2);
    expect(stderr.text).toContain(
      `${join(dir, 'inline.yml')}:4: orgs[0].client_secret: a secret is never written`,
    );
    expect(stderr.text).toContain('client_secret_env');
    expect(stderr.text).not.toContain(acme.clientSecret);
  });
});
