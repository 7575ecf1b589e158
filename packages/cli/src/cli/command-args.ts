import { UsageError } from './cli-errors.js';
import type { CommandArgs, OptionSpec } from './command.js';

/**
 * Builds the handler's view of parsed arguments (also used by tests to call handlers directly). `specs`, the
 * command's option definitions, give `choice()` the values it accepts.
 */
export function createCommandArgs(
  positionals: Readonly<Record<string, string | string[] | undefined>>,
  options: Readonly<Record<string, unknown>>,
  specs: readonly OptionSpec[] = [],
): CommandArgs {
  const choices = new Map<string, readonly string[]>();
  for (const spec of specs) {
    if (spec.choices !== undefined) choices.set(optionKey(spec.flags), spec.choices);
  }
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
    words(name) {
      const value = options[name];
      if (value === undefined) return undefined;
      if (typeof value === 'string') return [value];
      if (!Array.isArray(value) || value.length === 0)
        throw new UsageError(`option ${flagName(name)} needs a value`);
      return value.map(String);
    },
    list(name) {
      const value = options[name];
      if (value === undefined) return [];
      if (typeof value !== 'string') throw new UsageError(`option ${flagName(name)} needs a value`);
      const items = value
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item !== '');
      if (items.length === 0) {
        throw new UsageError(
          `${flagName(name)}: '${value}' names nothing; give comma-separated names such as "Designers,Creative Cloud 1", or leave the option out`,
        );
      }
      return items;
    },
    flag(name) {
      const value = options[name];
      return typeof value === 'boolean' ? value : undefined;
    },
    choice(name) {
      const value = options[name];
      if (value === undefined) return undefined;
      const allowed = choices.get(name);
      if (typeof value !== 'string') throw new UsageError(`option ${flagName(name)} needs a value`);
      if (allowed !== undefined && !allowed.includes(value)) {
        throw new UsageError(`${flagName(name)}: expected one of ${allowed.join(', ')}, got '${value}'`);
      }
      return value;
    },
  };
}

/** `--first-name <name>` → `firstName`, `--no-direct-only` → `directOnly` (as commander names them). */
export function optionKey(flags: string): string {
  const long = /--(?:no-)?([a-z0-9-]+)/i.exec(flags)?.[1] ?? flags;
  return long.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

/** `firstName` → `--first-name`. */
export function flagName(camel: string): string {
  return `--${camel.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
}
