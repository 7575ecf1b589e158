import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupAction, UserAction, ValidationError, type User } from '@umapi-kit/client';
import { runCli } from '@umapi-kit/cli';
import { fieldProblem } from '../../src/actions/builder-errors.js';
import { demoTasks } from '../../src/demo/demo-tasks.js';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

/** The accounts `users remove` reads before it removes. */
const members = [
  { email: 'a@example.com', username: 'a@example.com', type: 'enterpriseID' },
  { email: 'jsmith@fed.example.com', username: 'jsmith', type: 'federatedID' },
] as User[];

async function wireOf(argv: string[]): Promise<unknown[]> {
  const client = new FakeClient({ users: members });
  const env = testEnvironment(client);
  const code = await runCli([...argv, '--yes'], env);
  expect(code, env.stderr.text).toBe(0);
  return client.wire;
}

describe('commands build their entries with the client builders: the wire bodies the CLI always sent', () => {
  it.each<[string[], unknown]>([
    [
      ['users', 'create', '--type', 'adobe', 'a@example.com'],
      { user: 'a@example.com', useAdobeID: true, do: [{ addAdobeID: { email: 'a@example.com' } }] },
    ],
    [
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
        'DE',
        '--on-conflict',
        'update',
      ],
      {
        user: 'jsmith',
        domain: 'fed.example.com',
        do: [
          {
            createFederatedID: {
              email: 'jsmith@fed.example.com',
              firstname: 'J',
              lastname: 'Smith',
              country: 'DE',
              option: 'updateIfAlreadyExists',
            },
          },
        ],
      },
    ],
    [
      [
        'users',
        'update',
        'jsmith',
        '--domain',
        'fed.example.com',
        '--email',
        'j@fed.example.com',
        '--username',
        'js',
      ],
      {
        user: 'jsmith',
        domain: 'fed.example.com',
        do: [{ update: { email: 'j@fed.example.com', username: 'js' } }],
      },
    ],
    [
      ['users', 'add-groups', 'a@example.com', 'G1', 'Creative Cloud 1'],
      { user: 'a@example.com', do: [{ add: { group: ['G1', 'Creative Cloud 1'] } }] },
    ],
    [
      ['users', 'remove-groups', 'a@example.com', 'G1'],
      { user: 'a@example.com', do: [{ remove: { group: ['G1'] } }] },
    ],
    [
      ['users', 'remove', 'a@example.com'],
      { user: 'a@example.com', do: [{ removeFromOrg: { deleteAccount: false } }] },
    ],
    [
      ['groups', 'create', 'Designers'],
      { usergroup: 'Designers', do: [{ createUserGroup: { name: 'Designers' } }] },
    ],
    [
      ['groups', 'create', 'Designers', '--description', 'Design team', '--on-conflict', 'ignore'],
      {
        usergroup: 'Designers',
        do: [
          {
            createUserGroup: {
              name: 'Designers',
              description: 'Design team',
              option: 'ignoreIfAlreadyExists',
            },
          },
        ],
      },
    ],
    [
      ['groups', 'create', 'Designers', '--description', ''],
      { usergroup: 'Designers', do: [{ createUserGroup: { name: 'Designers' } }] },
    ],
    [
      ['groups', 'update', 'Designers', '--name', 'Design Team', '--description', 'All of design'],
      {
        usergroup: 'Designers',
        do: [{ updateUserGroup: { name: 'Design Team', description: 'All of design' } }],
      },
    ],
    [['groups', 'delete', 'Designers'], { usergroup: 'Designers', do: [{ deleteUserGroup: {} }] }],
    [
      ['groups', 'remove-users', 'Designers', 'a@example.com'],
      { usergroup: 'Designers', do: [{ remove: { user: ['a@example.com'] } }] },
    ],
    [
      ['groups', 'remove-profiles', 'Designers', 'Creative Cloud 1'],
      { usergroup: 'Designers', do: [{ remove: { productConfiguration: ['Creative Cloud 1'] } }] },
    ],
  ])('%j', async (argv, entry) => {
    expect(await wireOf(argv)).toEqual([entry]);
  });

  it('groups commands hand the client GroupActions', async () => {
    const client = new FakeClient();
    expect(await runCli(['groups', 'add-profiles', 'Designers', 'P1'], testEnvironment(client))).toBe(0);
    expect(client.executed[0]?.actions[0]).toBeInstanceOf(GroupAction);
  });

  it('names a federated user with its domain in what it reports', async () => {
    const client = new FakeClient({ users: members });
    const env = testEnvironment(client);
    const argv = ['users', 'remove', 'jsmith', '--domain', 'fed.example.com', '--yes', '--output', 'table'];
    expect(await runCli(argv, env)).toBe(0);
    expect(env.stdout.text).toContain('removed from the organization: jsmith (fed.example.com)');
    const json = testEnvironment(client);
    expect(
      await runCli(['users', 'remove', 'jsmith', '--domain', 'fed.example.com', '--yes', '--json'], json),
    ).toBe(0);
    expect(JSON.parse(json.stdout.text)).toMatchObject({
      outcomes: [{ target: 'jsmith (fed.example.com)' }],
    });
  });
});

