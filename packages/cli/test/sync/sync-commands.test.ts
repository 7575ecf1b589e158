import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allCommands, runCli } from '@umapi-kit/cli';
import type { Plan } from '@umapi-kit/sync';
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

/** A fake client whose execute waits until `open()`: an apply that is still running. */
class GatedClient extends FakeClient {
  #open!: () => void;
  #started!: () => void;
  readonly #gate = new Promise<void>((resolve) => (this.#open = resolve));
  readonly started = new Promise<void>((resolve) => (this.#started = resolve));

  open(): void {
    this.#open();
  }

  override async execute(...args: Parameters<FakeClient['execute']>): ReturnType<FakeClient['execute']> {
    this.#started();
    await this.#gate;
    return super.execute(...args);
  }
}

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

  it('two applies under different XDG_STATE_HOME meet one org lock: the second is refused (exit 2) naming the first', async () => {
    const client = new GatedClient({ users: adobeUsers });
    const plan = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json'], plan, commands),
    ).toBe(0);
    const lockDir = join(dir, 'machine-locks');
    const envOf = (state: string): Record<string, string> => ({
      ...(testEnvironment(client).env as Record<string, string>),
      XDG_STATE_HOME: join(dir, state),
      UMAPI_LOCK_DIR: lockDir,
    });
    const first = testEnvironment(client, { cwd: dir, homeDir: dir, env: envOf('state-a') });
    const running = runCli(['sync', 'apply', 'plan.json', '--yes'], first, commands);
    await client.started;

    // Another user's environment, another journal: the same org on the same machine is refused.
    const second = testEnvironment(client, { cwd: join(dir, 'b'), homeDir: dir, env: envOf('state-b') });
    const otherJournal = join(dir, 'other.journal.db');
    expect(
      await runCli(
        ['sync', 'apply', join(dir, 'plan.json'), '--journal', otherJournal, '--yes', '--force-unlock'],
        second,
        commands,
      ),
    ).toBe(2);
    expect(second.stderr.text).toContain(
      `org ${client.orgId} is being synced by pid ${String(process.pid)} on ${hostname()} (journal ${join(dir, 'plan.json.journal.db')}, since `,
    );
    expect(existsSync(otherJournal)).toBe(false);

    // The same journal again: named as running (pid, host, since), not offered a --resume.
    const same = testEnvironment(client, { cwd: dir, homeDir: dir, env: envOf('state-b') });
    expect(await runCli(['sync', 'apply', 'plan.json', '--yes'], same, commands)).toBe(2);
    expect(same.stderr.text).toMatch(
      new RegExp(`is in use by a running apply: pid ${String(process.pid)} on ${hostname()}, since \\d{4}-`),
    );
    expect(same.stderr.text).not.toContain('add --resume to finish it');

    client.open();
    expect(await running).toBe(0);
    expect(client.wire).toHaveLength(2);
    // The lock is in the machine's folder (its owner file gone with the run), nothing under $XDG_STATE_HOME.
    expect(readdirSync(lockDir)).toEqual([`sync-apply-${client.orgId}.lock`]);
    expect(existsSync(join(dir, 'state-a', 'umapi-kit', 'locks'))).toBe(false);
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

  it('without --strict the plan keeps the skipped rows, with file and line, under its digest', async () => {
    const client = new FakeClient({ users: adobeUsers });
    const env = testEnvironment(client, { cwd: dir, homeDir: dir });
    expect(
      await runCli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'kept.json'], env, commands),
    ).toBe(0);
    const saved = JSON.parse(readFileSync(join(dir, 'kept.json'), 'utf8')) as Plan;
    expect(saved.stats.skippedRows).toBe(1);
    expect(saved.skippedRows).toEqual([
      expect.objectContaining({ source: expect.stringMatching(/users\.csv$/) as unknown, line: 4 }),
    ]);
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
