import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';
import { umapiInFolder } from '../support/umapi-in-folder.js';

/** `sync run --metrics-file` against the emulator, read back by a Prometheus text parser. */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  // Small pages and a fault: several pages read, one 429 with Retry-After: 1 waited out.
  emulator = await startEmulator({
    listen: false,
    seed: 'demo',
    seedUsers: 25,
    pageSizeUsers: 10,
    limits: 'off',
    faults: { rules: [{ endpoint: 'userRead', fault: '429', on: [2], retryAfter: '1' }] },
  });
  dir = await mkdtemp(join(tmpdir(), 'umapi-metrics-'));
  await writeFile(join(dir, 'sync.yml'), demoSyncYaml({ maxAdobeOnlyUsers: 1 }));
  await writeFile(
    join(dir, 'users.csv'),
    'email,firstname,lastname,country,groups,type\nivy.new@fed.example.com,Ivy,New,US,design,federatedID\n',
  );
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

function samples(text: string) {
  const families = parsePrometheusTextFormat(text);
  return (name: string, labels: Record<string, string> = {}): string | undefined =>
    families
      .find((family) => family.name === name)
      ?.metrics.find((sample) =>
        Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
      )?.value;
}

describe('--metrics-file', () => {
  it('writes entries by kind and outcome, requests, pages read, held entries and times, whole', async () => {
    const org = emulator.demo?.orgId ?? '';
    const run = await umapiInFolder(emulator, dir, [
      'sync',
      'run',
      '--sync-config',
      'sync.yml',
      '--yes',
      '--json',
      '--metrics-file',
      'umapi.prom',
    ]);
    // max_adobe_only_users 1: the removals are held.
    expect(run.code, run.stderr).toBe(5);
    const value = samples(await readFile(join(dir, 'umapi.prom'), 'utf8'));
    expect(value('umapi_sync_exit_code', { org })).toBe('5');
    expect(Number(value('umapi_sync_held_entries', { org }))).toBeGreaterThan(1);
    expect(
      Number(value('umapi_sync_entries', { org, kind: 'remove-from-org', outcome: 'held' })),
    ).toBeGreaterThan(1);
    expect(Number(value('umapi_sync_pages_read', { org, listing: 'users' }))).toBeGreaterThanOrEqual(3);
    expect(
      Number(value('umapi_sync_requests', { org, endpoint: 'users', status: '200' })),
    ).toBeGreaterThanOrEqual(3);
    // The second page of users was answered 429 with Retry-After: 1, then read again.
    expect(value('umapi_sync_throttled_responses', { org })).toBe('1');
    expect(value('umapi_sync_requests', { org, endpoint: 'users', status: '429' })).toBe('1');
    expect(value('umapi_sync_retries', { org })).toBe('1');
    expect(Number(value('umapi_sync_retry_after_seconds', { org }))).toBeGreaterThanOrEqual(1);
    expect(Number(value('umapi_sync_duration_seconds', { org }))).toBeGreaterThan(0);
    // Held is not a success: no last-success time yet.
    expect(value('umapi_sync_last_success_timestamp_seconds', { org })).toBeUndefined();
    // Nothing but the file is left in the folder (the temporary file was renamed over it).
    expect((await readdir(dir)).filter((name) => name.includes('prom'))).toEqual(['umapi.prom']);

    // A folder that does not exist is an error line; the run's exit code stands.
    const missing = await umapiInFolder(emulator, dir, [
      'sync',
      'run',
      '--sync-config',
      'sync.yml',
      '--yes',
      '--json',
      '--metrics-file',
      'out/umapi.prom',
    ]);
    expect(missing.code).toBe(5);
    expect(missing.stderr).toMatch(/cannot write the metrics file .*out\/umapi\.prom/);
  });

  it('keeps the last success time of an earlier run when this one fails', async () => {
    const org = emulator.demo?.orgId ?? '';
    await writeFile(join(dir, 'ok.yml'), demoSyncYaml({ maxAdobeOnlyUsers: 1000 }));
    const ok = await umapiInFolder(emulator, dir, [
      'sync',
      'run',
      '--sync-config',
      'ok.yml',
      '--yes',
      '--json',
      '--metrics-file',
      'ok.prom',
    ]);
    expect(ok.code, ok.stderr).toBe(0);
    const success = samples(await readFile(join(dir, 'ok.prom'), 'utf8'))(
      'umapi_sync_last_success_timestamp_seconds',
      { org },
    );
    expect(Number(success)).toBeGreaterThan(1_700_000_000);
    const failed = await umapiInFolder(
      emulator,
      dir,
      ['sync', 'run', '--sync-config', 'ok.yml', '--yes', '--json', '--metrics-file', 'ok.prom'],
      { env: { UMAPI_CLIENT_SECRET: 'wrong-secret-for-the-demo-org' } },
    );
    expect(failed.code).toBe(4);
    const value = samples(await readFile(join(dir, 'ok.prom'), 'utf8'));
    expect(value('umapi_sync_exit_code', { org })).toBe('4');
    expect(value('umapi_sync_last_success_timestamp_seconds', { org })).toBe(success);
  });
});
