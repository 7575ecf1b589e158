import { hostname } from 'node:os';
import { ExitCode } from '../cli/exit-codes.js';
import type { RunObservation } from '../metrics/run-observation.js';

/** How a run ended, in one word: what alerts, the fleet table and the metrics call it. */
export type RunOutcomeWord =
  'ok' | 'held' | 'partial-failure' | 'failure' | 'usage-error' | 'auth-failure' | 'interrupted';

export function outcomeWord(exitCode: number | undefined): RunOutcomeWord {
  switch (exitCode) {
    case ExitCode.ok:
      return 'ok';
    case ExitCode.held:
      return 'held';
    case ExitCode.partialFailure:
      return 'partial-failure';
    case ExitCode.usage:
      return 'usage-error';
    case ExitCode.authentication:
      return 'auth-failure';
    case ExitCode.interrupted:
      return 'interrupted';
    default:
      return 'failure';
  }
}

/** What an alert says: one line of text (Slack's and Teams' `text`) and the same facts as fields. */
export interface RunSummary {
  text: string;
  org: string;
  outcome: RunOutcomeWord;
  exitCode: number;
  host: string;
  config: string | undefined;
  startedAt: string;
  durationSeconds: number;
  counts: Record<string, number> | undefined;
  requests: number;
  retries: number;
  throttled: number;
  failure: string | undefined;
}

export function summarizeRun(run: RunObservation): RunSummary {
  const exitCode = run.exitCode ?? ExitCode.failure;
  const outcome = outcomeWord(exitCode);
  const org = run.org ?? 'unknown org';
  const counts = run.report?.counts;
  const durationSeconds = Math.round(run.durationMs / 100) / 10;
  const figures =
    counts === undefined
      ? ''
      : `: ${String(counts.succeeded)} of ${String(counts.total)} entries succeeded, ${String(counts.failed)} failed, ` +
        `${String(counts.held)} held`;
  const why = run.failure === undefined ? '' : ` (${run.failure})`;
  return {
    text: `umapi sync of ${org} on ${hostname()}: ${outcome}${figures}${why}, exit ${String(exitCode)}, ${String(durationSeconds)} s`,
    org,
    outcome,
    exitCode,
    host: hostname(),
    config: run.config?.file,
    startedAt: new Date(run.startedAt).toISOString(),
    durationSeconds,
    counts: counts === undefined ? undefined : { ...counts },
    requests: run.requestCount,
    retries: run.retries,
    throttled: run.throttled,
    failure: run.failure,
  };
}
