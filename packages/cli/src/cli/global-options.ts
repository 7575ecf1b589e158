import { Option } from 'commander';
import type { Command } from 'commander';
import type { GlobalOptions } from '../context/command-context.js';
import { outputFormats } from '../output/output-writer.js';
import type { OutputFormat } from '../output/output-writer.js';

/** Options every command accepts (they may come before or after the command name). */
export function addGlobalOptions(program: Command): void {
  program
    .option('--profile <name>', 'use a named profile from the profiles file (~/.config/umapi/profiles.yml)')
    .option(
      '--config <file>',
      "read the walkthrough's usermanagement.config from FILE (default ./usermanagement.config)",
    )
    .addOption(
      new Option(
        '--output <format>',
        'result format (default: table on a terminal, jsonl otherwise)',
      ).choices(outputFormats),
    )
    .option('--json', 'same as --output json; also switches off colour and progress')
    .option('--fields <list>', 'comma-separated fields (columns) to show')
    .option('-q, --quiet', 'print only results and errors')
    .option('-v, --verbose', 'print debug details (and stack traces of unexpected errors)')
    .option('-y, --yes', 'do not ask before destructive changes')
    .option('--test-only', 'send writes with testOnly=true: the server validates, nothing changes')
    .option('--no-progress', 'no progress display on stderr')
    .option(
      '--no-pacing',
      'do not pace requests to the documented budgets (10 actions, 25 user reads, 5 group reads a minute); ' +
        'only Retry-After slows the run (for an emulator, or an org whose limits Adobe raised)',
    )
    .option('--org-id <id>', 'organization id (overrides environment and files)')
    .option('--client-id <id>', 'client id / API key (overrides environment and files)')
    .addOption(
      new Option('--auth-method <method>', 'oauth (server-to-server, default) or jwt').choices([
        'oauth',
        'jwt',
      ]),
    )
    .option(
      '--endpoint <url>',
      'UMAPI endpoint URL (default https://usermanagement.adobe.io/v2/usermanagement)',
    )
    .option('--ims-url <url>', 'IMS URL (default https://ims-na1.adobelogin.com)');
}

interface RawGlobals {
  profile?: string;
  config?: string;
  output?: OutputFormat;
  json?: boolean;
  fields?: string;
  quiet?: boolean;
  verbose?: boolean;
  yes?: boolean;
  testOnly?: boolean;
  progress?: boolean;
  pacing?: boolean;
  orgId?: string;
  clientId?: string;
  authMethod?: string;
  endpoint?: string;
  imsUrl?: string;
}

export function readGlobalOptions(
  raw: Record<string, unknown>,
  terminal: { stdoutIsTTY: boolean; stderrIsTTY: boolean },
): GlobalOptions {
  const options = raw as RawGlobals;
  const json = options.json === true;
  const quiet = options.quiet === true;
  const output: OutputFormat = json ? 'json' : (options.output ?? (terminal.stdoutIsTTY ? 'table' : 'jsonl'));
  const fields =
    options.fields === undefined
      ? undefined
      : options.fields
          .split(',')
          .map((field) => field.trim())
          .filter((field) => field !== '');
  return {
    output,
    outputExplicit: json || options.output !== undefined,
    fields,
    quiet,
    verbose: options.verbose === true,
    yes: options.yes === true,
    testOnly: options.testOnly === true,
    progress: options.progress !== false && !json && !quiet && terminal.stderrIsTTY,
    json: json || output === 'json' || output === 'jsonl',
    pacing: options.pacing !== false,
    settingFlags: {
      profile: options.profile,
      config: options.config,
      orgId: options.orgId,
      clientId: options.clientId,
      authMethod: options.authMethod,
      endpoint: options.endpoint,
      imsUrl: options.imsUrl,
    },
  };
}
