import { readFile } from 'node:fs/promises';
import { parseEnv } from 'node:util';
import { ConfigError } from '../cli/cli-errors.js';

export interface DotenvEntry {
  value: string;
  line: number;
}

/**
 * Reads a `.env` file, remembering the line of each variable (the last assignment wins, as in `parseEnv`).
 * Returns null when the file does not exist.
 */
export async function readDotenvFile(path: string, label = '.env'): Promise<Map<string, DotenvEntry> | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`cannot read ${label}: ${(error as Error).message}`);
  }
  return parseDotenv(text, label);
}

export function parseDotenv(text: string, label = '.env'): Map<string, DotenvEntry> {
  const entries = new Map<string, DotenvEntry>();
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(line);
    if (match === null) {
      // The line is not echoed: it may hold a secret.
      throw new ConfigError(
        `${label}:${index + 1}: expected NAME=value (a variable name, '=', then the value)`,
      );
    }
    const parsed = parseEnv(line);
    const name = match[1] ?? '';
    const value = parsed[name];
    entries.set(name, { value: value ?? '', line: index + 1 });
  }
  return entries;
}
