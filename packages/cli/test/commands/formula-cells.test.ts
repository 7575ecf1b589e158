import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { neutralizedCell } from '../../src/output/csv-cell.js';
import { umapiInFolder } from '../support/umapi-in-folder.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-formula-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const create = (email: string, first: string, last: string) =>
  umapiInFolder(emulator, dir, [
    'users',
    'create',
    email,
    '--type',
    'enterprise',
    '--first-name',
    first,
    '--last-name',
    last,
  ]);

describe('spreadsheet formula injection', () => {
  it('neutralises every formula-starting cell with a single quote (OWASP), and nothing else', () => {
    for (const text of ['=1+1', '+1', '-2', '@SUM(A1)', '\tx', '\rx'])
      expect(neutralizedCell(text)).toBe(`'${text}`);
    for (const text of ['Ann', '', "'quoted", 'a=b', '1-2']) expect(neutralizedCell(text)).toBe(text);
  });

  it('users list --output csv: a name that is a formula is written as text', async () => {
    expect((await create('eve@example.com', '=HYPERLINK("http://x","y")', '@SUM(A1)')).code).toBe(0);
    const result = await umapiInFolder(emulator, dir, [
      'users',
      'get',
      'eve@example.com',
      '--output',
      'csv',
      '--fields',
      'email,firstname,lastname',
    ]);
    expect(result.stdout).toBe(
      `email,firstname,lastname\neve@example.com,"'=HYPERLINK(""http://x"",""y"")",'@SUM(A1)\n`,
    );
    const listed = await umapiInFolder(emulator, dir, [
      'users',
      'list',
      '--output',
      'csv',
      '--fields',
      'email,lastname',
    ]);
    expect(listed.stdout).toContain("\neve@example.com,'@SUM(A1)\n");
  });

  it('the Adobe-only users file of sync plan is neutralised too', async () => {
    await writeFile(join(dir, 'users.csv'), 'email,firstname,lastname\nada.admin@example.com,Ada,Admin\n');
    await writeFile(
      join(dir, 'sync.yml'),
      'directory_users:\n  connectors:\n    csv: users.csv\ninvocation_defaults:\n  adobe_only_user_action: [write-file, adobe-only.csv]\n',
    );
    const planned = await umapiInFolder(emulator, dir, [
      'sync',
      'plan',
      '--sync-config',
      'sync.yml',
      '--out',
      'plan.json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const written = await readFile(join(dir, 'adobe-only.csv'), 'utf8');
    expect(written).toContain('eve@example.com');
    expect(written).not.toMatch(/(^|,)[=+\-@]/m);
  });

  it('users import warns about formula cells and sends them as text; --strict refuses them', async () => {
    await writeFile(
      join(dir, 'f.csv'),
      'user,type,firstname,lastname\nmal@example.com,enterprise,=1+1,Doe\n',
    );
    const warned = await umapiInFolder(emulator, dir, ['users', 'import', 'f.csv', '--dry-run']);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain(
      'warning: f.csv:2: firstname: "=1+1" starts with "=": a spreadsheet would run it as a formula (sent as text',
    );
    const from = emulator.requestLog().length;
    const refused = await umapiInFolder(emulator, dir, ['users', 'import', 'f.csv', '--strict']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('error: f.csv:2: firstname: "=1+1" starts with "="');
    expect(
      emulator
        .requestLog()
        .slice(from)
        .filter((entry) => entry.path.includes('/action/')),
    ).toEqual([]);
  });
});
