import type { Command } from 'commander';
import { Argument, Option } from 'commander';
import type { CommandDefinition } from './command.js';

/** One-line summaries of the command groups. */
export const groupSummaries: Record<string, string> = {
  users: 'create, update, list, import and remove users',
  groups: 'list and manage user groups, product profiles and admin groups',
  auth: 'obtain access tokens',
  config: 'show the resolved configuration',
  sync: 'plan and apply directory sync',
};

export type LeafAction = (
  definition: CommandDefinition,
  positionals: Record<string, string | string[] | undefined>,
  command: Command,
) => Promise<void>;

/** Maps command definitions onto commander subcommands (`users create` → `users` → `create`). */
export function registerCommands(
  program: Command,
  definitions: readonly CommandDefinition[],
  action: LeafAction,
): void {
  for (const definition of definitions) {
    const path = definition.name.split(' ');
    let parent = program;
    for (const segment of path.slice(0, -1)) {
      let group = parent.commands.find((command) => command.name() === segment);
      if (group === undefined) {
        group = parent.command(segment).summary(groupSummaries[segment] ?? '');
        group.description(groupSummaries[segment] ?? '');
        configure(group, parent);
      }
      parent = group;
    }
    const leaf = parent.command(path.at(-1) ?? definition.name);
    configure(leaf, parent);
    leaf.summary(definition.summary).description(definition.description ?? definition.summary);
    for (const arg of definition.args) {
      const syntax =
        arg.required === false
          ? `[${arg.name}${arg.variadic === true ? '...' : ''}]`
          : `<${arg.name}${arg.variadic === true ? '...' : ''}>`;
      leaf.addArgument(new Argument(syntax, arg.description));
    }
    for (const spec of definition.options) {
      const option = new Option(spec.flags, spec.description);
      if (spec.choices !== undefined) option.choices(spec.choices);
      if (spec.defaultValue !== undefined) option.default(spec.defaultValue);
      leaf.addOption(option);
    }
    if (definition.examples.length > 0) {
      const lines = definition.examples.map(
        (example) => `  $ ${example.command}\n      ${example.description}`,
      );
      leaf.addHelpText('after', `\nExamples:\n${lines.join('\n')}\n`);
    }
    leaf.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs.at(-1) as Command;
      const positionals: Record<string, string | string[] | undefined> = {};
      definition.args.forEach((arg, index) => {
        positionals[arg.name] = actionArgs[index] as string | string[] | undefined;
      });
      await action(definition, positionals, command);
    });
  }
}

function configure(command: Command, parent: Command): void {
  command.exitOverride();
  command.configureOutput(parent.configureOutput());
  command.showHelpAfterError(`(run '${commandPath(command)} --help' for usage)`);
  command.helpCommand(false);
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current !== null; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}
