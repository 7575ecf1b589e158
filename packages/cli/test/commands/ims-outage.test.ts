import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthServerToServer, UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { runCli, type ClientFactory } from '@umapi-kit/cli';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { FakeClock } from '../../../client/test/support/fake-clock.js';
import { MemorySink } from '../support/fake-environment.js';

/** `umapi users list` while the emulator's IMS answers 503 or drops the connection: an outage, not a refusal. */
let emulator: Emulator;
let clock: FakeClock;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});

/** The real client on the CLI's settings, with a clock whose retry waits pass at once. */
const createClient: ClientFactory = (settings, hooks) =>
  Promise.resolve(
    new UmapiClient({
      orgId: settings.orgId,
      credentials: oauthServerToServer({
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        imsUrl: settings.imsUrl ?? '',
        fetch: emulator.fetch,
        clock,
      }),
      endpoint: settings.umapiUrl ?? '',
      fetch: emulator.fetch,
      clock,
      logger: hooks.logger,
      signal: hooks.signal,
      onRetry: (event) => {
        hooks.onRetry(event);
      },
      pacing: false,
    }),
  );

async function listUsers(): Promise<{ code: number; stdout: string; stderr: string }> {
  clock = new FakeClock();
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const code = await runCli(['users', 'list', '--output', 'csv'], {
    stdout,
    stderr,
    env: demoOrgEnv(emulator),
    cwd: '/nonexistent-umapi-test-folder',
    homeDir: '/nonexistent-umapi-test-home',
    createClient,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('users list while Adobe IMS is down', () => {
  it.each(['503', 'reset'] as const)(
    'retries IMS (%s), then says IMS is unavailable with exit 1, not exit 4',
    async (fault) => {
      emulator.setFaults({ rules: [{ endpoint: 'ims', fault, probability: 1 }] });
      const { code, stdout, stderr } = await listUsers();
      expect(code).toBe(1);
      expect(stdout).not.toMatch(/@/);
      expect(stderr).toMatch(/Adobe IMS is unavailable: no access token after \d+ attempt/);
      expect(stderr).toMatch(/the credentials were not refused/);
      expect(stderr).not.toMatch(/secret/i);
      expect(stderr).not.toContain(emulator.demo?.clientSecret ?? 'no secret');
      expect(clock.sleeps.length).toBeGreaterThan(0);
    },
  );

  it('lists the org once IMS answers again', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'ims', fault: '503', on: [1] }] });
    const { code, stdout } = await listUsers();
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').length - 1).toBe(emulator.snapshot().users.length);
  });
});
