import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { oauthServerToServer, UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { ustFolder } from './ust-folder.js';

/**
 * A User Sync Tool folder with a secondary org (`umapi: [primary, {org2: file}]`, targets `org2::Group`), run
 * unchanged against an emulator serving both orgs: one plan with entries per org, org2 changed first, and org2's
 * own Adobe-only users handled there (the User Sync Tool leaves them alone, its issue #788).
 */
const ORG2 = '0AB2000000000000000000AA@AdobeOrg';
const ORG2_SECRET = 'org2-test-secret-value';
let emulator: Emulator;
let dir = '';
let config = '';

beforeAll(async () => {
  emulator = await startEmulator({
    seed: 'demo',
    limits: 'off',
    orgs: [
      {
        orgId: ORG2,
        name: 'Org Two',
        clientId: 'org2-client',
        clientSecret: ORG2_SECRET,
        enterpriseDomains: ['org2.example.net'],
        trustedDomains: ['example.com', 'fed.example.com'],
        userGroups: ['Org2 Designers'],
        users: 2,
      },
    ],
  });
});
afterAll(async () => {
  await emulator.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-ust-multi-'));
  config = join(await ustFolder('multi-org', dir, emulator), 'user-sync-config.yml');
});

const umapi = (args: string[]): Promise<Run> =>
  umapiInFolder(emulator, dir, args, {
    env: {
      UMAPI_KEYRING_UST_DEMO_SECRET: emulator.demo?.clientSecret ?? '',
      UMAPI_KEYRING_ORG2_SECRET: ORG2_SECRET,
      PATH: '/nonexistent',
    },
  });

function org2Client(): UmapiClient {
  return new UmapiClient({
    orgId: ORG2,
    credentials: oauthServerToServer({
      clientId: 'org2-client',
      clientSecret: ORG2_SECRET,
      imsUrl: emulator.imsUrl,
      fetch: emulator.fetch,
    }),
    endpoint: emulator.umapiUrl,
    fetch: emulator.fetch,
    pacing: false,
  });
}

interface PlanJson {
  entries: { id: string; org?: string; kind: string; target: { user: string }; addGroups?: string[] }[];
  orgs?: { name: string; orgId: string; stats: { adobeUsersRead: number; adobeOnly: number } }[];
}

describe('sync --ust-config with a secondary org', () => {
  it('one plan: org2 entries first (org-qualified ids), its own Adobe-only users included', async () => {
    const before = await org2Client().users.list().toArray({ all: true });
    const run = await umapi(['sync', 'plan', '--ust-config', config, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const plan = JSON.parse(run.stdout) as PlanJson;
    expect(plan.orgs).toEqual([
      expect.objectContaining({
        name: 'org2',
        orgId: ORG2,
        stats: expect.objectContaining({ adobeUsersRead: before.length }) as unknown,
      }),
    ]);
    const firstPrimary = plan.entries.findIndex((entry) => entry.org === undefined);
    const lastOrg2 = plan.entries.map((entry) => entry.org).lastIndexOf('org2');
    expect(lastOrg2).toBeGreaterThanOrEqual(0);
    expect(lastOrg2).toBeLessThan(firstPrimary);
    for (const entry of plan.entries.filter((candidate) => candidate.org === 'org2')) {
      expect(entry.id.startsWith('org2:')).toBe(true);
    }
    // org2 is a trustee (trusted: True): the design members join it through its group, none is created; the
    // dev-only users are not brought into org2 at all.
    const org2Adds = plan.entries.filter(
      (entry) => entry.org === 'org2' && entry.addGroups?.includes('Org2 Designers'),
    );
    expect(org2Adds.map((entry) => [entry.kind, entry.target.user]).sort()).toEqual([
      ['update', 'ada.admin@example.com'],
      ['update', 'ben.designer@example.com'],
      ['update', 'eve.ops'],
      ['update', 'new.hire@fed.example.com'],
    ]);
    expect(plan.entries.some((entry) => entry.org === 'org2' && entry.kind === 'create')).toBe(false);
    expect(
      plan.entries.some((entry) => entry.org === 'org2' && entry.target.user === 'cleo.dev@example.com'),
    ).toBe(false);
    // org2's generated users are in none of the directory's groups: Adobe-only there, and handled there.
    const org2Only = before.filter(
      (user) => user.email.endsWith('@org2.example.net') && (user.groups ?? []).length > 0,
    );
    for (const user of org2Only) {
      expect(plan.entries).toContainEqual(
        expect.objectContaining({
          org: 'org2',
          kind: 'remove-all-groups',
          target: expect.objectContaining({ user: user.email }) as unknown,
        }),
      );
    }
  });

  it('runs both orgs with one journal: org2 (first) handles its own Adobe-only users, the primary syncs', async () => {
    // The emulator does not model a trustee bringing a trusted-domain user in through a group (it answers
    // error.user.nonexistent), so this run takes one dev user only: nobody joins org2, and its own users are
    // handled (preserve: Adobe-only users lose their mapped groups).
    const only = ['--user-filter', 'cleo\\..*', '--adobe-only-user-action', 'preserve'];
    const run = await umapi(['sync', 'run', '--ust-config', config, ...only, '--yes', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout) as { entries?: { id: string }[] };
    expect(JSON.stringify(report)).toContain('"org2:');
    const org2Users = await org2Client().users.list().toArray({ all: true });
    for (const user of org2Users.filter((candidate) => candidate.email.endsWith('@org2.example.net'))) {
      expect(user.groups ?? []).not.toContain('Org2 Designers');
    }
    expect(org2Users.some((user) => user.email.endsWith('@org2.example.net'))).toBe(true);
    const again = await umapi(['sync', 'plan', '--ust-config', config, ...only, '--json']);
    expect((JSON.parse(again.stdout) as PlanJson).entries).toEqual([]);
  });

  it('a saved multi-org plan is applied with --ust-config (which connects to org2), and refused without', async () => {
    const only = ['--user-filter', 'cleo\\..*', '--adobe-only-user-action', 'preserve'];
    const plan = await umapi([
      'sync',
      'plan',
      '--ust-config',
      config,
      ...only,
      '--out',
      'plan.json',
      '--json',
    ]);
    expect(plan.code, plan.stderr).toBe(0);
    const without = await umapi(['sync', 'apply', 'plan.json', '--yes']);
    expect(without.code).toBe(2);
    expect(without.stderr).not.toContain('is not a umapi setting');
    expect(without.stderr).toContain(
      `this plan also changes the org "org2" (${ORG2}), and no connection was given for it`,
    );
    const applied = await umapi([
      'sync',
      'apply',
      'plan.json',
      '--yes',
      '--json',
      '--ust-config',
      config,
      '--journal',
      'j2.db',
    ]);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('"org2:');
  });

  it('refuses a target naming an org the connectors do not list', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    await writeFile(config, (await readFile(config, 'utf8')).replace('org2::Org2 Designers', 'org3::X'));
    const run = await umapi(['sync', 'plan', '--ust-config', config]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /user-sync-config\.yml:24: directory_users\.groups\[0\]\.adobe_groups\[1\]: "org3::X" names the org "org3", which adobe_users\.connectors\.umapi does not list \(it lists org2\)/,
    );
  });
});
