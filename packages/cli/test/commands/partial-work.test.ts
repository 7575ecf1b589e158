import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder } from '../support/umapi-in-folder.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-partial-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function groupsOf(email: string): Promise<string[]> {
  const shown = await umapiInFolder(emulator, dir, ['users', 'get', email, '--json']);
  expect(shown.code).toBe(0);
  return (JSON.parse(shown.stdout) as { groups: string[] }).groups;
}

async function membersOf(group: string): Promise<string[]> {
  const listed = await umapiInFolder(emulator, dir, ['users', 'list', '--group', group, '--json']);
  expect(listed.code).toBe(0);
  return (JSON.parse(listed.stdout) as { email: string }[]).map((user) => user.email).sort();
}

const createArgs = (email: string, groups: string) => [
  'users',
  'create',
  email,
  '--type',
  'enterprise',
  '--first-name',
  'Pat',
  '--last-name',
  'Doe',
  '--groups',
  groups,
];

describe('partial work is reported as partial', () => {
  it('users create --groups A,NoSuch: created, not added, exit 3', async () => {
    const result = await umapiInFolder(emulator, dir, [
      ...createArgs('pat@example.com', 'Designers,NoSuch'),
      '--output',
      'table',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toBe(
      'partly done pat@example.com: created; not added to Designers, NoSuch: no user group or product profile is ' +
        `named "NoSuch" ('umapi groups list' shows them) [error.group.not_found]\n`,
    );
    expect(result.stderr).toContain('1 of 1 action partly done');
    expect(await groupsOf('pat@example.com')).toEqual([]);
  });

  it('the same in JSON lines: status partial, with what was and was not done', async () => {
    const result = await umapiInFolder(emulator, dir, createArgs('quinn@example.com', 'NoSuch'));
    expect(result.code).toBe(3);
    const record = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(record).toMatchObject({
      target: 'quinn@example.com',
      status: 'partial',
      done: 'created',
      errorCode: 'error.group.not_found',
    });
    expect(record['notDone']).toContain('not added to NoSuch');
  });

  it('a create that fails at its own step is a failure (exit 1), not partial', async () => {
    const result = await umapiInFolder(emulator, dir, [
      ...createArgs('pat@example.com', 'Designers'),
      '--output',
      'table',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('failed pat@example.com: the user is already in the organization');
  });

  it('groups add-users G a b nobody: adds a and b, reports nobody, exit 3', async () => {
    const result = await umapiInFolder(emulator, dir, [
      'groups',
      'add-users',
      'Marketing',
      'pat@example.com',
      'quinn@example.com',
      'nobody@example.com',
      '--output',
      'table',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      '  added to Marketing pat@example.com\n  added to Marketing quinn@example.com\n',
    );
    expect(result.stdout).toContain('  failed nobody@example.com: no account nobody@example.com exists');
    expect(await membersOf('Marketing')).toEqual(
      expect.arrayContaining(['pat@example.com', 'quinn@example.com']),
    );
  });

  it('a list longer than one request is sent whole, and split per member when the server fails it', async () => {
    const emails = Array.from({ length: 11 }, (_, i) => `bulk${String(i)}@example.com`);
    for (const email of emails) {
      const made = await umapiInFolder(emulator, dir, ['users', 'create', email, '--type', 'adobe']);
      expect(made.code).toBe(0);
    }
    const whole = await umapiInFolder(emulator, dir, [
      'groups',
      'add-users',
      'Developers',
      ...emails.slice(0, 11),
    ]);
    expect(whole.code).toBe(0);
    const removed = await umapiInFolder(emulator, dir, [
      'groups',
      'remove-users',
      'Developers',
      ...emails.slice(0, 11),
    ]);
    expect(removed.code).toBe(0);
    const split = await umapiInFolder(emulator, dir, [
      'groups',
      'add-users',
      'Developers',
      ...emails.slice(0, 10),
      'nobody@example.com',
    ]);
    expect(split.code).toBe(3);
    expect(split.stderr).toContain(
      'the server refused the whole list of 11 users; sending one entry per member',
    );
    const members = await membersOf('Developers');
    expect(members).toEqual(expect.arrayContaining(emails.slice(0, 10)));
    expect(members).not.toContain(emails[10]);
  });
});
