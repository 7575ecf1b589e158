import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputFileError, readCsvRecords, readJsonlRecords, type RecordRow } from '../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-records-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rows(read: AsyncGenerator<RecordRow>): Promise<RecordRow[]> {
  const out: RecordRow[] = [];
  for await (const row of read) out.push(row);
  return out;
}

async function refusal(read: AsyncGenerator<RecordRow>): Promise<InputFileError> {
  try {
    await rows(read);
  } catch (error) {
    if (error instanceof InputFileError) return error;
    throw error;
  }
  throw new Error('the file was read without an error');
}

const values = (read: RecordRow[]): unknown[][] =>
  read.map((row) => ('record' in row ? [...row.record.cells.values()].map((cell) => cell.value) : []));

describe('the reader checks the encoding before any row is used', () => {
  it('refuses a byte that is not UTF-8, naming its line and column', async () => {
    const path = file('latin1.csv', Buffer.from('email,firstname\nj@example.com,J\xe9r\xf4me\n', 'latin1'));
    const error = await refusal(readCsvRecords(path));
    expect(error.line).toBe(2);
    expect(error.reason).toMatch(/^column 16: byte 0xE9 is not UTF-8 .*--encoding latin1/);
  });

  it('finds the bad byte far into a file read in many chunks, and keeps characters split between chunks', async () => {
    // 64 KiB chunks: "é" (2 bytes) straddles offsets a chunk boundary falls on, somewhere in 3000 rows.
    const good = Array.from({ length: 3000 }, (_, i) => `u${String(i)}@example.com,Zoé${'x'.repeat(i % 7)}`);
    const text = `email,firstname\n${good.join('\n')}\n`;
    expect((await rows(readCsvRecords(file('long.csv', text)))).length).toBe(3000);
    const bad = Buffer.concat([Buffer.from(text), Buffer.from([0x61, 0x2c, 0x62, 0xff, 0x0a])]);
    const error = await refusal(readCsvRecords(file('long-bad.csv', bad)));
    expect([error.line, error.reason.slice(0, 27)]).toEqual([3002, 'column 4: byte 0xFF is not ']);
  });

  it('decodes the encoding the user gave instead', async () => {
    const path = file(
      'latin1-given.csv',
      Buffer.from('email,firstname\nj@example.com,J\xe9r\xf4me\n', 'latin1'),
    );
    expect(values(await rows(readCsvRecords(path, { encoding: 'latin1' })))).toEqual([
      ['j@example.com', 'Jérôme'],
    ]);
  });

  it('reads UTF-16LE with its byte-order mark; refuses big-endian and unmarked UTF-16, saying how to convert', async () => {
    const text = 'email,firstname\nj@example.com,Zoé\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(values(await rows(readCsvRecords(file('le.csv', le))))).toEqual([['j@example.com', 'Zoé']]);
    const be = Buffer.from(text, 'utf16le').swap16();
    const marked = await refusal(
      readCsvRecords(file('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]))),
    );
    expect(marked.reason).toMatch(/^the file is UTF-16 \(big-endian\).*iconv -f UTF-16 -t UTF-8/);
    const unmarked = await refusal(
      readJsonlRecords(file('nomark.jsonl', Buffer.from('{"email":"a"}\n', 'utf16le'))),
    );
    expect(unmarked.reason).toMatch(/^the file looks like UTF-16/);
  });
});

describe('the CSV reader knows a file that is not CSV, and where a row starts', () => {
  it('says a JSON-lines file is JSON lines and how to read it', async () => {
    const error = await refusal(readCsvRecords(file('rows.csv', '{"email": "a@example.com"}\n')));
    expect([error.line, error.reason]).toEqual([
      1,
      expect.stringContaining('this looks like JSON lines, not CSV'),
    ]);
    expect(error.reason).toContain('--format jsonl');
  });

  it('numbers a row by the line it starts on, past quoted line breaks and blank lines', async () => {
    const path = file('multi.csv', 'email,note\n\na@example.com,"one\ntwo"\n\n\nb@example.com,x\n');
    expect((await rows(readCsvRecords(path))).map((row) => row.line)).toEqual([3, 7]);
  });

  it('a missing file is an InputFileError of the file, not a stream error', async () => {
    const error = await refusal(readCsvRecords(join(dir, 'nosuch.csv')));
    expect([error.kind, error.line, error.reason]).toEqual(['file', 0, 'no such file']);
    const jsonl = await refusal(readJsonlRecords(join(dir, 'nosuch.jsonl')));
    expect(jsonl.reason).toBe('no such file');
  });
});
