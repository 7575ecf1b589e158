import { describe, expect, it } from 'vitest';
import type { User } from '@umapi-kit/client';
import { runCli } from '@umapi-kit/cli';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

const users: User[] = [
  { email: 'a@example.com', type: 'enterpriseID', firstname: 'Ann', lastname: 'A', groups: ['G1', 'G2'] },
  { email: 'b@example.com', type: 'federatedID', firstname: 'Bob', lastname: 'B, Jr.' },
];

describe('users list', () => {
  it('writes JSON lines by default when stdout is not a terminal', async () => {
    const env = testEnvironment(new FakeClient({ users }));
    expect(await runCli(['users', 'list'], env)).toBe(0);
    const lines = env.stdout.text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as User);
    expect(lines.map((user) => user.email)).toEqual(['a@example.com', 'b@example.com']);
  });

  it('--output csv with --fields quotes values and joins lists', async () => {
    const env = testEnvironment(new FakeClient({ users }));
    expect(await runCli(['users', 'list', '--output', 'csv', '--fields', 'email,lastname,groups'], env)).toBe(
      0,
    );
    expect(env.stdout.text).toBe(
      'email,lastname,groups\na@example.com,A,"G1, G2"\nb@example.com,"B, Jr.",\n',
    );
  });

  it('--json writes one JSON array, only the chosen fields', async () => {
    const env = testEnvironment(new FakeClient({ users }));
    expect(await runCli(['--json', 'users', 'list', '--fields', 'email'], env)).toBe(0);
    expect(JSON.parse(env.stdout.text)).toEqual([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
  });

  it('table output on a terminal; an unknown field is a usage error', async () => {
    const env = testEnvironment(new FakeClient({ users }), {});
    env.stdout.isTTY = true;
    expect(await runCli(['users', 'list'], env)).toBe(0);
    expect(env.stdout.text).toMatch(/^EMAIL +USERNAME +TYPE +FIRSTNAME/m);
    expect(env.stdout.text).toMatch(
      /^a@example\.com +enterpriseID +Ann +A +US|^a@example\.com +enterpriseID +Ann +A +G1, G2$/m,
    );
    const bad = testEnvironment(new FakeClient({ users }));
    expect(await runCli(['users', 'list', '--fields', 'emial'], bad)).toBe(2);
    expect(bad.stderr.text).toContain("unknown field 'emial'");
  });

  it('passes --group, --domain and --no-direct-only to the client', async () => {
    const client = new FakeClient({ users });
    expect(
      await runCli(
        ['users', 'list', '--group', 'G1', '--domain', 'example.com', '--no-direct-only'],
        testEnvironment(client),
      ),
    ).toBe(0);
    expect(client.listCalls[0]).toMatchObject({ group: 'G1', domain: 'example.com', directOnly: false });
  });
});

describe('groups list', () => {
  it('--type product-profile keeps only profiles', async () => {
    const client = new FakeClient({
      groups: [
        { groupName: 'Designers', type: 'USER_GROUP', memberCount: 2 },
        { groupName: 'Creative Cloud 1', type: 'PRODUCT_PROFILE', memberCount: 5, productName: 'All Apps' },
        { groupName: '_org_admin', type: 'SYSADMIN_GROUP', memberCount: 1 },
      ],
    });
    const env = testEnvironment(client);
    expect(await runCli(['groups', 'list', '--type', 'product-profile', '--output', 'csv'], env)).toBe(0);
    expect(env.stdout.text).toBe(
      'groupName,type,memberCount,productName\nCreative Cloud 1,PRODUCT_PROFILE,5,All Apps\n',
    );
  });
});

describe('usage and help', () => {
  it('an unknown flag exits 2 with a clear message', async () => {
    const env = testEnvironment(new FakeClient());
    expect(await runCli(['users', 'list', '--colour'], env)).toBe(2);
    expect(env.stderr.text).toContain("unknown option '--colour'");
  });

  it('help exit-codes lists every code; --help shows examples', async () => {
    const env = testEnvironment(new FakeClient());
    expect(await runCli(['help', 'exit-codes'], env)).toBe(0);
    for (const code of ['0', '1', '2', '3', '4', '130'])
      expect(env.stdout.text).toMatch(new RegExp(`\\b${code}\\b`));
    const help = testEnvironment(new FakeClient());
    expect(await runCli(['users', 'create', '--help'], help)).toBe(0);
    expect(help.stdout.text).toContain('Examples:');
    expect(help.stdout.text).toContain('--on-conflict');
  });

  it('a partial failure exits 3 and names the failed action', async () => {
    const client = new FakeClient({
      outcome: (action) =>
        action.target === 'b@example.com'
          ? { status: 'failed', errorCode: 'error.user.not_found', message: 'no such user' }
          : {},
    });
    const env = testEnvironment(client);
    expect(await runCli(['users', 'add-groups', 'a@example.com', 'G1'], env)).toBe(0);
    const fs = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'umapi-cli-'));
    await fs.writeFile(
      path.join(dir, 'rows.csv'),
      'action,user,groups\nupdate,a@example.com,G1\nupdate,b@example.com,G1\n',
    );
    const partial = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'rows.csv', '--output', 'table'], partial)).toBe(3);
    expect(partial.stdout.text).toContain('1 succeeded, 1 failed');
    expect(partial.stdout.text).toContain('line 3 (b@example.com): error.user.not_found: no such user');
    await fs.rm(dir, { recursive: true });
  });
});

describe('--no-pacing', () => {
  it('reaches the client factory as pacing=false; pacing stays on by default', async () => {
    const seen: (boolean | undefined)[] = [];
    const client = new FakeClient({ users });
    for (const args of [
      ['users', 'list'],
      ['users', 'list', '--no-pacing'],
    ]) {
      const env = testEnvironment(client, {
        createClient: async (_settings, hooks) => {
          seen.push(hooks.pacing);
          return client;
        },
      });
      expect(await runCli(args, env)).toBe(0);
    }
    expect(seen).toEqual([true, false]);
  });
});
