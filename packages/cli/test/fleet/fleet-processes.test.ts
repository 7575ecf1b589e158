import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { ensureCliBuilt, runBinary } from '../support/cli-binary.js';
import { emulatorOrgs, testOrg, writeOrgSync } from './fleet-orgs.js';

/**
 * `umapi fleet run` as an admin runs it (the built binary), each org's sync run in its own `umapi` process (the
 * default), against an emulator on 127.0.0.1 serving three orgs, one of them given a wrong secret.
 */
const alpha = testOrg('alpha', 11);
const beta = testOrg('beta', 12);
const gamma = testOrg('gamma', 13);
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({
    port: 0,
    host: '127.0.0.1',
    seed: 'none',
    limits: 'off',
    orgs: emulatorOrgs([alpha, beta, gamma]),
  });
  dir = await mkdtemp(join(tmpdir(), 'umapi-fleet-proc-'));
  for (const org of [alpha, beta, gamma]) await writeOrgSync(dir, org, 4);
  await writeFile(
    join(dir, 'fleet.yml'),
    [
      `umapi_url: ${emulator.umapiUrl}`,
      `ims_url: ${emulator.imsUrl}`,
      'orgs:',
      ...[alpha, beta, gamma].flatMap((org) => [
        `  - name: ${org.name}`,
        `    org_id: ${org.orgId}`,
        `    client_id: ${org.clientId}`,
        `    client_secret_file: ${org.name}.secret`,
        `    sync_config: ${org.name}/sync.yml`,
      ]),
    ].join('\n') + '\n',
  );
  await writeFile(join(dir, 'alpha.secret'), `${alpha.clientSecret}\n`);
  await writeFile(join(dir, 'beta.secret'), 'a-secret-that-is-not-betas\n');
  await writeFile(join(dir, 'gamma.secret'), `${gamma.clientSecret}\n`);
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('fleet run with an umapi process per org', () => {
  it('isolates the failing org and gathers every org’s figures, logs and report', async () => {
    const run = await runBinary(
      [
        'fleet',
        'run',
        'fleet.yml',
        '--yes',
        '--json',
        '--no-pacing',
        '--log-format',
        'json',
        '--metrics-file',
        'fleet.prom',
      ],
      { cwd: dir },
    );
    expect(run.code, run.stderr).toBe(4);
    const results = JSON.parse(run.stdout) as {
      name: string;
      outcome: string;
      succeeded: number;
      requests: number;
    }[];
    expect(results.map((result) => [result.name, result.outcome, result.succeeded])).toEqual([
      ['alpha', 'ok', 4],
      ['beta', 'auth-failure', 0],
      ['gamma', 'ok', 4],
    ]);
    expect(results[0]?.requests).toBeGreaterThan(2);
    expect(emulator.snapshot(gamma.orgId).users).toHaveLength(4);
    expect(emulator.snapshot(beta.orgId).users).toHaveLength(0);
    const lines = run.stderr
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line['fleetOrg'] === 'beta' && line['level'] === 'error')).not.toEqual([]);
    expect(
      lines.find((line) => line['event'] === 'run.finished' && line['fleetOrg'] === 'alpha'),
    ).toMatchObject({
      org: alpha.orgId,
      exitCode: 0,
    });
    for (const secret of [alpha.clientSecret, gamma.clientSecret, 'a-secret-that-is-not-betas']) {
      expect(run.stderr).not.toContain(secret);
    }
    const report = JSON.parse(await readFile(join(dir, 'reports', 'gamma.json'), 'utf8')) as {
      counts: { succeeded: number };
    };
    expect(report.counts.succeeded).toBe(4);
    const families = parsePrometheusTextFormat(await readFile(join(dir, 'fleet.prom'), 'utf8'));
    const requests = families.find((family) => family.name === 'umapi_sync_requests')?.metrics ?? [];
    const actions = requests.find(
      (sample) => sample.labels?.['org'] === alpha.orgId && sample.labels['endpoint'] === 'action',
    );
    expect(Number(actions?.value)).toBeGreaterThan(0);
  });
});
