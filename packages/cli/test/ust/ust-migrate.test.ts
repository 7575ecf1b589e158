import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { ustFolder } from './ust-folder.js';

/** `umapi sync migrate`: the sync.yml it writes plans what the User Sync Tool folder plans. */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-migrate-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const umapi = (args: string[]): Promise<Run> =>
  umapiInFolder(emulator, dir, args, {
    env: { UMAPI_KEYRING_UST_DEMO_SECRET: emulator.demo?.clientSecret ?? '', PATH: '/nonexistent' },
  });

describe('sync migrate', () => {
  it('writes a commented sync.yml that plans the same entries, and refuses to overwrite without --force', async () => {
    const folder = await ustFolder('csv', dir, emulator);
    const config = join(folder, 'user-sync-config.yml');
    const migrated = await umapi(['sync', 'migrate', config, '--out', 'sync.yml', '--json']);
    expect(migrated.code, migrated.stderr).toBe(0);
    expect(migrated.stderr).toContain('still to do by hand');
    const text = await readFile(join(dir, 'sync.yml'), 'utf8');
    expect(text).toMatch(/# from user-sync-config\.yml:\d+ directory_users\.additional_groups/);
    const plan = (args: string[]) => umapi(['sync', 'plan', '--json', ...args]);
    const fromUst = await plan(['--ust-config', config]);
    const fromNative = await plan(['--sync-config', 'sync.yml']);
    expect(fromNative.code, fromNative.stderr).toBe(0);
    const entries = (run: Run) => (JSON.parse(run.stdout) as { entries: unknown[] }).entries;
    expect(entries(fromNative)).toEqual(entries(fromUst));
    const again = await umapi(['sync', 'migrate', config, '--out', 'sync.yml']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('sync.yml exists: pass --force to replace it');
  });

  it('refuses what sync run refuses, with the same message', async () => {
    const folder = await ustFolder('csv', dir, emulator);
    const config = join(folder, 'user-sync-config.yml');
    await writeFile(
      config,
      (await readFile(config, 'utf8')).replace('  groups:', '  extension: ext.yml\n  groups:'),
    );
    const run = await umapi(['sync', 'migrate', config, '--out', 'other.yml']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /user-sync-config\.yml:21: directory_users\.extension: is refused: extension files run Python/,
    );
  });
});
