import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands, runCli } from '@umapi-kit/cli';
import { OrgLock } from '../../../sync/src/state/locks.js';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

const commands = allCommands;
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cli-sync-'));
  await writeFile(
    join(dir, 'users.csv'),
    'email,firstname,lastname,country,groups\n' +
      'ann@example.com,Ann,Lee,US,design\n' +
      'bo@example.com,Bo,Ray,US,design\n' +
      'bad-row,,,,\n',
  );
  await writeFile(
    join(dir, 'sync.yml'),
    'directory_users:\n  connectors:\n    csv: users.csv\n  groups:\n    - directory_group: design\n      adobe_groups: [Designers]\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const adobeUsers = [{ email: 'bo@example.com', type: 'federatedID' as const, firstname: 'Bo', groups: [] }];

describe('umapi sync', () => {
  it('plan writes a plan file and a summary; apply sends it once; re-apply needs --resume', async () => {
    const client = new FakeClient({ users: adobeUsers });
    const env = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(
        ['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--output', 'table'],
        env,
        commands,
      ),
    ).toBe(0);
    expect(env.stdout.text).toContain('create: 1');
    expect(env.stderr.text).toContain(
      'users.csv:4: column 1 (email) must be a valid email address like jdoe@example.com, got "bad-row"',
    );
    const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as {
      entries: { kind: string }[];
    };
    expect(plan.entries.map((e) => e.kind)).toEqual(['update', 'create']);
    expect(client.executed).toHaveLength(0);

    const apply = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(await runCli(['sync', 'apply', 'plan.json', '--output', 'table'], apply, commands)).toBe(0);
    expect(client.wire).toEqual([
      {
        user: 'bo@example.com',
        requestID: expect.any(String) as unknown,
        do: [{ add: { group: ['Designers'] } }],
      },
      expect.objectContaining({
        user: 'ann@example.com',
        do: [
          expect.objectContaining({ createFederatedID: expect.anything() as unknown }),
          { add: { group: ['Designers'] } },
        ],
      }),
    ]);
    expect(apply.stdout.text).toMatch(/succeeded 2, partial 0, failed 0/);
    expect(existsSync(join(dir, 'plan.json.journal.db'))).toBe(true);

    const again = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(await runCli(['sync', 'apply', 'plan.json'], again, commands)).toBe(2);
    expect(again.stderr.text).toContain('--resume');
    const resumed = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(await runCli(['sync', 'apply', 'plan.json', '--resume'], resumed, commands)).toBe(0);
    expect(client.wire).toHaveLength(2);
  });

  it('refuses to apply while another apply holds the org lock (exit 2), and --force-unlock takes it', async () => {
    const client = new FakeClient({ users: adobeUsers });
    const plan = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json'], plan, commands),
    ).toBe(0);
    const state = join(dir, 'state');
    const other = OrgLock.acquire(
      join(state, 'umapi-kit', 'locks'),
      client.orgId,
      '/srv/nightly.journal.db',
      {
        pid: 4242,
        host: 'sync-host-2',
      },
    );
    const env = { ...testEnvironment(client).env, XDG_STATE_HOME: state };
    const refused = testEnvironment(client, { cwd: dir, homeDir: dir, env });
    expect(await runCli(['sync', 'apply', 'plan.json', '--yes'], refused, commands)).toBe(2);
    expect(refused.stderr.text).toContain(
      `org ${client.orgId} is being synced by pid 4242 on sync-host-2 (journal /srv/nightly.journal.db`,
    );
    expect(refused.stderr.text).toContain('--force-unlock');
    expect(client.executed).toHaveLength(0);
    expect(existsSync(join(dir, 'plan.json.journal.db'))).toBe(false);

    const forced = testEnvironment(client, { cwd: dir, homeDir: dir, env });
    expect(await runCli(['sync', 'apply', 'plan.json', '--yes', '--force-unlock'], forced, commands)).toBe(0);
    expect(client.wire).toHaveLength(2);
    other.release();
  });

  it('--strict stops at the first invalid row (exit 2, file and line named), writing no plan', async () => {
    const client = new FakeClient({ users: adobeUsers });
    const env = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(
        ['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--strict'],
        env,
        commands,
      ),
    ).toBe(2);
    expect(env.stderr.text).toMatch(/users\.csv:4: .*bad-row/);
    expect(env.stderr.text).toContain('run without --strict');
    expect(existsSync(join(dir, 'plan.json'))).toBe(false);
    expect(client.listCalls).toHaveLength(0);
  });

  it('exits 3 when some entries failed', async () => {
    const client = new FakeClient({
      users: adobeUsers,
      outcome: (action) =>
        action.target === 'ann@example.com'
          ? { status: 'failed', errorCode: 'error.domain.trust.nonexistent', message: 'no' }
          : {},
    });
    const env = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(await runCli(['sync', 'run', '--sync-config', 'sync.yml', '--json'], env, commands)).toBe(3);
    const report = JSON.parse(env.stdout.text) as { counts: { failed: number }; exitCode: number };
    expect(report.counts.failed).toBe(1);
  });

  it('run --dry-run plans, then has the server validate every entry with testOnly (nothing applied)', async () => {
    const client = new FakeClient({ users: adobeUsers });
    const env = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(
        ['sync', 'run', '--sync-config', 'sync.yml', '--dry-run', '--output', 'table'],
        env,
        commands,
      ),
    ).toBe(0);
    expect(env.stdout.text).toContain('Sync plan (sync): 2 commands');
    expect(client.executed.length).toBeGreaterThan(0);
    expect(client.executed.every((call) => call.options?.testOnly === true)).toBe(true);
    expect(client.executed.flatMap((call) => call.actions)).toHaveLength(2);
  });

  it('reports config errors with file, key and line (exit 2)', async () => {
    await writeFile(
      join(dir, 'sync.yml'),
      'directory_users:\n  connectors:\n    csv: users.csv\nlimits:\n  max_adobe_only_users: many\n',
    );
    const env = testEnvironment(new FakeClient(), { cwd: dir, homeDir: dir });
    expect(await runCli(['sync', 'plan', '--sync-config', 'sync.yml'], env, commands)).toBe(2);
    expect(env.stderr.text).toContain('sync.yml:5: limits.max_adobe_only_users: must be a whole number');
  });
});