describe("the client's validation, reported with the CLI's flag and argument names (exit 2, nothing sent)", () => {
  it.each<[string[], string]>([
    [
      ['users', 'create', '--type', 'enterprise', 'j@example.com', '--last-name', 'D'],
      '--first-name: is required for an Enterprise ID',
    ],
    [
      [
        'users',
        'create',
        '--type',
        'federated',
        'jsmith',
        '--domain',
        'fed.example.com',
        '--first-name',
        'J',
      ],
      '--email: is required when user is not an email',
    ],
    [
      ['users', 'create', '--type', 'adobe', 'a@example.com', '--email', 'not-an-address'],
      '--email: must be a valid email address like jdoe@example.com, got "not-an-address"',
    ],
    [
      ['users', 'create', '--type', 'adobe', 'a@example.com', '--groups', 'G1,_org_admin'],
      '--groups[2]: is "_org_admin", which the API does not let anyone assign or remove',
    ],
    [['users', 'update', 'a@example.com', '--first-name', ''], '--first-name: must not be empty'],
    [['users', 'update', 'a@example.com', '--email', 'x@'], '--email: must be a valid email address'],
    [['users', 'add-groups', 'a@example.com', 'G1', '_org_admin'], 'groups[2]: is "_org_admin"'],
    [
      ['users', 'remove', 'a@example.com', '--domain', 'example.com'],
      '--domain: may only be given when user is a username',
    ],
    [['users', 'remove', 'jsmith'], '--domain: is required: user "jsmith" is not an email'],
    [
      ['groups', 'create', '_admins'],
      'name: must not start with "_" (reserved for admin groups), got "_admins"',
    ],
    [['groups', 'update', 'Designers', '--name', '_x'], '--name: must not start with "_"'],
    [
      ['groups', 'add-users', 'Designers', 'a@example.com', 'nope'],
      'users[2]: must be a valid email address',
    ],
    [
      ['groups', 'update', 'Designers', '--description', ''],
      'nothing to update: pass --name and/or --description',
    ],
  ])('%j', async (argv, message) => {
    const client = new FakeClient();
    const env = testEnvironment(client);
    expect(await runCli([...argv, '--yes'], env)).toBe(2);
    expect(env.stderr.text).toContain(`error: ${message}`);
    expect(client.executed).toHaveLength(0);
  });

  it('a missing --domain comes with a hint saying what to pass', async () => {
    const env = testEnvironment(new FakeClient());
    expect(await runCli(['users', 'add-groups', 'jsmith', 'G1'], env)).toBe(2);
    expect(env.stderr.text).toContain(
      'hint: a federated username that is not an email address needs --domain',
    );
  });

  it('fieldProblem renames the field path, counts list positions from 1 and keeps the detail whole', () => {
    const names = { firstname: '--first-name', addToGroups: '--groups', domain: '--domain' };
    expect(
      fieldProblem(
        new ValidationError({
          path: 'createEnterpriseID.firstname',
          rule: 'required',
          detail: 'is required',
        }),
        names,
      ),
    ).toEqual({ field: '--first-name', message: 'is required' });
    expect(
      fieldProblem(
        new ValidationError({
          path: 'addToGroups[0]',
          rule: 'required',
          detail: 'must be a non-empty group name',
        }),
        names,
      ),
    ).toEqual({ field: '--groups[1]', message: 'must be a non-empty group name' });
    expect(
      fieldProblem(new ValidationError({ path: 'domain', rule: 'required', detail: 'is required' }), names),
    ).toEqual({ field: '--domain', message: 'is required' });
    expect(
      fieldProblem(new ValidationError({ path: 'update', rule: 'empty', detail: 'needs a field' }), names),
    ).toEqual({ field: 'update', message: 'needs a field' });
  });
});

