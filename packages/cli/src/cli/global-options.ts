import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import type { GlobalOptions } from '../context/command-context.js';
import { UsageError } from './cli-errors.js';
import { outputFormats } from '../output/output-writer.js';
import type { OutputFormat } from '../output/output-writer.js';
import { logFormats, type LogFormat } from '../output/cli-logger.js';

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
    .option(
      '--test-only',
      'send writes with testOnly=true: the server validates them, nothing changes (off by default: writes are real)',
    )
    .option('--dry-run', 'the same as --test-only')
    .option('--no-progress', 'no progress display on stderr')
    .addOption(
      new Option(
        '--log-format <format>',
        'log lines on stderr as text (default) or json: one object a line with level, time, org, runId, event, ' +
          'requestId and counts (also switches off the progress display)',
      ).choices(logFormats),
    )
    .option(
      '--log-file <file>',
      'also append every log line, debug included, as JSON to a file rotated daily (UTC): logs/umapi.log writes ' +
        'logs/umapi-2026-12-04.log, then logs/umapi-2026-12-05.log (owner-only, 0600)',
    )
    .option(
      '--no-pacing',
      'do not pace requests to the documented budgets (10 actions, 25 user reads, 5 group reads a minute); ' +
        'only 429s slow the run, each waited out (Retry-After, and at least an exponential backoff with ' +
        'jitter): for an emulator, or an org whose limits Adobe raised',
    )
    .option(
      '--credential-pool <file>',
      'more integrations of the same org to send as (YAML: integrations: [{client_id, client_secret_env | ' +
        'client_secret_file}]; or UMAPI_CREDENTIAL_POOL): each is paced at its own budget, all together within ' +
        "the org's (100 actions a minute), and one IMS refuses is left out; OAuth only",
    )
    .addOption(
      new Option(
        '--timeout <duration>',
        'give up on one request after this long without an answer (default 120s): seconds, or with a unit, ' +
          'e.g. 30, 45s, 500ms, 2m; a lost answer is then read back, never re-sent blind',
      ).argParser(parseTimeout),
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

/** `--timeout`: seconds, or a number with `ms`, `s` or `m`; at least 1 ms, at most an hour. */
export function parseTimeout(text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text.trim());
  const unit = { ms: 1, s: 1000, m: 60_000 }[(match?.[2] ?? 's') as 'ms' | 's' | 'm'];
  const ms = match === null ? Number.NaN : Math.round(Number(match[1]) * unit);
  if (!Number.isFinite(ms) || ms < 1 || ms > 3_600_000) {
    throw new InvalidArgumentError(
      `expected a time from 1ms to 60m, such as 30 (seconds), 45s, 500ms or 2m, got '${text}'`,
    );
  }
  return ms;
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
  dryRun?: boolean;
  progress?: boolean;
  logFormat?: LogFormat;
  logFile?: string;
  pacing?: boolean;
  credentialPool?: string;
  timeout?: number;
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
  if (json && options.output !== undefined && options.output !== 'json') {
    throw new UsageError(
      `--json and --output ${options.output} ask for two formats: --json is --output json; give one of them`,
    );
  }
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
    testOnly: options.testOnly === true || options.dryRun === true,
    progress:
      options.progress !== false && !json && !quiet && options.logFormat !== 'json' && terminal.stderrIsTTY,
    logFormat: options.logFormat ?? 'text',
    logFile: options.logFile,
    json: json || output === 'json' || output === 'jsonl',
    pacing: options.pacing !== false,
    credentialPool: options.credentialPool,
    timeoutMs: options.timeout,
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
