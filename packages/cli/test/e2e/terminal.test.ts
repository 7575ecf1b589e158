import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { ensureCliBuilt } from '../support/cli-binary.js';
import { runInPty } from '../support/pty-run.js';

let emulator: Emulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-pty-'));
  env = { ...demoOrgEnv(emulator), UMAPI_LOCK_DIR: join(dir, 'locks'), NO_COLOR: '1' };
}, 120_000);

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** The screen without escape sequences and carriage returns: the lines as they read. */
const plain = (screen: string): string =>
  // eslint-disable-next-line no-control-regex -- removing terminal control sequences is the point
  screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('at a prompt, in a real terminal', () => {
  const remove = ['users', 'remove', 'ada.admin@example.com', '--output', 'table', '--no-pacing'];

  it('"n" cancels: said plainly, exit 1, nothing sent', async () => {
    const before = emulator.requestLog().length;
    const run = await runInPty(remove, { cwd: dir, env, steps: [{ when: '[y/N]', keys: 'n\r' }] });
    expect(plain(run.screen)).toMatch(/Continue\? \[y\/N\] n\nerror: cancelled: nothing was sent\n$/);
    expect(run.code).toBe(1);
    const actions = emulator
      .requestLog()
      .slice(before)
      .filter((entry) => entry.path.includes('/action/'));
    expect(actions).toEqual([]);
  });

  it('Ctrl-C cancels on a line of its own: "cancelled", exit 130, no stack or "unexpected error"', async () => {
    const run = await runInPty(remove, { cwd: dir, env, steps: [{ when: '[y/N]', keys: '\u0003' }] });
    expect(plain(run.screen)).toMatch(/Continue\? \[y\/N\] \nerror: cancelled: nothing was sent\n$/);
    expect(run.screen).not.toContain('unexpected error');
    expect(run.code).toBe(130);
  });
});