describe('users import builds UserActions and reports every bad cell of a row', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'umapi-builders-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a row with a bad email, a bad country and an admin group gets three problems', async () => {
    await writeFile(
      join(dir, 'rows.csv'),
      'type,user,email,firstname,lastname,country,groups\nenterprise,ok@example.com,bad@,A,B,USA,"G1,_org_admin"\n',
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'rows.csv'], env)).toBe(2);
    expect(env.stderr.text).toContain('rows.csv: 1 bad row; nothing was sent');
    expect(env.stderr.text).toContain('rows.csv:2: email: must be a valid email address');
    expect(env.stderr.text).toContain('rows.csv:2: country: must be exactly 2 upper-case ISO-3166 letters');
    expect(env.stderr.text).toContain('rows.csv:2: groups[2]: is "_org_admin"');
    expect(client.executed).toHaveLength(0);
  });

  it('an update row whose only change is an empty group list is a row with nothing to change', async () => {
    await writeFile(join(dir, 'rows.csv'), 'action,user,groups\nupdate,a@example.com," , "\n');
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'rows.csv'], env)).toBe(2);
    expect(env.stderr.text).toContain('rows.csv:2: (row): update with nothing to change');
    expect(client.executed).toHaveLength(0);
  });

  it('update, federated create and remove rows send the same commands as before, removals first', async () => {
    await writeFile(
      join(dir, 'rows.jsonl'),
      [
        {
          action: 'update',
          user: 'a@example.com',
          email: 'a@example.com',
          groups: ['G2'],
          remove_groups: ['G1'],
        },
        { action: 'update', user: 'b@example.com', email: 'b2@example.com', lastname: 'New' },
        {
          type: 'federated',
          user: 'jsmith',
          domain: 'fed.example.com',
          email: 'jsmith@fed.example.com',
          firstname: 'J',
          lastname: 'S',
          country: 'US',
          on_conflict: 'ignore',
        },
        { action: 'remove', user: 'c@example.com', delete_account: 'yes' },
      ]
        .map((row) => JSON.stringify(row))
        .join('\n'),
    );
    const client = new FakeClient();
    const env = testEnvironment(client, { cwd: dir });
    expect(await runCli(['users', 'import', 'rows.jsonl', '--yes'], env)).toBe(0);
    // The journaled applier sends removals, then updates, then creates; within a row, adds before removals
    // (a row cannot name a group in both, so the order does not change the result).
    expect(client.wire).toEqual([
      { user: 'c@example.com', requestID: 'line-4', do: [{ removeFromOrg: { deleteAccount: true } }] },
      {
        user: 'a@example.com',
        requestID: 'line-1',
        do: [{ add: { group: ['G2'] } }, { remove: { group: ['G1'] } }],
      },
      {
        user: 'b@example.com',
        requestID: 'line-2',
        do: [{ update: { email: 'b2@example.com', lastname: 'New' } }],
      },
      {
        user: 'jsmith',
        domain: 'fed.example.com',
        requestID: 'line-3',
        do: [
          {
            createFederatedID: {
              email: 'jsmith@fed.example.com',
              firstname: 'J',
              lastname: 'S',
              country: 'US',
              option: 'ignoreIfAlreadyExists',
            },
          },
        ],
      },
    ]);
    expect(
      client.executed.flatMap((call) => call.actions).every((action) => action instanceof UserAction),
    ).toBe(true);
  });
});

describe('demo tasks', () => {
  it('show and send the walkthrough bodies, built with UserAction', () => {
    const tasks = demoTasks({
      orgId: 'ORG@AdobeOrg',
      enterpriseDomain: 'ent.example.com',
      federatedDomain: 'fed.example.com',
    });
    // Printed in the walkthrough's order: the user and its domain before the steps.
    for (const task of tasks.filter((item) => item.request.includes('"domain"')))
      expect(task.request.indexOf('"domain"')).toBeLessThan(task.request.indexOf('"do"'));
    const bodies = tasks
      .filter((task) => task.request.startsWith('POST /v2/'))
      .map((task) => JSON.parse(task.request.slice(task.request.indexOf('\n') + 1)) as unknown);
    expect(bodies).toEqual([
      [
        {
          user: 'walkthrough.adobeid@gmail.com',
          useAdobeID: true,
          do: [
            {
              addAdobeID: {
                email: 'walkthrough.adobeid@gmail.com',
                country: 'US',
                option: 'ignoreIfAlreadyExists',
              },
            },
          ],
        },
      ],
      [
        {
          user: 'john.doe@ent.example.com',
          do: [
            {
              createEnterpriseID: {
                email: 'john.doe@ent.example.com',
                firstname: 'John',
                lastname: 'Doe',
                country: 'US',
              },
            },
          ],
        },
      ],
      [
        {
          user: 'jane.sso',
          domain: 'fed.example.com',
          do: [
            {
              createFederatedID: {
                email: 'jane.sso@fed.example.com',
                firstname: 'Jane',
                lastname: 'Sso',
                country: 'US',
              },
            },
          ],
        },
      ],
      [
        {
          user: 'jane.sso',
          domain: 'fed.example.com',
          do: [{ update: { firstname: 'Janet', lastname: 'Single-Sign-On' } }],
        },
      ],
      [{ user: 'john.doe@ent.example.com', do: [{ removeFromOrg: { deleteAccount: false } }] }],
      [
        {
          user: 'new.hire@ent.example.com',
          do: [
            {
              createEnterpriseID: {
                email: 'new.hire@ent.example.com',
                firstname: 'New',
                lastname: 'Hire',
                country: 'US',
              },
            },
            { add: { group: ['TestGroup1', 'Creative Cloud 1'] } },
          ],
        },
      ],
    ]);
  });
});
