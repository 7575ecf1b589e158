import { ConfigError } from '../cli/cli-errors.js';

export interface IniEntry {
  value: string;
  line: number;
}

/** Sections of an INI file; keys are lower-cased (as Python's RawConfigParser does), each with its line. */
export type IniSections = Map<string, Map<string, IniEntry>>;

/**
 * Parses the INI dialect of the walkthrough's `usermanagement.config` (Python `RawConfigParser`): `[section]`
 * headers, `key = value` or `key: value`, `#`/`;` comment lines. Anything else is an error naming the line.
 */
export function parseIni(text: string, label: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, IniEntry> | undefined;
  let currentName = '';
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const lineNumber = index + 1;
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header !== null) {
      currentName = (header[1] ?? '').trim();
      current = sections.get(currentName) ?? new Map<string, IniEntry>();
      sections.set(currentName, current);
      continue;
    }
    const pair = /^([^=:]+?)\s*[=:]\s*(.*)$/.exec(line);
    if (pair === null) {
      throw new ConfigError(
        `${label} line ${lineNumber}: expected 'key = value', '[section]' or a comment, got '${shorten(line)}'`,
      );
    }
    if (current === undefined) {
      throw new ConfigError(
        `${label} line ${lineNumber}: key '${pair[1] ?? ''}' comes before any [section]; put it under [server] or [enterprise]`,
      );
    }
    const key = (pair[1] ?? '').toLowerCase();
    if (current.has(key)) {
      throw new ConfigError(
        `${label} [${currentName}] line ${lineNumber}: key '${key}' is set twice (first on line ${current.get(key)?.line ?? 0})`,
      );
    }
    current.set(key, { value: pair[2] ?? '', line: lineNumber });
  }
  return sections;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
