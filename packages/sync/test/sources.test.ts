import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CsvSource, InputFileError, JsonlSource, loadDirectory } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-sources-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, text: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('CsvSource', () => {
  it("reads the User Sync Tool's columns, with groups in one quoted field", async () => {
    const path = file(
      'users.csv',
      'email,firstname,lastname,country,groups,type,username,domain\n' +
        'ann@example.com,Ann,Lee,us,"Marketing, Design",federatedID,,\n' +
        'bo@example.com,Bo,,DE,,enterpriseID,bo,example.com\n',
    );
    const loaded = await loadDirectory(new CsvSource({ path }));
    expect(loaded.errors).toEqual([]);
    expect(loaded.users).toEqual([
      {
        email: 'ann@example.com',
        firstname: 'Ann',
        lastname: 'Lee',
        country: 'US',
        groups: ['Marketing', 'Design'],
        type: 'federatedID',
      },
      {
        email: 'bo@example.com',
        firstname: 'Bo',
        country: 'DE',
        groups: [],
        type: 'enterpriseID',
        username: 'bo',
        domain: 'example.com',
      },
    ]);
  });

  it('maps column names, delimiter and encoding', async () => {
    const path = file('latin.csv', Buffer.from('mail;given;teams\nzoe@example.com;Zoë;"A, B"\n', 'latin1'));
    const loaded = await loadDirectory(
      new CsvSource({
        path,
        delimiter: ';',
        encoding: 'latin1',
        columnNames: { email: 'mail', firstname: 'given', groups: 'teams' },
      }),
    );
    expect(loaded.users).toEqual([{ email: 'zoe@example.com', firstname: 'Zoë', groups: ['A', 'B'] }]);
  });

  it('reports invalid rows with their line numbers and skips them', async () => {
    const path = file(
      'bad.csv',
      'email,country,type\n' +
        'ok@example.com,US,\n' +
        'not-an-email,US,\n' +
        'x@example.com,USA,\n' +
        'y@example.com,US,robot\n' +
        'z@example.com,US\n' +
        'ok@example.com,US,\n',
    );
    const loaded = await loadDirectory(new CsvSource({ path }));
    expect(loaded.users.map((u) => u.email)).toEqual(['ok@example.com']);
    expect(loaded.errors.map((e) => [e.line, e.message])).toEqual([
      [3, 'column 1 (email) must be a valid email address like jdoe@example.com, got "not-an-email"'],
      [4, 'column 2 (country) must be exactly 2 upper-case ISO-3166 letters such as "US", got "USA"'],
      [5, 'column 3 (type) "robot" must be one of adobeID, enterpriseID, federatedID'],
      [6, 'has 2 fields, the header has 3'],
    ]);
    // Line 7 is ok@example.com again: merged into line 2 (duplicate_rows: merge, the default).
    expect(loaded.duplicates).toEqual([{ source: path, line: 7, firstLine: 2, email: 'ok@example.com' }]);
    expect(loaded.errors[0]?.source).toBe(path);
  });

  it('stops at the first invalid row in strict mode', async () => {
    const path = file('strict.csv', 'email\nok@example.com\nnope\n');
    await expect(loadDirectory(new CsvSource({ path }), { strict: true })).rejects.toThrow(
      new InputFileError(
        path,
        3,
        'column 1 (email) must be a valid email address like jdoe@example.com, got "nope"',
        'row',
      ),
    );
  });

  it("applies the client's field rules, so what plan accepts, apply can send", async () => {
    const long = `${'j'.repeat(51)}@example.com`;
    const path = file(
      'rules.csv',
      'email,firstname,lastname,country,type\n' +
        `${long},Jane,Doe,US,federated\n` +
        `ok@example.com,${'x'.repeat(251)},Doe,us,FederatedID\n` +
        'fine@example.com,Fine,User,de,enterpriseid\n',
    );
    const loaded = await loadDirectory(new CsvSource({ path }));
    expect(loaded.errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, 'email', `column 1 (email) must be at most 60 characters, got 63: "${long}"`],
      [3, 'firstname', 'column 2 (firstname) must be at most 250 characters, got 251'],
    ]);
    expect(loaded.users).toEqual([
      {
        email: 'fine@example.com',
        firstname: 'Fine',
        lastname: 'User',
        country: 'DE',
        type: 'enterpriseID',
        groups: [],
      },
    ]);
  });

  it('refuses a header that names a column twice', async () => {
    const path = file('twice.csv', 'email,groups,Email\na@example.com,A,b@example.com\n');
    await expect(loadDirectory(new CsvSource({ path }))).rejects.toThrow(
      /names column "Email" twice \(columns 1 and 3\)/,
    );
  });

  it('refuses a file without an email column, naming the columns it has', async () => {
    const path = file('nocol.csv', 'mail,name\na@example.com,A\n');
    await expect(loadDirectory(new CsvSource({ path }))).rejects.toThrow(
      /no "email" column .*columns: mail, name/,
    );
  });

  it('names the line of broken quoting', async () => {
    const path = file('quote.csv', 'email,groups\na@example.com,"A\nb@example.com,B\n');
    await expect(loadDirectory(new CsvSource({ path }))).rejects.toThrow(/quote\.csv:\d+: not valid CSV/);
  });
});

describe('JsonlSource', () => {
  it('reads objects per line and reports bad lines by number', async () => {
    const path = file(
      'users.jsonl',
      '{"email":"a@example.com","groups":["G1"],"type":"adobeID"}\n\n[1]\n{bad json\n{"email":"b@example.com","groups":"G2, G3"}\n{"email":7}\n',
    );
    const loaded = await loadDirectory(new JsonlSource({ path }));
    expect(loaded.users).toEqual([{ email: 'a@example.com', groups: ['G1'], type: 'adobeID' }]);
    expect(loaded.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(loaded.errors[2]?.message).toBe(
      '"groups" must be a list of group names like ["Designers"], got "G2, G3"',
    );
    expect(loaded.errors[3]?.message).toBe('"email" must be text, got a number (7)');
  });
});
