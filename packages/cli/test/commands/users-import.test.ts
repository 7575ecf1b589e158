import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
    expect(env.stderr.text).toContain('users.csv line 3, user:');
    expect(env.stderr.text).toContain('users.csv line 4, country: required for federated users');
    expect(env.stderr.text).toContain(
      "users.csv line 5, action: expected one of create, update, remove, got 'explode'",
    );
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
    expect(client.wire).toEqual([
      {
        user: 'a@example.com',
        requestID: 'line-1',
        do: [
          { createEnterpriseID: { email: 'a@example.com', firstname: 'A', lastname: 'A' } },
          { add: { group: ['G1', 'P1'] } },
        ],
      },
      { user: 'b@example.com', requestID: 'line-3', do: [{ removeFromOrg: { deleteAccount: false } }] },
    ]);
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
