import { Command, CommanderError } from 'commander';
import { allCommands } from '../commands/index.js';
import { createCommandContext } from '../context/command-context.js';
import type { CliEnvironment } from '../context/command-context.js';
import { CliLogger } from '../output/cli-logger.js';
import { CliError } from './cli-errors.js';
import { createCommandArgs } from './command-args.js';
import type { CommandDefinition } from './command.js';
import { reportError } from './error-report.js';
import { ExitCode, exitCodeDescriptions } from './exit-codes.js';
import { addGlobalOptions, readGlobalOptions } from './global-options.js';
import { registerCommands } from './registry.js';
import { cliVersion } from './version.js';
import { afterRun } from './after-run.js';

/**
 * Runs `umapi` with `argv` (without node and the script) and returns the exit code. Nothing here calls
 * `process.exit`: the bin does, so tests can run the whole CLI in process.
 */
export async function runCli(
  argv: readonly string[],
  environment: CliEnvironment,
  definitions: readonly CommandDefinition[] = allCommands,
): Promise<number> {
  const terminal = {
    stdoutIsTTY: environment.stdout.isTTY === true,
    stderrIsTTY: environment.stderr.isTTY === true,
  };
  if (argv[0] === 'help' && argv[1] === 'exit-codes') {
    environment.stdout.write(exitCodesText());
    return ExitCode.ok;
  }
  const args = argv[0] === 'help' ? [...argv.slice(1), '--help'] : [...argv];

  const program = new Command('umapi');
  program
    .description("umapi: the command line for Adobe's User Management API")
    .version(cliVersion, '--version', 'print the version')
    .exitOverride()
    .helpCommand(false)
    .showHelpAfterError("(run 'umapi --help' for usage)")
    .configureOutput({
      writeOut: (text) => environment.stdout.write(text),
      writeErr: (text) => environment.stderr.write(text),
    })
    .addHelpText(
      'after',
      "\nMore: 'umapi help exit-codes' lists the exit codes; 'umapi <command> --help' shows examples.\n",
    );
  addGlobalOptions(program);

  let exitCode: number = ExitCode.ok;
  registerCommands(program, definitions, async (definition, positionals, command) => {
    const globals = readGlobalOptions(command.optsWithGlobals(), terminal);
    const ctx = createCommandContext(environment, globals);
    const options = command.opts();
    let failure: string | undefined;
    try {
      const result = await definition.handler(
        createCommandArgs(positionals, options, definition.options),
        ctx,
      );
      exitCode = result ?? ExitCode.ok;
    } catch (error) {
      if (ctx.signal.aborted && !(error instanceof CliError)) {
        ctx.logger.error('interrupted: the request in flight was abandoned');
        exitCode = ExitCode.interrupted;
      } else {
        exitCode = reportError(error, ctx.logger);
      }
      failure = ctx.logger.redactor.text(error instanceof Error ? error.message : String(error));
    }
    await afterRun(ctx, exitCode, failure, options['metricsFile']);
  });

  try {
    await program.parseAsync(args, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return ExitCode.ok;
      if (error.code === 'commander.help') return ExitCode.usage;
      return ExitCode.usage;
    }
    const logger = new CliLogger(environment.stderr, { quiet: false, verbose: false, colour: false });
    return reportError(error, logger);
  }
  return exitCode;
}

export function exitCodesText(): string {
  const lines = exitCodeDescriptions.map(({ code, meaning }) => `  ${String(code).padStart(3)}  ${meaning}`);
  return `Exit codes of umapi:\n${lines.join('\n')}\n`;
}
