import { describe, expect, it } from 'vitest';
import { defineCommand } from '../../src/cli/command.js';
import type { CommandArgs, NamesOf } from '../../src/cli/command.js';
import { createCommandArgs, optionKey } from '../../src/cli/command-args.js';
import { UsageError } from '../../src/cli/cli-errors.js';

const args = [
  { name: 'user', description: 'the user' },
  { name: 'profile', description: 'a profile', required: false },
  { name: 'groups', description: 'groups', variadic: true },
] as const;
const options = [
  { flags: '--first-name <name>', description: 'first name' },
  { flags: '-o, --output <format>', description: 'format', choices: ['table', 'json'] },
  { flags: '--no-direct-only', description: 'inherited too' },
  { flags: '--dry-run', description: 'show only' },
] as const;
type Args = CommandArgs<NamesOf<typeof args, typeof options>>;

/**
 * Compiled by `npm run check` (tsconfig.test.json), never called: each `@ts-expect-error` fails the type check if
 * the line after it stops being an error, so a misspelt name staying accepted is caught.
 */
export function typeChecks(typed: Args): readonly unknown[] {
  typed.positional('user');
  typed.optionalPositional('profile');
  typed.positionalList('groups');
  typed.string('firstName');
  typed.list('firstName');
  typed.flag('directOnly');
  typed.flag('dryRun');
  const format: 'table' | 'json' | undefined = typed.choice('output');
  // @ts-expect-error a misspelt option name
  typed.string('firstname');
  // @ts-expect-error a boolean option has no value
  typed.string('dryRun');
  // @ts-expect-error a value option is not a flag
  typed.flag('firstName');
  // @ts-expect-error the flag is named without its --no- prefix
  typed.flag('noDirectOnly');
  // @ts-expect-error an option without choices
  typed.choice('firstName');
  // @ts-expect-error a choice value is typed as one of the choices
  const wrong: 'csv' | undefined = typed.choice('output');
  // @ts-expect-error an optional positional is not required
  typed.positional('profile');
  // @ts-expect-error a variadic positional is a list
  typed.positional('groups');
  defineCommand({
    name: 'x',
    summary: 'x',
    args,
    options,
    examples: [],
    handler(handlerArgs) {
      // @ts-expect-error the handler of a defined command sees only its own options
      handlerArgs.string('lastName');
      return Promise.resolve(0);
    },
  });
  return [format, wrong];
}

describe('command arguments', () => {
  it('names options as commander does', () => {
    expect(optionKey('--first-name <name>')).toBe('firstName');
    expect(optionKey('-o, --output <format>')).toBe('output');
    expect(optionKey('--no-direct-only')).toBe('directOnly');
    expect(optionKey('--max-plan-age <duration>')).toBe('maxPlanAge');
  });

  it('gives a choice typed, and refuses a value outside the choices with the flag named', () => {
    const parsed = createCommandArgs({}, { output: 'json' }, options);
    expect(parsed.choice('output')).toBe('json');
    expect(parsed.choice('missing')).toBeUndefined();
    const wrong = createCommandArgs({}, { output: 'yaml' }, options);
    expect(() => wrong.choice('output')).toThrow(UsageError);
    expect(() => wrong.choice('output')).toThrow("--output: expected one of table, json, got 'yaml'");
  });
});
