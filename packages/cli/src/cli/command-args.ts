import { UsageError } from './cli-errors.js';
import type { CommandArgs } from './command.js';

/** Builds the handler's view of parsed arguments (also used by tests to call handlers directly). */
export function createCommandArgs(
  positionals: Readonly<Record<string, string | string[] | undefined>>,
  options: Readonly<Record<string, unknown>>,
): CommandArgs {
  return {
    positional(name) {
      const value = positionals[name];
      if (typeof value !== 'string' || value === '') throw new UsageError(`missing argument <${name}>`);
      return value;
    },
    optionalPositional(name) {
      const value = positionals[name];
      return typeof value === 'string' && value !== '' ? value : undefined;
    },
    positionalList(name) {
      const value = positionals[name];
      if (value === undefined) return [];
      return Array.isArray(value) ? value : [value];
    },
    string(name) {
      const value = options[name];
      if (value === undefined) return undefined;
      if (typeof value !== 'string') throw new UsageError(`option ${flagName(name)} needs a value`);
      return value;
    },
    list(name) {
      const value = options[name];
      if (value === undefined) return [];
      if (typeof value !== 'string') throw new UsageError(`option ${flagName(name)} needs a value`);
      return value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
    },
    flag(name) {
      const value = options[name];
      return typeof value === 'boolean' ? value : undefined;
    },
  };
}

/** `firstName` → `--first-name`. */
export function flagName(camel: string): string {
  return `--${camel.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
