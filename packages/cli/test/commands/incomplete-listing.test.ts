import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { runCli } from '@umapi-kit/cli';
import { MemorySink } from '../support/fake-environment.js';

/** `umapi users list` with the real client against the emulator, in process. */
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});

async function listUsers(): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const code = await runCli(['users', 'list', '--output', 'csv', '--no-pacing'], {
    stdout,
    stderr,
    env: {
      ...demoOrgEnv(emulator),
    },
    cwd: '/nonexistent-umapi-test-folder',
    homeDir: '/nonexistent-umapi-test-home',
    fetch: emulator.fetch,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

describe('users list on an org whose listing comes back short', () => {
  it('lists the small demo org whole when nothing is wrong', async () => {
    emulator.setFaults({ rules: [] });
    const { code, stdout } = await listUsers();
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').length - 1).toBe(emulator.snapshot().users.length);
  });

  it.each([
    ['empty', 'empty-page'],
    ['cut off (not JSON)', 'truncate'],
  ] as const)('fails, never "0 users", when its only page stays %s', async (_name, fault) => {
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault, probability: 1 }] });
    const { code, stdout, stderr } = await listUsers();
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/@/);
    expect(stderr).toMatch(/Listing users of the org is incomplete: page 0/);
    expect(stderr).not.toMatch(/\b0 users\b/);
  });
});
