import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { CliEnvironment } from '@umapi-kit/cli';

/**
 * `umapi sync` in process with the real client against the emulator's demo org: renames that keep the account,
 * the circuit breaker, plans that cannot be edited or misapplied, journals that belong to umapi-kit, partial
 * creates, explain, and an interrupted `sync run` resumed with the command it prints.
 */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  emulator.reset();
  emulator.setFaults({ rules: [] });
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-safety-'));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const umapi = (
  args: string[],
  overrides: Partial<CliEnvironment> & { env?: Record<string, string> } = {},
): Promise<Run> => {
  const { env, ...rest } = overrides;
  return umapiInFolder(emulator, dir, args, { overrides: rest, ...(env === undefined ? {} : { env }) });
};

/** The demo org's directory (the Adobe IDs and the partner are excluded by the config). */
const BASE = [
  'id,email,firstname,lastname,country,groups,type,username,domain',
  'a1,ada.admin@example.com,Ada,Admin,US,design,enterpriseID,,',
  'b1,ben.designer@example.com,Ben,Designer,GB,design,enterpriseID,,',
  'c1,cleo.dev@example.com,Cleo,Dev,DE,dev,enterpriseID,,',
  'd1,dan.market@fed.example.com,Dan,Market,FR,mkt,federatedID,,',
  'e1,eve.ops@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.ops,fed.example.com',
  'f1,fay.sso@fed.example.com,Fay,Sso,JP,,federatedID,,',
];

async function directory(rows: string[]): Promise<void> {
  await writeFile(join(dir, 'users.csv'), `${rows.join('\n')}\n`);
}

async function config(options: { limits?: string[]; updateAttributes?: string } = {}): Promise<void> {
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
      '    - directory_group: dev',
      '      adobe_groups: [Developers]',
      '    - directory_group: mkt',
      '      adobe_groups: [Marketing]',
      '    - directory_group: ghost',
      '      adobe_groups: [Not Yet Created]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      '  exclude_adobe_groups: [_org_admin]',
      "  exclude_users: ['.*@partner\\.example\\.org']",
      `  update_attributes: [${options.updateAttributes ?? 'firstname, lastname, email'}]`,
      'limits:',
      ...(options.limits ?? ['  max_adobe_only_users: 10']),
      'invocation_defaults:',
      '  adobe_only_user_action: remove',
      '  update_user_info: true',
      '',
    ].join('\n'),
  );
}

async function planEntries(): Promise<{ kind: string; target: { user: string } }[]> {
  const run = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
  expect(run.code, run.stderr).toBeLessThanOrEqual(5);
  return (JSON.parse(run.stdout) as { entries: { kind: string; target: { user: string } }[] }).entries;
}

async function planAndApply(): Promise<Run> {
  const plan = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect([0, 5]).toContain(plan.code);
  return umapi(['sync', 'apply', 'plan.json', '--yes', '--json', '--journal', `j-${String(Date.now())}.db`]);
}

const user = (email: string) => emulator.snapshot().users.find((candidate) => candidate.email === email);

describe('identity that survives renames', () => {
  it('an anchored email change of an email-type username is one update, and the next plan is empty', async () => {
    await config();
    await directory(BASE);
    expect((await planAndApply()).code).toBe(0);
    expect(await planEntries()).toEqual([]);

    await directory(
      BASE.map((row) => row.replace('c1,cleo.dev@example.com', 'c1,cleo.developer@example.com')),
    );
    const entries = await planEntries();
    expect(entries).toMatchObject([{ kind: 'update', target: { user: 'cleo.dev@example.com' } }]);
    expect((await planAndApply()).code).toBe(0);
    expect(user('cleo.developer@example.com')).toMatchObject({ username: 'cleo.developer@example.com' });
    expect(await planEntries()).toEqual([]);
  });

  it('a username and email changed together are one update of the same account (anchor)', async () => {
    await config({ updateAttributes: 'firstname, lastname, email, username' });
    await directory(BASE);
    expect((await planAndApply()).code).toBe(0);
    await directory(
      BASE.map((row) =>
        row.replace(
          'eve.ops@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.ops',
          'eve.operations@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.operations',
        ),
      ),
    );
    const entries = await planEntries();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ kind: 'update', target: { user: 'eve.ops' } });
    expect((await planAndApply()).code).toBe(0);
    expect(user('eve.operations@fed.example.com')).toMatchObject({ username: 'eve.operations' });
    expect(user('eve.ops@fed.example.com')).toBeUndefined();
    expect(await planEntries()).toEqual([]);
  });

  it('without anchors, an email-shaped username row keeps its account after the email moves', async () => {
    await config();
    const rows = BASE.map((row) => row.replace(/^[a-f]1,/, ','));
    await directory(rows);
    expect((await planAndApply()).code).toBe(0);
    await directory(
      rows.map((row) =>
        row.replace(
          ',cleo.dev@example.com,Cleo,Dev,DE,dev,enterpriseID,,',
          ',cleo.developer@example.com,Cleo,Dev,DE,dev,enterpriseID,cleo.dev@example.com,example.com',
        ),
      ),
    );
    expect(await planEntries()).toMatchObject([{ kind: 'update', target: { user: 'cleo.dev@example.com' } }]);
    expect((await planAndApply()).code).toBe(0);
    // UMAPI moved the email-type username with the email: the row is found by email now.
    expect(await planEntries()).toEqual([]);
  });
});

