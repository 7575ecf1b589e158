import { defaultMaxListeners, setMaxListeners } from 'node:events';
import { join } from 'node:path';
import { runCli } from '../cli/run-cli.js';
import { ExitCode } from '../cli/exit-codes.js';
import { environmentNames } from '../config/env-settings.js';
import type { CliEnvironment } from '../context/command-context.js';
import { RunObservation } from '../metrics/run-observation.js';
import { outcomeWord, type RunOutcomeWord } from '../notify/run-summary.js';
import type { TextSink } from '../output/text-sink.js';
import { writeFileWhole } from '../output/write-file-whole.js';
import type { FleetConfig, FleetOrg } from './fleet-config.js';
import { orgConnectionEnv } from './fleet-secrets.js';
import { OrgLogSink } from './org-log-sink.js';
import { isInWindow } from './schedule-window.js';
import { runOrgProcess } from './org-process.js';

export type FleetIsolation = 'process' | 'in-process';
export const fleetIsolations: readonly FleetIsolation[] = ['process', 'in-process'];

/** How one org's turn ended: a sync outcome, skipped outside its window, or never started (interrupted first). */
export type FleetOutcome = RunOutcomeWord | 'outside-window' | 'not-started';

export interface FleetOrgResult {
  name: string;
  orgId: string;
  outcome: FleetOutcome;
  exitCode: number;
  /** Plan entries (0 when nothing was to do or the run stopped before applying). */
  entries: number;
  succeeded: number;
  failed: number;
  held: number;
  durationMs: number;
  requests: number;
  retries: number;
  throttled: number;
  /** The error that stopped the org's run, when one did. */
  failure?: string;
  /** The run report written for the org (JSON; the HTML page beside it when entries were applied). */
  report?: string;
  /** What the run did, for the metrics file. */
  observation: RunObservation;
}

export interface FleetRunOptions {
  /** The fleet's environment: its variables, folders, stderr, signal, clock and (tests) the emulator's fetch. */
  environment: CliEnvironment;
  /** Where each org's run report goes (`<name>.json`, `<name>.html`). */
  reportDir: string;
  /** Global options every org's `sync run` gets (`--no-pacing`, `--timeout 30s`, `--log-format json`, ...). */
  passArgs: readonly string[];
  /** `--dry-run`: plan, and have the server validate the plan; nothing changes. */
  dryRun: boolean;
  /** `--yes`: destructive changes go ahead (without it, an org whose plan has any stops at exit 2). */
  yes: boolean;
  json: boolean;
  /**
   * `in-process` (the default of the command): every org's `sync run` in this process; `process`: each in its own
   * `umapi` process, so orgs never wait for each other's disk writes and even a crash of one process cannot take
   * the others down, at about 110 MiB an org.
   */
  isolation: FleetIsolation;
  /** Called as each org finishes (the command logs a line). */
  onOrgDone?: (result: FleetOrgResult) => void;
}

/** Variables one org must not inherit from the fleet's environment: another org's connection settings. */
const CONNECTION_VARIABLES = new Set([
  ...Object.values(environmentNames).flat(),
  'UMAPI_PROFILE',
  'UMAPI_PROFILES_FILE',
]);

/**
 * Runs `umapi sync run` for every org of the fleet, `concurrency` at a time, each in its own command context:
 * its own client (so its own pacing budget and token), its own org lock, state store and report. One org's
 * failure, even an exception, never stops another. Orgs outside their window are skipped; after an interrupt,
 * orgs not yet started are not started. Returns one result per org, in the fleet file's order.
 */
