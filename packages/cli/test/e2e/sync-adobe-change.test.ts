import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';

/**
 * `umapi sync` in process against the emulator's model of Adobe-side change: a mapping onto a read-only shared
 * user group becomes a plan problem and nothing fails; writes into a directory synced from Azure or Google are
 * refused by the service and reported at apply with what that means.
 */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-adobe-change-'));
});

const umapi = (args: string[]): Promise<Run> => umapiInFolder(emulator, dir, args);

const ROWS = [
  'email,firstname,lastname,country,groups,type',
  'ada.admin@example.com,Ada,Admin,US,design,enterpriseID',
  'ben.designer@example.com,Ben,Designer,GB,design,enterpriseID',
  'cleo.dev@example.com,Cleo,Dev,DE,"design,partners",enterpriseID',
  'dan.market@fed.example.com,Dan,Market,FR,,federatedID',
  'eve.ops@fed.example.com,Eve,Ops,CA,,federatedID',
  'fay.sso@fed.example.com,Fay,Sso,JP,,federatedID',
];

async function setUp(rows: string[]): Promise<void> {
  await writeFile(join(dir, 'users.csv'), `${rows.join('\n')}\n`);
  await writeFile(
    join(dir, 'sync.yml'),
    [
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      '    csv: users.csv',
      '  groups:',
      '    - directory_group: design',
      '      adobe_groups: [Designers]',
      '    - directory_group: partners',
      '      adobe_groups: [Shared From Partner]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      'invocation_defaults:',
      '  adobe_only_user_action: preserve',
      '  update_user_info: true',
      '',
    ].join('\n'),
  );
}

interface PlanJson {
  entries: { kind: string; target: { user: string }; addGroups?: string[]; removeGroups?: string[] }[];
  problems: { email: string; message: string }[];
}

async function plan(): Promise<PlanJson> {
  const run = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as PlanJson;
}

const member = (group: string): string[] =>
  emulator.snapshot().groups.find((candidate) => candidate.name === group)?.users ?? [];

describe('Adobe-side change', () => {
  it('a mapping onto a read-only shared group is a plan problem with the reason, and nothing fails', async () => {
    await setUp(ROWS);
    const planned = await plan();
    const readOnly =
      '"Shared From Partner" is a read-only user group shared from another organization: its members are ' +
      'managed in the organization that owns it';
    expect(planned.problems).toEqual([
      // Ivy (partner domain) is Adobe-only: preserve would take her mapped group away, which UMAPI refuses.
      {
        email: 'ivy.partner@partner.example.org',
        message: `is not removed from Shared From Partner: ${readOnly}`,
      },
      { email: 'cleo.dev@example.com', message: `is not added to Shared From Partner: ${readOnly}` },
    ]);
    expect(planned.entries).toEqual([
      expect.objectContaining({
        kind: 'update',
        target: expect.objectContaining({ user: 'cleo.dev@example.com' }) as unknown,
        addGroups: ['Designers'],
      }),
    ]);
    expect(JSON.stringify(planned.entries)).not.toContain('Shared From Partner');

    const applied = await umapi(['sync', 'apply', 'plan.json', '--yes', '--json', '--journal', 'j1.db']);
    expect(applied.code, applied.stderr).toBe(0);
    const report = JSON.parse(applied.stdout) as { counts: Record<string, number> };
    expect(report.counts).toMatchObject({ succeeded: 1, failed: 0, partial: 0, total: 1 });
    expect(member('Designers')).toContain('cleo.dev@example.com');
    expect(member('Shared From Partner')).toEqual(['ivy.partner@partner.example.org']);

    // The next plan has nothing to send, and says the same.
    const again = await plan();
    expect(again.entries).toEqual([]);
    expect(again.problems).toHaveLength(2);
  });

  it('writes into directories synced from Azure or Google fail at apply with what that means', async () => {
    emulator.setDirectoryManager('fed.example.com', 'google');
    await setUp([
      ...ROWS.filter((row) => !row.startsWith('cleo')).map((row) =>
        row.replace('Dan,Market', 'Daniel,Market'),
      ),
      'new.hire@entra.example.com,New,Hire,US,design,federatedID',
    ]);
    const planned = await plan();
    expect(planned.entries.map((entry) => `${entry.kind} ${entry.target.user}`).sort()).toEqual([
      'create new.hire@entra.example.com',
      'update dan.market@fed.example.com',
    ]);
    const applied = await umapi(['sync', 'apply', 'plan.json', '--yes', '--json', '--journal', 'j2.db']);
    expect(applied.code).toBe(3);
    const report = JSON.parse(applied.stdout) as {
      entries: { user: string; state: string; errorCode?: string; message?: string }[];
    };
    const failed = report.entries.filter((entry) => entry.state === 'failed');
    expect(
      failed.map(({ user, errorCode }) => ({ user, errorCode })).sort((a, b) => a.user.localeCompare(b.user)),
    ).toEqual([
      { user: 'dan.market@fed.example.com', errorCode: 'error.internal.update_failed' },
      { user: 'new.hire@entra.example.com', errorCode: 'error.internal.create_failed' },
    ]);
    for (const entry of failed) {
      expect(entry.message).toMatch(/^Resource is externally managed: directory "Example (SSO|Entra Sync)"/);
      expect(entry.message).toContain(
        "(the user's directory is synced from Azure or Google in Admin Console",
      );
    }
    expect(
      emulator.snapshot().users.find((user) => user.email === 'dan.market@fed.example.com')?.firstname,
    ).toBe('Dan');
  });
});
