import { randomUUID } from 'node:crypto';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { readCredentialPool, type PooledIntegration } from '../config/credential-pool-file.js';
import type { RetryEvent } from '@umapi-kit/client';
import { CliError, UsageError } from '../cli/cli-errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import { checkConnectionSettings, type ConnectionSettings } from '../config/connection-settings.js';
import { unknownVariableMessage } from '../config/unknown-variables.js';
import { resolveSettings } from '../config/resolve-settings.js';
import type { SettingFlags, SettingsReport } from '../config/resolve-settings.js';
import { CliLogger, type LogFormat } from '../output/cli-logger.js';
import { DailyLogFile } from '../output/daily-log-file.js';
import type { LogLevel } from '../output/structured-log.js';
import { OutputWriter } from '../output/output-writer.js';
import type { OutputFormat } from '../output/output-writer.js';
import { noProgress, terminalProgress } from '../output/progress.js';
import { StatusLine } from '../output/status-line.js';
import type { Progress } from '../output/progress.js';
import { retryMessage } from '../output/retry-message.js';
import type { TextSink } from '../output/text-sink.js';
import { createUmapiClient } from './create-client.js';
import { RunObservation } from '../metrics/run-observation.js';
import type { ClientFactory } from './create-client.js';
import { PromptCancelled, type Prompter } from './prompter.js';
import type { UmapiPort } from './umapi-port.js';

export interface GlobalOptions {
  output: OutputFormat;
  /** --output or --json was given (not the TTY-based default). */
  outputExplicit: boolean;
  fields: string[] | undefined;
  quiet: boolean;
  verbose: boolean;
  yes: boolean;
  testOnly: boolean;
  /** Progress display allowed (false with --no-progress, --json, --quiet or without a TTY on stderr). */
  progress: boolean;
  json: boolean;
  /** stderr's log format (--log-format). */
  logFormat: LogFormat;
  /** --log-file: every log line is also appended, as JSON, to this file rotated daily. */
  logFile?: string | undefined;
  /** Pace requests to the documented budgets (false with --no-pacing). */
  pacing: boolean;
  /** --credential-pool: a file naming more integrations of the org (else UMAPI_CREDENTIAL_POOL). */
  credentialPool?: string | undefined;
  /** Per-request timeout from --timeout (the client's default when undefined). */
  timeoutMs?: number | undefined;
  settingFlags: SettingFlags;
}

/** Everything outside the process a command touches; the bin passes the real ones, tests pass fakes. */
export interface CliEnvironment {
  stdout: TextSink;
  stderr: TextSink;
  stdin?: NodeJS.ReadableStream | undefined;
  stdinIsTTY?: boolean | undefined;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homeDir?: string | undefined;
  clock?: { now(): number } | undefined;
  signal?: AbortSignal | undefined;
  prompter?: Prompter | undefined;
  createClient?: ClientFactory | undefined;
  /** Passed to the real client (e.g. an in-process emulator's fetch). */
  fetch?: typeof fetch | undefined;
  /** Where this run's requests, retries and report are counted (`fleet run` passes one per org). */
  observation?: RunObservation | undefined;
  /** Fields every structured log line carries (`fleet run` adds the org's name and its run id). */
  logBindings?: Record<string, unknown> | undefined;
}

