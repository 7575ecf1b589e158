import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder } from '../support/umapi-in-folder.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-inputs-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** Requests that reached the emulator's UMAPI (not IMS) since `from`. */
const umapiRequests = (from: number): string[] =>
  emulator
    .requestLog()
    .slice(from)
    .map((entry) => entry.path)
    .filter((path) => path.includes('/usermanagement/'));

const federated = ['users', 'create', '--type', 'federated', '--first-name', 'Fay', '--last-name', 'Lee'];

describe('flags checked before anything is sent', () => {
  it('a lower-case country is upper-cased and the user is created with it', async () => {
    const email = `fay@${emulator.demo!.federatedDomain}`;
    const result = await umapiInFolder(emulator, dir, [...federated, email, '--country', 'us']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shown = await umapiInFolder(emulator, dir, ['users', 'get', email, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ email, country: 'US' });
  });

  it.each([
    [[...federated, 'zed@example.com', '--country', 'zz'], '--country: "ZZ" is not an ISO-3166 country code'],
    [
      ['users', 'create', '--type', 'adobe', 'zed@example.com', '--groups', ' , ,'],
      "--groups: ' , ,' names nothing; give comma-separated names",
    ],
    [['users', 'list', '--json', '--output', 'csv'], '--json and --output csv ask for two formats'],
    [['users', 'list', '--status', 'active'], '--status: only members of a product profile'],
  ])('%j is a usage error (exit 2) and sends nothing', async (argv, message) => {
    const from = emulator.requestLog().length;
    const result = await umapiInFolder(emulator, dir, argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(umapiRequests(from)).toEqual([]);
  });

  it('--json with --output json is one request, not a conflict', async () => {
    const result = await umapiInFolder(emulator, dir, ['users', 'list', '--json', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });
});

describe('import and sync files checked before anything is sent', () => {
  it('JSON-lines values of the wrong type are row errors naming line and key', async () => {
    await writeFile(
      join(dir, 'typed.jsonl'),
      [
        '{"user":"t1@example.com","type":"enterprise","firstname":42,"lastname":"L"}',
        '{"user":"t2@example.com","type":"enterprise","firstname":"F","lastname":"L","groups":"Designers"}',
        '{"user":"t3@example.com","type":"enterprise","firstname":"F","lastname":"L","groups":["", 5]}',
        '{"user":"t4@example.com","type":"adobe","groups":["Designers"],"delete_account":false}',
      ].join('\n'),
    );
    const from = emulator.requestLog().length;
    const result = await umapiInFolder(emulator, dir, ['users', 'import', 'typed.jsonl']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('typed.jsonl: 3 bad rows; nothing was sent');
    expect(result.stderr).toContain(
      'typed.jsonl:1: firstname: must be text (a JSON string), got a number (42)',
    );
    expect(result.stderr).toContain(
      'typed.jsonl:2: groups: must be a list of group names like ["Designers"], got the text "Designers"',
    );
    expect(result.stderr).toContain('typed.jsonl:3: groups: [0] must be a non-empty group name');
    expect(result.stderr).not.toContain('typed.jsonl:4');
    expect(umapiRequests(from)).toEqual([]);
  });

  it('row errors are error lines at the right line, the first 20 and a count of the rest', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `u${String(i)}@example.com,enterprise,,Doe`);
    await writeFile(join(dir, 'many.csv'), `user,type,firstname,lastname\n${rows.join('\n')}\n`);
    const from = emulator.requestLog().length;
    const result = await umapiInFolder(emulator, dir, ['users', 'import', 'many.csv']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: many.csv:2: firstname: required for enterprise users');
    expect(lines[19]).toBe('error: many.csv:21: firstname: required for enterprise users');
    expect(lines.slice(20)).toEqual([
      'error: … and 4980 more problems on 4980 more rows (not shown)',
      'error: many.csv: 5000 bad rows; nothing was sent',
      '  hint: fix the rows and run the command again: the whole file is checked before anything is sent',
    ]);
    expect(umapiRequests(from)).toEqual([]);
  });

  it('a Latin-1 file is refused at its line and column, and read with --encoding latin1', async () => {
    await writeFile(
      join(dir, 'latin1.csv'),
      Buffer.from('user,type,firstname,lastname\nlat@example.com,enterprise,J\xe9r\xf4me,B\n', 'latin1'),
    );
    const refused = await umapiInFolder(emulator, dir, ['users', 'import', 'latin1.csv', '--dry-run']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('latin1.csv:2: column 29: byte 0xE9 is not UTF-8');
    const read = await umapiInFolder(emulator, dir, [
      'users',
      'import',
      'latin1.csv',
      '--dry-run',
      '--encoding',
      'latin1',
      '--json',
    ]);
    expect(read.code).toBe(0);
  });

  it('a missing sync connector file names the file and the setting, without a stack', async () => {
    await writeFile(
      join(dir, 'sync.yml'),
      'directory_users:\n  connectors:\n    csv:\n      file_path: gone.csv\n',
    );
    const result = await umapiInFolder(emulator, dir, ['sync', 'plan', '--sync-config', 'sync.yml']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`the directory file ${join(dir, 'gone.csv')}: no such file`);
    expect(result.stderr).toContain('directory_users.connectors');
    expect(result.stderr).not.toContain('fix the row');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
