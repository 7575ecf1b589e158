import type { Reader } from '../config/sync-config.js';
import { dirname, resolve } from 'node:path';
import { isScalar } from 'yaml';
import type { IdentityType } from '../types.js';
import type { CsvSourceOptions } from '../sources/csv-source.js';
import type { DirectoryField } from '../sources/directory-row.js';
import { readUstFile, ustMap } from './ust-file.js';

const COLUMNS: readonly [string, DirectoryField][] = [
  ['email_column_name', 'email'],
  ['first_name_column_name', 'firstname'],
  ['last_name_column_name', 'lastname'],
  ['country_column_name', 'country'],
  ['groups_column_name', 'groups'],
  ['identity_type_column_name', 'type'],
  ['username_column_name', 'username'],
  ['domain_column_name', 'domain'],
];
const ENCODINGS: Record<string, BufferEncoding> = {
  utf8: 'utf8',
  'utf-8': 'utf8',
  utf_8: 'utf8',
  'utf-8-sig': 'utf8',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  ascii: 'ascii',
  'utf-16le': 'utf16le',
  utf16le: 'utf16le',
};

export interface CsvConnectorRead {
  /** Everything but the path (which `--users file F` or `--connector csv F` may give instead). */
  options: Omit<CsvSourceOptions, 'path'> & { path?: string };
  identityType?: IdentityType;
}

/** Reads a User Sync Tool `connector-csv.yml` (column names, delimiter, encoding, file_path, identity type). */
export async function readUstCsvConnector(path: string, namedBy: string): Promise<CsvConnectorRead> {
  const file = await readUstFile(path, namedBy);
  const reader: Reader = file.reader;
  const entries = ustMap(
    reader,
    file.doc.contents,
    '',
    [...COLUMNS.map(([key]) => key), 'delimiter', 'string_encoding', 'file_path', 'user_identity_type'],
    {},
  );
  const text = (name: string): string | undefined => {
    const node = entries.get(name);
    return node === undefined ? undefined : reader.string(node, name);
  };
  const out: CsvConnectorRead = { options: {} };
  const names: Partial<Record<DirectoryField, string>> = {};
  for (const [key, field] of COLUMNS) {
    const name = text(key);
    if (name !== undefined) names[field] = name;
  }
  if (Object.keys(names).length > 0) out.options.columnNames = names;
  const delimiter = entries.get('delimiter');
  if (delimiter !== undefined) {
    const value = isScalar(delimiter) ? String(delimiter.value) : '';
    const one = value === '\\t' ? '\t' : value;
    if (one.length !== 1) reader.fail(delimiter, 'delimiter', 'must be one character (such as "," or ";")');
    out.options.delimiter = one;
  }
  const encoding = text('string_encoding');
  if (encoding !== undefined) {
    const known = ENCODINGS[encoding.toLowerCase()];
    if (known === undefined) {
      return reader.fail(
        entries.get('string_encoding'),
        'string_encoding',
        `"${encoding}" is not supported (use one of ${Object.keys(ENCODINGS).join(', ')})`,
      );
    }
    out.options.encoding = known;
  }
  const filePath = text('file_path');
  if (filePath !== undefined) out.options.path = resolve(dirname(resolve(path)), filePath);
  const type = entries.get('user_identity_type');
  if (type !== undefined) out.identityType = reader.identityType(type, 'user_identity_type');
  return out;
}