/** What a handler gets: the client (created on first use), output, logging, prompts, terminal info, clock, signal. */
export interface CommandContext {
  readonly globals: GlobalOptions;
  readonly output: OutputWriter;
  readonly logger: CliLogger;
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly signal: AbortSignal;
  readonly clock: { now(): number };
  readonly terminal: { stdinIsTTY: boolean; stdoutIsTTY: boolean; stderrIsTTY: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The user's home folder (profiles, lock files). */
  readonly homeDir: string;
  /** What this run did (requests, retries, pages read, the sync config and run report), for metrics and alerts. */
  readonly run: RunObservation;
  /** The environment the command was started in (`fleet run` starts each org's run in a copy of it). */
  readonly environment: CliEnvironment;
  /** Resolved settings with their sources (files are read on first use). */
  settings(): Promise<SettingsReport>;
  /** The UMAPI client, created on first use from the settings (or from the connection `useConnection` gave). */
  client(): Promise<UmapiPort>;
  /**
   * Connect with these settings instead of the resolved ones (a User Sync Tool connector-umapi.yml). Call before
   * the first `client()`.
   */
  useConnection(settings: ConnectionSettings, extra?: ConnectionExtras): void;
  /** A client of another org (a multi-org sync's secondary), with the same hooks as `client()`. */
  clientWith(settings: ConnectionSettings, extra?: ConnectionExtras): Promise<UmapiPort>;
  progress(label: string): Progress;
  /** The client's retry hook: shows rate-limit and other waits with their reason. */
  onRetry(event: RetryEvent): void;
  /** Before a destructive change: passes with --yes or --test-only, asks on a TTY, refuses otherwise (exit 2). */
  confirmDestructive(what: string): Promise<void>;
}

/** What a connection file may give beyond the settings: the key text itself, the retry count, a timeout. */
export interface ConnectionExtras {
  privateKeyPem?: string | undefined;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
}

/** UMAPI_PACING_TIME_SCALE: a number from 1 to 10000, for an emulator run with the same --time-scale. */
function pacingTimeScale(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const text = env['UMAPI_PACING_TIME_SCALE'];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 1 || value > 10_000) {
    throw new UsageError(
      `UMAPI_PACING_TIME_SCALE: expected a number from 1 to 10000 (the emulator's --time-scale), got '${text}'`,
    );
  }
  return value;
}

/** The pooled integrations of --credential-pool or UMAPI_CREDENTIAL_POOL (none: one integration). */
function poolOf(globals: GlobalOptions, environment: CliEnvironment): PooledIntegration[] | undefined {
  const file = globals.credentialPool ?? environment.env['UMAPI_CREDENTIAL_POOL'];
  if (file === undefined || file === '') return undefined;
  return readCredentialPool(file, environment.env, environment.cwd);
}