export async function runFleet(fleet: FleetConfig, options: FleetRunOptions): Promise<FleetOrgResult[]> {
  const { environment } = options;
  const now = (): number => (environment.clock ?? { now: () => Date.now() }).now();
  const results: FleetOrgResult[] = new Array<FleetOrgResult>(fleet.orgs.length);
  // Every org's client listens to the fleet's one interrupt signal (Node warns past 10 listeners).
  if (environment.signal !== undefined) {
    setMaxListeners(Math.max(defaultMaxListeners, fleet.concurrency * 8 + 10), environment.signal);
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < fleet.orgs.length) {
      const index = next++;
      const org = fleet.orgs[index];
      if (org === undefined) continue;
      let result: FleetOrgResult;
      try {
        result = await runOrg(org, fleet, options, now);
      } catch (error) {
        // runCli reports a command's errors itself; this is for anything that escaped it.
        const observation = new RunObservation(now());
        observation.org = org.orgId;
        observation.finish(ExitCode.failure, now(), error instanceof Error ? error.message : String(error));
        result = resultOf(org, 'failure', ExitCode.failure, observation);
      }
      results[index] = result;
      options.onOrgDone?.(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(fleet.concurrency, fleet.orgs.length) }, worker));
  return results;
}

async function runOrg(
  org: FleetOrg,
  fleet: FleetConfig,
  options: FleetRunOptions,
  now: () => number,
): Promise<FleetOrgResult> {
  const { environment } = options;
  const observation = new RunObservation(now());
  observation.org = org.orgId;
  if (environment.signal?.aborted === true) {
    observation.finish(ExitCode.interrupted, now());
    return resultOf(org, 'not-started', ExitCode.interrupted, observation);
  }
  if (org.window !== undefined && !isInWindow(org.window, now())) {
    observation.finish(ExitCode.ok, now());
    return resultOf(org, 'outside-window', ExitCode.ok, observation);
  }
  let connection: Record<string, string>;
  try {
    connection = await orgConnectionEnv(org, environment.env, fleet.file);
  } catch (error) {
    const message = (error as Error).message;
    environment.stderr.write(`${options.json ? '' : `[${org.name}] `}error: ${message}\n`);
    observation.finish(ExitCode.usage, now(), message);
    return resultOf(org, 'usage-error', ExitCode.usage, observation);
  }
  const inherited = Object.fromEntries(
    Object.entries(environment.env).filter(([name]) => !CONNECTION_VARIABLES.has(name)),
  );
  const stderr = new OrgLogSink(environment.stderr, org.name, { json: options.json });
  const discard: TextSink = { write: () => true };
  const htmlPath = join(options.reportDir, `${org.name}.html`);
  const argv = [
    'sync',
    'run',
    '--sync-config',
    org.syncConfig,
    '--json',
    '--report-html',
    htmlPath,
    ...(org.state === undefined ? [] : ['--state', org.state]),
    ...(options.yes ? ['--yes'] : []),
    ...(options.dryRun ? ['--dry-run'] : []),
    ...options.passArgs,
  ];
  let exitCode: number;
  try {
    exitCode =
      options.isolation === 'process'
        ? await runOrgProcess(argv, {
            cwd: environment.cwd,
            env: { ...inherited, ...connection },
            stderr,
            observation,
            signal: environment.signal,
          })
        : await runCli(argv, {
            ...environment,
            stdout: discard,
            stderr,
            stdinIsTTY: false,
            prompter: undefined,
            env: { ...inherited, ...connection },
            observation,
            logBindings: { fleetOrg: org.name },
          });
  } finally {
    stderr.flush();
  }
  observation.finish(exitCode, now(), observation.failure);
  const result = resultOf(org, outcomeWord(exitCode), exitCode, observation);
  if (observation.report !== undefined) {
    const path = join(options.reportDir, `${org.name}.json`);
    await writeFileWhole(path, `${JSON.stringify(observation.report, null, 2)}\n`);
    result.report = path;
  }
  return result;
}

function resultOf(
  org: FleetOrg,
  outcome: FleetOutcome,
  exitCode: number,
  observation: RunObservation,
): FleetOrgResult {
  const counts = observation.report?.counts;
  const result: FleetOrgResult = {
    name: org.name,
    orgId: org.orgId,
    outcome,
    exitCode,
    entries: counts?.total ?? 0,
    succeeded: counts?.succeeded ?? 0,
    failed: (counts?.failed ?? 0) + (counts?.partial ?? 0),
    held: counts?.held ?? 0,
    durationMs: observation.durationMs,
    requests: observation.requestCount,
    retries: observation.retries,
    throttled: observation.throttled,
    observation,
  };
  if (observation.failure !== undefined) result.failure = observation.failure;
  return result;
}
