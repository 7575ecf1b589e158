import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '@umapi-kit/cli';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umapi-import-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('users import', () => {
  it('reports EVERY bad row with its line and field, and sends nothing', async () => {
    await writeFile(
      join(dir, 'users.csv'),
      [
        'action,type,user,email,firstname,lastname,country,groups',
        'create,enterprise,ok@example.com,,Ok,User,US,G1',
        'create,enterprise,bad-email@,,A,B,US,',
        'create,federated,fed@example.com,,A,B,,',
        'explode,enterprise,x@example.com,,A,B,US,',
        'create,enterprise,fine@example.com,,Fine,User,US,',
      ].join('\n'),
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    const code = await runCli(['users', 'import', 'users.csv'], env);
    expect(code).toBe(2);
    expect(client.executed).toHaveLength(0);
    expect(env.stderr.text).toContain('users.csv: 3 bad rows; nothing was sent');
    expect(env.stderr.text).toContain('users.csv:3: user:');
    expect(env.stderr.text).toContain('users.csv:4: country: required for federated users');
    expect(env.stderr.text).toContain(
      "users.csv:5: action: expected one of create, update, remove, got 'explode'",
    );
  });

  it('reads the type column in any case and spelling, and names the column of an unknown one', async () => {
    await writeFile(
      join(dir, 'users.csv'),
      [
        'type,user,firstname,lastname,country',
        'Enterprise,e@example.com,E,E,US',
        'federatedID,f@fed.example.com,F,F,US',
        'ENTERPRISE_ID,g@example.com,G,G,US',
      ].join('\n'),
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'users.csv', '--dry-run'], env)).toBe(0);
    expect((client.wire as { do: object[] }[]).map((command) => Object.keys(command.do[0] ?? {})[0])).toEqual(
      ['createEnterpriseID', 'createFederatedID', 'createEnterpriseID'],
    );

    await writeFile(
      join(dir, 'bad.csv'),
      'type,user,firstname,lastname,country\ngoogle,x@example.com,X,X,US\n',
    );
    const bad = testEnvironment(new FakeClient(), { cwd: dir });
    expect(await runCli(['users', 'import', 'bad.csv', '--dry-run'], bad)).toBe(2);
    expect(bad.stderr.text).toContain('bad.csv:2: type: expected one of adobe, enterprise, federated');
  });

  it('--dry-run sends every valid row with testOnly, creates with groups in one entry', async () => {
    await writeFile(
      join(dir, 'users.jsonl'),
      '{"type":"enterprise","user":"a@example.com","firstname":"A","lastname":"A","groups":["G1","P1"]}\n\n{"action":"remove","user":"b@example.com"}\n',
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'users.jsonl', '--dry-run'], env)).toBe(0);
    expect(client.executed[0]?.options?.testOnly).toBe(true);
    expect(client.executed.every((call) => call.options?.testOnly === true)).toBe(true);
    // Removals are sent first (they may free an email a create takes).
    expect(client.wire).toEqual([
      { user: 'b@example.com', requestID: 'line-3', do: [{ removeFromOrg: { deleteAccount: false } }] },
      {
        user: 'a@example.com',
        requestID: 'line-1',
        do: [
          { createEnterpriseID: { email: 'a@example.com', firstname: 'A', lastname: 'A' } },
          { add: { group: ['G1', 'P1'] } },
        ],
      },
    ]);
  });

  it('--dry-run catches a user on two rows, naming the file and line of both, and sends nothing', async () => {
    await writeFile(
      join(dir, 'users.csv'),
      [
        'action,type,user,domain,firstname,lastname,country,groups,email',
        'create,enterprise,a@example.com,,A,A,US,G1,',
        'update,,b@example.com,,,B,,,',
        'update,,A@Example.com,,,Other,,,',
        'create,federated,jsmith,fed.example.com,J,S,US,,js@fed.example.com',
        'remove,,jsmith,FED.example.com,,,,,',
        'remove,,jsmith,other.example.com,,,,,',
      ].join('\n'),
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'users.csv', '--dry-run'], env)).toBe(2);
    expect(env.stderr.text).toContain('users.csv: 2 bad rows; nothing was sent');
    expect(env.stderr.text).toContain(
      'users.csv:4: user: A@Example.com is also on users.csv:2; give each user one row',
    );
    expect(env.stderr.text).toContain(
      'users.csv:6: user: jsmith (FED.example.com) is also on users.csv:5; give each user one row',
    );
    expect(env.stderr.text).not.toContain('line 7');
    expect(client.executed).toHaveLength(0);
  });

  it('a row cannot add and remove the same group', async () => {
    await writeFile(
      join(dir, 'g.csv'),
      'action,user,groups,remove_groups\nupdate,a@example.com,"G1,G2",g2\n',
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'g.csv'], env)).toBe(2);
    expect(env.stderr.text).toContain('g.csv:2: groups: G2 also in remove_groups');
    expect(client.executed).toHaveLength(0);
  });

  it('a dry run and --test-only journal in memory: no journal file, and they can run again', async () => {
    await writeFile(join(dir, 'u.csv'), 'action,user,groups\nupdate,a@example.com,G1\n');
    const client = new FakeClient();
    for (const flag of ['--dry-run', '--test-only', '--dry-run']) {
      const env = testEnvironment(client, { cwd: dir });
      expect(await runCli(['users', 'import', 'u.csv', flag, '--output', 'table'], env)).toBe(0);
      expect(env.stdout.text).toContain('1 row: 1 would succeed, 0 failed (test only: nothing was changed)');
    }
    expect(await readdir(dir)).toEqual(['u.csv']);
    expect(client.executed.every((call) => call.options?.testOnly === true)).toBe(true);
  });

  it('a file with removals needs --yes off a terminal', async () => {
    await writeFile(join(dir, 'r.csv'), 'action,user\nremove,b@example.com\n');
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'r.csv'], env)).toBe(2);
    expect(env.stderr.text).toContain('--yes');
    expect(client.executed).toHaveLength(0);
  });

  it('a missing file is a usage error naming it', async () => {
    const env = testEnvironment(new FakeClient(), { cwd: dir });
    expect(await runCli(['users', 'import', 'nope.csv'], env)).toBe(2);
    expect(env.stderr.text).toContain('cannot read nope.csv: no such file');
  });
});
