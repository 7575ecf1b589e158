import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { ustFolder } from './ust-folder.js';

/**
 * A User Sync Tool folder for a CSV export (user-sync-config.yml, connector-umapi.yml, connector-csv.yml), run
 * unchanged with `umapi sync run --ust-config` against the emulator's demo org.
 */
let emulator: Emulator;
let dir = '';
let folder = '';

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
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-csv-'));
  folder = await ustFolder('csv', dir, emulator);
});

/** The CLI in `dir`, with no UMAPI_* connection variables: the connection comes from connector-umapi.yml. */
const umapi = (args: string[], env: Record<string, string> = {}): Promise<Run> =>
  umapiInFolder(emulator, dir, args, {
    env: {
      UMAPI_ORG_ID: '',
      UMAPI_CLIENT_ID: '',
      UMAPI_CLIENT_SECRET: '',
      UMAPI_URL: '',
      UMAPI_IMS_URL: '',
      UMAPI_KEYRING_UST_DEMO_SECRET: emulator.demo?.clientSecret ?? '',
      // No keyring here: the lookup must not find a real one.
      PATH: '/nonexistent',
      ...env,
    },
  });

async function groupsOf(email: string): Promise<string[]> {
  const user = await demoOrgClient(emulator).users.get(email);
  return [...(user?.groups ?? [])].sort();
}

describe('sync run --ust-config (CSV folder)', () => {
  it('syncs as the User Sync Tool would: column names, additional_groups, Adobe-only action, update_user_info', async () => {
    const run = await umapi([
      'sync',
      'run',
      '--ust-config',
      join(folder, 'user-sync-config.yml'),
      '--yes',
      '--json',
    ]);
    expect(run.stderr).not.toContain(emulator.demo?.clientSecret ?? 'never');
    expect(run.code, run.stderr).toBe(0);
    // additional_groups: mkt-emea → Marketing (Dan had it already), mkt-us → Marketing for the new hire.
    expect(await groupsOf('new.hire@fed.example.com')).toEqual(['Designers', 'Marketing']);
    expect(await groupsOf('dan.market@fed.example.com')).toContain('Marketing');
    // update_user_info with the renamed column: Ben's first name.
    const ben = await demoOrgClient(emulator).users.get('ben.designer@example.com');
    expect(ben?.firstname).toBe('Benjamin');
    // eve: dev and design.
    expect(await groupsOf('eve.ops@fed.example.com')).toEqual(
      expect.arrayContaining(['Designers', 'Developers']),
    );
    // Adobe-only (fay) loses every group (remove-adobe-groups); the excluded ones are untouched.
    expect(await groupsOf('fay.sso@fed.example.com')).toEqual([]);
    expect(await groupsOf('ada.admin@example.com')).toContain('_org_admin');
    // logging keys are read, and said to have no effect.
    expect(run.stderr).toMatch(
      /user-sync-config\.yml:\d+: logging: log_to_file, file_log_directory, .*: not used/,
    );
  });

  it('takes the User Sync Tool flags over invocation_defaults', async () => {
    const config = join(folder, 'user-sync-config.yml');
    const plan = await umapi([
      'sync',
      'plan',
      '--ust-config',
      config,
      '--json',
      '--users',
      'group',
      'dev',
      '--adobe-only-user-action',
      'preserve',
      '--no-process-groups',
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const parsed = JSON.parse(plan.stdout) as {
      entries: { kind: string; target: { user: string } }[];
      stats: { directoryUsers: number };
    };
    expect(parsed.stats.directoryUsers).toBe(2);
    expect(parsed.entries.map((entry) => entry.kind)).not.toContain('remove-all-groups');
  });

  it('--user-filter, --exclude-unmapped-users and --users file', async () => {
    const config = join(folder, 'user-sync-config.yml');
    await writeFile(
      join(dir, 'other.csv'),
      'mail;givenName;sn;c;memberOf;kind;login;domain\nsolo@fed.example.com;So;Lo;US;;federatedID;;\nteam@fed.example.com;Te;Am;US;dev;federatedID;;\n',
    );
    const plan = await umapi([
      'sync',
      'plan',
      '--ust-config',
      config,
      '--json',
      '--users',
      'file',
      'other.csv',
      '--exclude-unmapped-users',
      '--adobe-only-user-action',
      'preserve',
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const entries = (JSON.parse(plan.stdout) as { entries: { kind: string; target: { user: string } }[] })
      .entries;
    const creates = entries.filter((entry) => entry.kind === 'create').map((entry) => entry.target.user);
    expect(creates).toEqual(['team@fed.example.com']);
    const filtered = await umapi([
      'sync',
      'plan',
      '--ust-config',
      config,
      '--json',
      '--user-filter',
      'new\\..*',
    ]);
    const stats = (JSON.parse(filtered.stdout) as { stats: { directoryUsers: number } }).stats;
    expect(stats.directoryUsers).toBe(1);
  });

  it('--test-mode sends nothing for real', async () => {
    const run = await umapi([
      'sync',
      'run',
      '--ust-config',
      join(folder, 'user-sync-config.yml'),
      '-t',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(await demoOrgClient(emulator).users.get('new.hire@fed.example.com')).toBeNull();
  });

  it('refuses --sync-config with --ust-config, and a keyring secret it cannot read, saying how to give it', async () => {
    const config = join(folder, 'user-sync-config.yml');
    const both = await umapi(['sync', 'plan', '--ust-config', config, '--sync-config', 'sync.yml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('give --sync-config or --ust-config, not both');
    const noSecret = await umapi(['sync', 'plan', '--ust-config', config], {
      UMAPI_KEYRING_UST_DEMO_SECRET: '',
    });
    expect(noSecret.code).toBe(2);
    expect(noSecret.stderr).toMatch(
      /connector-umapi\.yml:12: enterprise\.secure_client_secret_key: cannot read the keyring entry "ust_demo_secret"/,
    );
    expect(noSecret.stderr).toContain('UMAPI_KEYRING_UST_DEMO_SECRET');
    expect(noSecret.stderr).toContain('secret-tool (libsecret) is not installed');
  });
});
