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

/** The names a handler may ask for, by kind. The default (every kind `string`) is the registry's untyped view. */
export interface ArgNames {
  positional: string;
  optional: string;
  variadic: string;
  value: string;
  flag: string;
  choice: Readonly<Record<string, string>>;
}

/**
 * Parsed arguments handed to a handler (option names camel-cased: `--first-name` → `firstName`). Through
 * `defineCommand` each method accepts only the names its command defines, so a misspelt name is a type error.
 */
export interface CommandArgs<N extends ArgNames = ArgNames> {
  /** A required positional (throws a usage error when missing). */
  positional(name: N['positional']): string;
  optionalPositional(name: N['optional']): string | undefined;
  /** A variadic positional's values. */
  positionalList(name: N['variadic']): string[];
  /** A value option's text. */
  string(name: N['value']): string | undefined;
  /** A variadic value option's words (`--users file users.csv` → ['file', 'users.csv']); undefined when absent. */
  words(name: N['value']): string[] | undefined;
  /** A comma-separated option as a list (`--groups A,B` → ['A', 'B']); empty when absent. */
  list(name: N['value']): string[];
  /** A boolean option: true, false (for --no-x) or undefined when not given. */
  flag(name: N['flag']): boolean | undefined;
  /** An option with `choices`, typed as one of them (commander has already refused anything else). */
  choice<K extends keyof N['choice'] & string>(name: K): N['choice'][K] | undefined;
}

/** `--first-name <name>` → `firstName`, `--no-direct-only` → `directOnly`, `-o, --output <f>` → `output`. */
type LongFlag<F extends string> = F extends `${string}--${infer Rest}`
  ? Rest extends `${infer Name} ${string}`
    ? Name
    : Rest
  : never;
type Camel<S extends string> = S extends `${infer Head}-${infer Tail}`
  ? `${Head}${Capitalize<Camel<Tail>>}`
  : S;
type WithoutNo<N extends string> = N extends `no-${infer Rest}` ? Rest : N;
export type OptionKey<F extends string> = Camel<WithoutNo<LongFlag<F>>>;
type TakesValue<F extends string> = F extends
  `${string}<${string}>${string}` | `${string}[${string}]${string}`
  ? true
  : false;

type ValueKey<S> = S extends { flags: infer F extends string }
  ? TakesValue<F> extends true
    ? OptionKey<F>
    : never
  : never;
type FlagKey<S> = S extends { flags: infer F extends string }
  ? TakesValue<F> extends true
    ? never
    : OptionKey<F>
  : never;
type ChoiceKey<S> = S extends { flags: infer F extends string; choices: readonly string[] }
  ? OptionKey<F>
  : never;
type ChoiceValue<S, K extends string> = S extends {
  flags: infer F extends string;
  choices: readonly (infer C extends string)[];
}
  ? OptionKey<F> extends K
    ? C
    : never
  : never;
type RequiredArg<S> = S extends { name: infer N extends string }
  ? S extends { variadic: true } | { required: false }
    ? never
    : N
  : never;
type OptionalArg<S> = S extends { name: infer N extends string; required: false }
  ? S extends { variadic: true }
    ? never
    : N
  : never;
type VariadicArg<S> = S extends { name: infer N extends string; variadic: true } ? N : never;

/** The names a command's argument and option definitions give its handler. */
export interface NamesOf<A extends readonly ArgumentSpec[], O extends readonly OptionSpec[]> {
  positional: RequiredArg<A[number]>;
  optional: OptionalArg<A[number]>;
  variadic: VariadicArg<A[number]>;
  value: ValueKey<O[number]>;
  flag: FlagKey<O[number]>;
  choice: { [K in ChoiceKey<O[number]>]: ChoiceValue<O[number], K> };
}

/**
 * One command: a plain definition the registry maps onto commander. `name` is the command path
 * (`users create`). `handler` returns the exit code (0 when it returns nothing) or throws a `CliError`.
 */
export interface CommandSpec<N extends ArgNames> {
  name: string;
  summary: string;
  description?: string;
  args: readonly ArgumentSpec[];
  options: readonly OptionSpec[];
  examples: readonly Example[];
  handler(args: CommandArgs<N>, ctx: CommandContext): Promise<number | undefined>;
}

/** A command as the registry holds it. */
export type CommandDefinition = CommandSpec<ArgNames>;

/**
 * Defines a command whose handler sees only the arguments and options it declares, with their choices as
 * literal types.
 */
export function defineCommand<const A extends readonly ArgumentSpec[], const O extends readonly OptionSpec[]>(
  spec: CommandSpec<NamesOf<A, O>> & { args: A; options: O },
): CommandDefinition {
  return spec;
}
