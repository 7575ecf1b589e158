import type { CommandContext } from '../context/command-context.js';

/** A positional argument. */
export interface ArgumentSpec {
  name: string;
  description: string;
  required?: boolean;
  variadic?: boolean;
}

/** An option, in commander's flag syntax (`--first-name <name>`, `--delete-account`, `--no-direct-only`). */
export interface OptionSpec {
  flags: string;
  description: string;
  choices?: readonly string[];
  defaultValue?: string | boolean;
}

export interface Example {
  command: string;
  description: string;
}

/** Parsed arguments handed to a handler (option names camel-cased: `--first-name` → `firstName`). */
export interface CommandArgs {
  /** A required positional (throws a usage error when missing). */
  positional(name: string): string;
  optionalPositional(name: string): string | undefined;
  /** A variadic positional's values. */
  positionalList(name: string): string[];
  /** A string option's value. */
  string(name: string): string | undefined;
  /** A comma-separated option as a list (`--groups A,B` → ['A', 'B']); empty when absent. */
  list(name: string): string[];
  /** A boolean option: true, false (for --no-x) or undefined when not given. */
  flag(name: string): boolean | undefined;
}

/**
 * One command: a plain definition the registry maps onto commander. `name` is the command path
 * (`users create`). `handler` returns the exit code (0 when it returns nothing) or throws a `CliError`.
 */
export interface CommandDefinition {
  name: string;
  summary: string;
  description?: string;
  args: readonly ArgumentSpec[];
  options: readonly OptionSpec[];
  examples: readonly Example[];
  handler(args: CommandArgs, ctx: CommandContext): Promise<number | undefined>;
}
