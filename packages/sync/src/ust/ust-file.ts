import { readFile } from 'node:fs/promises';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { Reader } from '../config/sync-config.js';
import { SyncConfigError } from '../config/sync-config-error.js';

/** One YAML file of a User Sync Tool configuration folder, parsed with line positions. */
export interface UstFile {
  path: string;
  text: string;
  doc: Document;
  reader: Reader;
}

/** Parses YAML text; a syntax error names the file and line. */
export function parseUstFile(text: string, path: string): UstFile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const line = lines.linePos(firstError.pos[0]).line;
    throw new SyncConfigError(path, line, '', `invalid YAML: ${firstError.message.split('\n')[0] ?? ''}`);
  }
  return { path, text, doc, reader: new Reader(path, lines) };
}

/** Reads and parses a file; `namedBy` says which key of which file pointed at it (for the error). */
export async function readUstFile(path: string, namedBy?: string): Promise<UstFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new SyncConfigError(
      path,
      0,
      '',
      `cannot read the file (${code})${namedBy === undefined ? '' : `, named by ${namedBy}`}`,
    );
  }
  return parseUstFile(text, path);
}

/**
 * A mapping's entries, every key either honoured (`honoured`) or refused with the reason given in `refused`
 * (what umapi-kit does instead). Any other key is refused as unknown, listing the honoured ones. An empty value
 * (`key:` with nothing after it, as the User Sync Tool's templates leave them) counts as absent.
 */
export function ustMap(
  reader: Reader,
  node: unknown,
  key: string,
  honoured: readonly string[],
  refused: Readonly<Record<string, string>> = {},
): Map<string, YamlNode> {
  if (node === null || node === undefined || (isScalar(node) && node.value === null)) return new Map();
  if (!isMap(node)) reader.fail(node as YamlNode, key, 'must be a mapping of keys to values');
  const out = new Map<string, YamlNode>();
  for (const pair of node.items) {
    const name = isScalar(pair.key) ? String(pair.key.value) : '';
    const path = key === '' ? name : `${key}.${name}`;
    const reason = refused[name];
    if (reason !== undefined) reader.fail(pair.key as YamlNode, path, reason);
    if (!honoured.includes(name)) {
      reader.fail(pair.key as YamlNode, path, `unknown key (expected one of: ${honoured.join(', ')})`);
    }
    const value = pair.value as YamlNode | null;
    if (value === null || (isScalar(value) && value.value === null)) continue;
    out.set(name, value);
  }
  return out;
}

/** A YAML boolean, also in the User Sync Tool's spellings (`Yes`/`No`, `True`/`False`, `on`/`off`). */
export function ustBoolean(reader: Reader, node: YamlNode, key: string): boolean {
  const value = isScalar(node) ? node.value : undefined;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (['yes', 'true', 'on', 'y'].includes(word)) return true;
    if (['no', 'false', 'off', 'n'].includes(word)) return false;
  }
  return reader.fail(node, key, 'must be true or false (Yes/No are read too)');
}

/** A whole number at least `min`. */
export function ustInteger(reader: Reader, node: YamlNode, key: string, min: number): number {
  const value = isScalar(node) ? node.value : undefined;
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min) {
    reader.fail(node, key, `must be a whole number of ${String(min)} or more`);
  }
  return number;
}