describe('safety', () => {
  it('the circuit breaker holds removals over the limit (exit 5) until --release-held', async () => {
    await config({ limits: ['  max_adobe_only_users: 1'] });
    await directory(BASE.filter((row) => !/^(d1|f1),/.test(row)));
    const plan = await umapi([
      'sync',
      'plan',
      '--sync-config',
      'sync.yml',
      '--out',
      'plan.json',
      '--output',
      'table',
    ]);
    expect(plan.code).toBe(5);
    expect(plan.stdout).toMatch(/^HELD: 2 destructive entries are held/);
    expect(plan.stdout).toContain(
      '2 destructive changes (removals, deletions, all groups taken) exceed max_deletions 1',
    );
    const applied = await umapi(['sync', 'apply', 'plan.json', '--yes', '--output', 'table']);
    expect(applied.code).toBe(5);
    expect(applied.stderr).toContain('--release-held');
    expect(user('dan.market@fed.example.com')).toBeDefined();
    const released = await umapi(['sync', 'apply', 'plan.json', '--yes', '--resume', '--release-held']);
    expect(released.code, released.stderr).toBe(0);
    expect(released.stderr).toContain('releasing 2 held entries');
    expect(user('dan.market@fed.example.com')).toBeUndefined();
    expect(user('fay.sso@fed.example.com')).toBeUndefined();
  });

  it('an empty directory read holds every destructive entry', async () => {
    await config();
    await directory([BASE[0]!]);
    const plan = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
    expect(plan.code).toBe(5);
    const body = JSON.parse(plan.stdout) as { safety: { reasons: string[] }; entries: { held?: unknown }[] };
    // Six demo users are in scope, less Ada, whom exclude_adobe_groups [_org_admin] protects.
    expect(body.safety.reasons).toEqual(['5 held: the directory read returned no users']);
    expect(body.entries.filter((entry) => entry.held !== undefined)).toHaveLength(5);
    expect(body.entries).toHaveLength(5);
  });

  it('refuses an edited plan, a plan for another org and a plan too old (exit 2), changing nothing', async () => {
    await config();
    await directory(BASE.filter((row) => !row.startsWith('f1,')));
    expect((await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json'])).code).toBe(0);
    const text = await readFile(join(dir, 'plan.json'), 'utf8');
    // Turn Fay's removal into a removal of Ada, the excluded org admin.
    await writeFile(
      join(dir, 'edited.json'),
      text.replace('"user": "fay.sso@fed.example.com"', '"user": "ada.admin@example.com"'),
    );
    const before = emulator.requestLog().length;
    const edited = await umapi(['sync', 'apply', 'edited.json', '--yes']);
    expect(edited.code).toBe(2);
    expect(edited.stderr).toContain('its digest does not match its contents');
    const foreign = await umapi(['sync', 'apply', 'plan.json', '--yes'], {
      env: { UMAPI_ORG_ID: 'OTHER0RG@AdobeOrg' },
    });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('it was made for org');
    const later = Date.now() + 25 * 3_600_000;
    const old = await umapi(['sync', 'apply', 'plan.json', '--yes'], { clock: { now: () => later } });
    expect(old.code).toBe(2);
    expect(old.stderr).toMatch(/it is 2\d\.\d h old, older than the 24\.0 h/);
    expect(emulator.requestLog().filter((entry) => entry.endpointClass === 'action').length).toBe(0);
    expect(emulator.requestLog().length - before).toBeLessThanOrEqual(3);
    expect(user('ada.admin@example.com')).toBeDefined();
    expect(user('fay.sso@fed.example.com')).toBeDefined();
  });

  it("refuses a journal that is not umapi-kit's, or damaged, without writing to it", async () => {
    await config();
    await directory(BASE.filter((row) => !row.startsWith('f1,')));
    expect((await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json'])).code).toBe(0);
    const foreign = join(dir, 'photos.db');
    const db = new Database(foreign);
    db.exec('CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT)');
    db.close();
    const bytes = await readFile(foreign);
    const refused = await umapi([
      'sync',
      'apply',
      'plan.json',
      '--yes',
      '--resume',
      '--journal',
      'photos.db',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${foreign} is a SQLite file but not a umapi-kit journal (it holds photos)`,
    );
    expect(await readFile(foreign)).toEqual(bytes);
    // Without --resume too: it is refused for what it is, not taken for an interrupted run.
    const fresh = await umapi(['sync', 'apply', 'plan.json', '--yes', '--journal', 'photos.db']);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain('is a SQLite file but not a umapi-kit journal (it holds photos)');
    expect(fresh.stderr).not.toContain('--resume');
    expect(await readFile(foreign)).toEqual(bytes);

    const good = await umapi(['sync', 'apply', 'plan.json', '--yes', '--journal', 'good.db']);
    expect(good.code).toBe(0);
    await truncate(join(dir, 'good.db'), Math.floor((await stat(join(dir, 'good.db'))).size / 3));
    const damaged = await umapi(['sync', 'apply', 'plan.json', '--yes', '--resume', '--journal', 'good.db']);
    expect(damaged.code).toBe(2);
    expect(damaged.stderr).toMatch(/good\.db is damaged or truncated/);
  });
});

describe('truthful outcomes', () => {
  it('a create whose group step fails is partial; the resume sends only the missing step', async () => {
    await config();
    await directory([...BASE, 'n1,new.hire@fed.example.com,New,Hire,US,"design,ghost",federatedID,,']);
    expect((await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json'])).code).toBe(0);
    const first = await umapi(['sync', 'apply', 'plan.json', '--yes', '--json']);
    expect(first.code).toBe(3);
    const report = JSON.parse(first.stdout) as {
      counts: Record<string, number>;
      entries: { user: string; state: string }[];
    };
    expect(report.counts).toMatchObject({ partial: 1, failed: 0 });
    expect(report.entries.find((entry) => entry.user === 'new.hire@fed.example.com')?.state).toBe('partial');
    expect(user('new.hire@fed.example.com')).toBeDefined();

    // The admin creates the missing group; the resume finishes the entry.
    const created = await umapi(['groups', 'create', 'Not Yet Created']);
    expect(created.code, created.stderr).toBe(0);
    const from = emulator.requestLog().length;
    const resumed = await umapi(['sync', 'apply', 'plan.json', '--yes', '--resume', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(user('new.hire@fed.example.com')?.groups).toEqual(
      expect.arrayContaining(['Designers', 'Not Yet Created']),
    );
    const actions = emulator
      .requestLog()
      .slice(from)
      .filter((entry) => entry.endpointClass === 'action');
    expect(actions).toHaveLength(1);
  });
});

describe('sync explain', () => {
  it('says how a user matches and what the next plan does for it, reading only that account', async () => {
    await config();
    await directory(BASE.map((row) => row.replace('Cleo,Dev,DE,dev', 'Cleo,Developer,DE,"dev,unmapped"')));
    const from = emulator.requestLog().length;
    const explained = await umapi([
      'sync',
      'explain',
      'cleo.dev@example.com',
      '--sync-config',
      'sync.yml',
      '--output',
      'table',
    ]);
    expect(explained.code, explained.stderr).toBe(0);
    expect(explained.stdout).toContain('✔ directory: cleo.dev@example.com, enterpriseID, anchor c1');
    expect(explained.stdout).toContain('✔ groups: mapped: dev → Developers; not mapped (ignored): unmapped');
    expect(explained.stdout).toContain('✔ match: found cleo.dev@example.com (enterpriseID) by email');
    expect(explained.stdout).toContain(
      'next plan: update enterpriseID cleo.dev@example.com: lastname=Developer',
    );
    const reads = emulator
      .requestLog()
      .slice(from)
      .filter((entry) => entry.endpointClass === 'userRead');
    expect(reads.every((entry) => entry.path.includes('/organizations/'))).toBe(true);

    const ada = await umapi([
      'sync',
      'explain',
      'ada.admin@example.com',
      '--sync-config',
      'sync.yml',
      '--json',
    ]);
    const body = JSON.parse(ada.stdout) as {
      noEntryBecause: string;
      steps: { step: string; detail: string }[];
    };
    expect(body.steps.find((step) => step.step === 'exclusions')?.detail).toContain('_org_admin');
    expect(body.noEntryBecause).toBe('the account is excluded');
  });
});

describe('an interrupted sync run', () => {
  it('prints the exact command that resumes it, and that command finishes the run', async () => {
    await config();
    await directory([
      ...BASE,
      ...Array.from(
        { length: 30 },
        (_, i) => `h${String(i)},hire.${String(i)}@fed.example.com,Hire,N${String(i)},US,dev,federatedID,,`,
      ),
    ]);
    const controller = new AbortController();
    let actions = 0;
    const stopping: typeof fetch = async (input, init) => {
      const response = await emulator.fetch(input, init);
      if (
        init?.method === 'POST' &&
        (input instanceof Request ? input.url : input.toString()).includes('/action/') &&
        ++actions === 2
      )
        controller.abort();
      return response;
    };
    const run = await umapi(['sync', 'run', '--sync-config', 'sync.yml', '--yes'], {
      fetch: stopping,
      signal: controller.signal,
    });
    expect(run.code).toBe(130);
    const command = /to finish, run: (umapi sync apply .+ --resume)$/m.exec(run.stderr)?.[1];
    expect(command, run.stderr).toMatch(
      /^umapi sync apply sync\.run-[0-9a-f]{12}\.plan\.json --journal sync\.run-[0-9a-f]{12}\.journal\.db --resume$/,
    );
    const resumed = await umapi([...(command ?? '').split(' ').slice(1), '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(await planEntries()).toEqual([]);
  });
});
