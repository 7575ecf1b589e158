import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { ustFolder } from './ust-folder.js';

/** The User Sync Tool rules on the CSV folder: auto_create, --adobe-users, push with exclusions. */
let emulator: Emulator;
let dir = '';
let config = '';

beforeAll(async () => {
  emulator = await startEmulator({ seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-rules-'));
  config = join(await ustFolder('csv', dir, emulator), 'user-sync-config.yml');
});

const umapi = (args: string[]): Promise<Run> =>
  umapiInFolder(emulator, dir, args, {
    env: { UMAPI_KEYRING_UST_DEMO_SECRET: emulator.demo?.clientSecret ?? '', PATH: '/nonexistent' },
  });

/** Rewrites part of the folder's user-sync-config.yml. */
async function edit(from: string, to: string): Promise<void> {
  const text = await readFile(config, 'utf8');
  if (!text.includes(from)) throw new Error(`fixture lacks ${from}`);
  await writeFile(config, text.replace(from, to));
}

interface PlanJson {
  entries: { kind: string; target: { user: string }; addGroups?: string[]; removeGroups?: string[] }[];
  createGroups?: string[];
  stats: { adobeUsersRead: number; directoryUsers: number };
}

async function plan(...args: string[]): Promise<PlanJson> {
  const run = await umapi(['sync', 'plan', '--ust-config', config, '--json', ...args]);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as PlanJson;
}

describe('group_sync_options.auto_create', () => {
  beforeEach(async () => {
    await edit('        - Designers\n', '        - Designers\n        - Brand Team\n');
  });

  it('creates a missing mapped group before the entries that add users to it', async () => {
    await edit('auto_create: False', 'auto_create: True');
    expect((await plan()).createGroups).toEqual(['Brand Team']);
    const run = await umapi(['sync', 'run', '--ust-config', config, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('created 1 mapped user group(s) the org did not have: Brand Team');
    const hire = await demoOrgClient(emulator).users.get('new.hire@fed.example.com');
    expect(hire?.groups).toContain('Brand Team');
  });

  it('creates nothing when off, nor in push mode', async () => {
    expect((await plan()).createGroups).toBeUndefined();
    await edit('auto_create: False', 'auto_create: True');
    expect((await plan('--strategy', 'push')).createGroups).toBeUndefined();
  });
});

describe('--adobe-users', () => {
  it('group G: reads only that group, so no one else is Adobe-only', async () => {
    const all = await plan();
    const developers = await demoOrgClient(emulator)
      .users.list({ group: 'Developers' })
      .toArray({ all: true });
    const scoped = await plan('--adobe-users', 'group', 'Developers');
    expect(scoped.stats.adobeUsersRead).toBe(developers.length);
    expect(scoped.stats.adobeUsersRead).toBeLessThan(all.stats.adobeUsersRead);
    // fay (Adobe-only, not in Developers) loses her groups with all users read, and is not touched here.
    expect(all.entries.some((entry) => entry.target.user === 'fay.sso@fed.example.com')).toBe(true);
    expect(scoped.entries.some((entry) => entry.target.user === 'fay.sso@fed.example.com')).toBe(false);
  });

  it('mapped: reads the members of the mapped groups, each once', async () => {
    const client = demoOrgClient(emulator);
    const members = new Set<string>();
    for (const group of ['Designers', 'Developers', 'Marketing']) {
      for (const user of await client.users.list({ group }).toArray({ all: true })) members.add(user.email);
    }
    expect((await plan('--adobe-users', 'mapped')).stats.adobeUsersRead).toBe(members.size);
  });
});

describe('push strategy with exclusions', () => {
  it('never asks to remove anyone from an excluded group (_org_admin), and removes no one', async () => {
    const pushed = await plan('--strategy', 'push');
    for (const entry of pushed.entries) {
      expect(entry.removeGroups ?? []).not.toContain('_org_admin');
      expect(['create']).toContain(entry.kind);
    }
    const run = await umapi(['sync', 'run', '--ust-config', config, '--strategy', 'push', '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const ada = await demoOrgClient(emulator).users.get('ada.admin@example.com');
    expect(ada?.groups).toContain('_org_admin');
  });
});