export function createCommandContext(environment: CliEnvironment, globals: GlobalOptions): CommandContext {
  const stdoutIsTTY = environment.stdout.isTTY === true;
  const stderrIsTTY = environment.stderr.isTTY === true;
  const stdinIsTTY = environment.stdinIsTTY ?? false;
  // On a terminal, stderr's last line may hold a progress display: every write (logs, and stdout when it is
  // the same terminal) clears it first and draws it again after, so nothing is written over it.
  const statusLine = globals.progress && stderrIsTTY ? new StatusLine(environment.stderr) : undefined;
  const stderr = statusLine ?? environment.stderr;
  const stdout =
    statusLine !== undefined && environment.stdout.isTTY === true
      ? statusLine.through(environment.stdout)
      : environment.stdout;
  const clock = environment.clock ?? { now: () => Date.now() };
  const logger = new CliLogger(stderr, {
    quiet: globals.quiet,
    verbose: globals.verbose,
    colour: stderrIsTTY && !globals.json && environment.env['NO_COLOR'] === undefined,
    format: globals.logFormat,
    file:
      globals.logFile === undefined
        ? undefined
        : new DailyLogFile(resolve(environment.cwd, globals.logFile), () => clock.now()),
    now: () => clock.now(),
  });
  logger.bind({ runId: randomUUID(), ...environment.logBindings });
  const run = environment.observation ?? new RunObservation(clock.now());
  const signal = environment.signal ?? new AbortController().signal;
  let settingsPromise: Promise<SettingsReport> | undefined;
  let clientPromise: Promise<UmapiPort> | undefined;
  let connection: { settings: ConnectionSettings; extra: ConnectionExtras } | undefined;
  let activeProgress: Progress | undefined;
  const clientLine = (level: LogLevel, message: string, fields?: Record<string, unknown>): void => {
    run.clientLog(message, fields);
    logger.client(level, message, fields);
  };

  const context: CommandContext = {
    globals,
    output: new OutputWriter(stdout, globals.output, globals.fields !== undefined),
    logger,
    stdout,
    stderr,
    signal,
    clock,
    run,
    environment,
    terminal: { stdinIsTTY, stdoutIsTTY, stderrIsTTY },
    cwd: environment.cwd,
    env: environment.env,
    homeDir: environment.homeDir ?? homedir(),
    settings() {
      settingsPromise ??= resolveSettings({
        cwd: environment.cwd,
        env: environment.env,
        homeDir: environment.homeDir ?? homedir(),
        flags: globals.settingFlags,
      }).then((report) => {
        for (const variable of report.unknown) logger.warn(unknownVariableMessage(variable));
        return report;
      });
      return settingsPromise;
    },
    client() {
      clientPromise ??= (async () => {
        const checked = connection?.settings ?? checkConnectionSettings((await context.settings()).settings);
        return context.clientWith(checked, connection?.extra ?? {});
      })();
      return clientPromise;
    },
    async clientWith(checked, extra = {}) {
      // The values themselves never reach a log line, whatever carries them.
      logger.redactor.add(checked.clientSecret);
      logger.redactor.add(checked.passphrase);
      // The primary org (the settings', or --ust-config's connector-umapi.yml); a secondary org's client is no
      // part of the run's org, nor of a credential pool (which pools integrations of the primary).
      const primary = connection === undefined || checked === connection.settings;
      if (primary) {
        logger.bind({ org: checked.orgId });
        run.org ??= checked.orgId;
      }
      logger.debug(
        `connecting to org ${checked.orgId} with ${checked.authMethod === 'jwt' ? 'a JWT service account' : 'OAuth server-to-server'}`,
      );
      const factory = environment.createClient ?? createUmapiClient;
      return factory(checked, {
        logger: {
          error: (message, fields) => {
            clientLine('error', message, fields);
          },
          warn: (message, fields) => {
            clientLine('warn', message, fields);
          },
          info: (message, fields) => {
            clientLine('info', message, fields);
          },
          debug: (message, fields) => {
            clientLine('debug', message, fields);
          },
        },
        onRetry: (event) => {
          run.retry(event);
          context.onRetry(event);
        },
        signal,
        fetch: environment.fetch,
        pacing: globals.pacing,
        pacingTimeScale: pacingTimeScale(environment.env),
        pool: primary ? poolOf(globals, environment) : undefined,
        timeoutMs: globals.timeoutMs ?? extra.timeoutMs,
        maxRetries: extra.maxRetries,
        privateKeyPem: extra.privateKeyPem,
      });
    },
    useConnection(settings, extra = {}) {
      if (clientPromise !== undefined) throw new Error('useConnection after the client was created');
      connection = { settings, extra };
    },
    progress(label) {
      if (statusLine === undefined) return noProgress;
      activeProgress?.stop();
      activeProgress = terminalProgress(statusLine, label, () => context.clock.now());
      return activeProgress;
    },
    onRetry(event) {
      const message = retryMessage(event);
      if (globals.quiet && event.reason !== 'rate-limited') return;
      if (activeProgress !== undefined) activeProgress.log(message);
      else logger.warn(message);
    },
    async confirmDestructive(what) {
      if (globals.yes || globals.testOnly) return;
      if (!stdinIsTTY || environment.prompter === undefined) {
        throw new UsageError(`refusing to ${what} without confirmation: not on a terminal`, [
          'pass --yes to confirm, or --test-only to check the command without changing anything',
        ]);
      }
      let confirmed: boolean;
      try {
        confirmed = await environment.prompter.confirm(`About to ${what}. Continue?`, signal);
      } catch (error) {
        if (!(error instanceof PromptCancelled) && !signal.aborted) throw error;
        throw new CliError('cancelled: nothing was sent', { exitCode: ExitCode.interrupted });
      }
      if (!confirmed) throw new CliError('cancelled: nothing was sent', { exitCode: ExitCode.failure });
    },
  };
  return context;
}
