import { describe, expect, it } from 'vitest';
import { runCli } from '@umapi-kit/cli';
import type { User } from '@umapi-kit/client';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

describe('users create', () => {
  it('sends one entry creating the user and adding it to groups (--groups)', async () => {
    const client = new FakeClient();
    const env = testEnvironment(client);
    const code = await runCli(
      [
        'users',
        'create',
        '--type',
        'enterprise',
        'jane@example.com',
        '--first-name',
        'Jane',
        '--last-name',
        'Doe',
        '--country',
        'US',
        '--groups',
        'Designers,Creative Cloud 1',
        '--on-conflict',
        'ignore',
      ],
      env,
    );
    expect(code).toBe(0);
    expect(client.wire).toEqual([
      {
        user: 'jane@example.com',
        do: [
          {
            createEnterpriseID: {
              email: 'jane@example.com',
              firstname: 'Jane',
              lastname: 'Doe',
              country: 'US',
              option: 'ignoreIfAlreadyExists',
            },
          },
          { add: { group: ['Designers', 'Creative Cloud 1'] } },
        ],
      },
    ]);
  });

  it('creates a federated username with its domain, and passes --test-only to the client', async () => {
    const client = new FakeClient();
    const code = await runCli(
      [
        'users',
        'create',
        '--type',
        'federated',
        'jsmith',
        '--domain',
        'fed.example.com',
        '--email',
        'jsmith@fed.example.com',
        '--first-name',
        'J',
        '--last-name',
        'Smith',
        '--country',
        'US',
        '--test-only',
      ],
      testEnvironment(client),
    );
    expect(code).toBe(0);
    expect(client.wire[0]).toMatchObject({ user: 'jsmith', domain: 'fed.example.com' });
    expect(client.executed[0]?.options?.testOnly).toBe(true);
  });

  it.each([
    [['users', 'create', 'jane@example.com'], '--type: required'],
    [
      ['users', 'create', '--type', 'enterprise', 'jane@example.com'],
      '--first-name: is required for an Enterprise ID',
    ],
    [
      [
        'users',
        'create',
        '--type',
        'federated',
        'jsmith',
        '--email',
        'j@x.com',
        '--first-name',
        'J',
        '--last-name',
        'S',
        '--country',
        'US',
      ],
      '--domain: is required: user "jsmith" is not an email',
    ],
    [
      [
        'users',
        'create',
        '--type',
        'federated',
        'j@fed.example.com',
        '--first-name',
        'J',
        '--last-name',
        'S',
        '--country',
        'usa',
      ],
      '--country: must be exactly 2 upper-case ISO-3166 letters such as "US", got "usa"',
    ],
    [['users', 'create', '--type', 'martian', 'j@x.com'], "argument 'martian' is invalid"],
  ])('refuses %j before sending anything (exit 2)', async (argv, message) => {
    const client = new FakeClient();
    const env = testEnvironment(client);
    const code = await runCli(argv, env);
    expect(code).toBe(2);
    expect(env.stderr.text).toContain(message);
    expect(client.executed).toHaveLength(0);
  });

  it('exits 1 when the action failed and says why', async () => {
    const client = new FakeClient({
      outcome: () => ({
        status: 'failed',
        errorCode: 'error.user.already_in_org',
        message: 'User already in org',
      }),
    });
    const env = testEnvironment(client);
    const code = await runCli(['users', 'create', '--type', 'adobe', 'a@b.com', '--output', 'table'], env);
    expect(code).toBe(1);
    expect(env.stdout.text).toContain(
      'failed a@b.com: the user is already in the organization (give --on-conflict ignore, or update, to accept that) [error.user.already_in_org]',
    );
    expect(env.stderr.text).toContain('1 of 1 action failed');
  });
});

describe('users remove', () => {
  const jdoe = { email: 'jdoe@example.com', username: 'jdoe@example.com', type: 'enterpriseID' } as User;

  it('refuses without --yes when not on a terminal (exit 2), sending nothing', async () => {
    const client = new FakeClient({ users: [jdoe] });
    const env = testEnvironment(client);
    const code = await runCli(['users', 'remove', 'jdoe@example.com'], env);
    expect(code).toBe(2);
    expect(env.stderr.text).toContain('pass --yes');
    expect(client.executed).toHaveLength(0);
  });

  it('asks on a terminal and stops when the answer is no', async () => {
    const client = new FakeClient({ users: [jdoe] });
    const questions: string[] = [];
    const env = testEnvironment(client, {
      stdinIsTTY: true,
      prompter: { confirm: async (question) => (questions.push(question), false) },
    });
    const code = await runCli(['users', 'remove', 'jdoe@example.com', '--delete-account'], env);
    expect(code).toBe(1);
    expect(questions[0]).toContain('DELETE the account');
    expect(client.executed).toHaveLength(0);
  });

  it('removes with --yes', async () => {
    const client = new FakeClient({ users: [jdoe] });
    const code = await runCli(
      ['users', 'remove', 'jdoe@example.com', '--yes', '--delete-account'],
      testEnvironment(client),
    );
    expect(code).toBe(0);
    expect(client.wire).toEqual([
      { user: 'jdoe@example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
    ]);
  });

  it('a user not in the organization is not "removed": exit 1, nothing sent', async () => {
    const client = new FakeClient({ users: [jdoe] });
    const env = testEnvironment(client);
    expect(await runCli(['users', 'remove', 'gone@example.com', '--yes'], env)).toBe(1);
    expect(env.stderr.text).toContain(
      'error: gone@example.com is not in the organization: nothing was removed',
    );
    expect(client.executed).toHaveLength(0);
  });

  it('an Adobe ID is removed, never deleted, and the message says so', async () => {
    const adobe = { email: 'ann@gmail.com', username: 'ann@gmail.com', type: 'adobeID' } as User;
    const client = new FakeClient({ users: [adobe] });
    const env = testEnvironment(client);
    const argv = ['users', 'remove', 'ann@gmail.com', '--yes', '--delete-account', '--output', 'table'];
    expect(await runCli(argv, env)).toBe(0);
    expect(env.stderr.text).toContain(
      'ann@gmail.com is an Adobe ID: it belongs to its user, so it is only removed',
    );
    expect(env.stdout.text).toBe('removed from the organization: ann@gmail.com\n');
    expect(client.wire).toEqual([
      { user: 'ann@gmail.com', do: [{ removeFromOrg: { deleteAccount: false } }] },
    ]);
  });
});

describe('users update / groups', () => {
  it('update sends only the given fields; nothing to update is a usage error', async () => {
    const client = new FakeClient();
    expect(await runCli(['users', 'update', 'a@b.com', '--last-name', 'New'], testEnvironment(client))).toBe(
      0,
    );
    expect(client.wire).toEqual([{ user: 'a@b.com', do: [{ update: { lastname: 'New' } }] }]);
    const env = testEnvironment(client);
    expect(await runCli(['users', 'update', 'a@b.com'], env)).toBe(2);
    expect(env.stderr.text).toContain('nothing to update');
  });

  it('remove-groups --all sends remove: all with --yes', async () => {
    const client = new FakeClient();
    expect(
      await runCli(['users', 'remove-groups', 'a@b.com', '--all', '--yes'], testEnvironment(client)),
    ).toBe(0);
    expect(client.wire).toEqual([{ user: 'a@b.com', do: [{ remove: 'all' }] }]);
  });

  it('groups add-users and add-profiles build usergroup entries', async () => {
    const client = new FakeClient();
    expect(
      await runCli(['groups', 'add-users', 'Designers', 'a@b.com', 'c@d.com'], testEnvironment(client)),
    ).toBe(0);
    expect(
      await runCli(['groups', 'add-profiles', 'Designers', 'Creative Cloud 1'], testEnvironment(client)),
    ).toBe(0);
    expect(client.wire).toEqual([
      // One entry per member (one request): each gets its own outcome.
      { usergroup: 'Designers', do: [{ add: { user: ['a@b.com'] } }] },
      { usergroup: 'Designers', do: [{ add: { user: ['c@d.com'] } }] },
      { usergroup: 'Designers', do: [{ add: { productConfiguration: ['Creative Cloud 1'] } }] },
    ]);
  });
});

describe('auth token', () => {
  it('prints the expiry but never the token without --show', async () => {
    const client = new FakeClient();
    const env = testEnvironment(client);
    expect(await runCli(['auth', 'token', '--output', 'table'], env)).toBe(0);
    expect(env.stdout.text).toContain('expires 2030-01-01T12:00:00.000Z (in 2 h)');
    expect(env.stdout.text + env.stderr.text).not.toContain('eyJ-secret-access-token');
    const shown = testEnvironment(client);
    expect(await runCli(['auth', 'token', '--show', '--output', 'table'], shown)).toBe(0);
    expect(shown.stdout.text).toContain('eyJ-secret-access-token');
  });
});
