import type { NotifyOn, NotifyTarget } from '@umapi-kit/sync';
import { ExitCode } from '../cli/exit-codes.js';
import type { RunObservation } from '../metrics/run-observation.js';
import type { CliLogger } from '../output/cli-logger.js';
import { sendEmail } from './send-email.js';
import { sendWebhook } from './send-webhook.js';
import { summarizeRun } from './run-summary.js';

/** Whether a target set to `on` hears of a run that ended with `exitCode`. */
export function shouldNotify(on: NotifyOn, exitCode: number): boolean {
  if (on === 'always') return true;
  if (exitCode === ExitCode.ok) return false;
  return on === 'held' || exitCode !== ExitCode.held;
}

/**
 * Sends the run's alerts (the sync config's `notify:` targets whose `on` matches), all at once. A target that
 * fails (unreachable, refused, a missing password variable) is a warning naming it: an alert never fails the
 * sync nor changes its exit code.
 */
export async function notifyRun(
  run: RunObservation,
  options: {
    logger: CliLogger;
    env: Readonly<Record<string, string | undefined>>;
    timeoutMs?: number;
    fetch?: typeof fetch;
  },
): Promise<void> {
  const targets: readonly NotifyTarget[] = run.config?.notify ?? [];
  const exitCode = run.exitCode ?? ExitCode.failure;
  const due = targets.filter((target) => shouldNotify(target.on, exitCode));
  if (due.length === 0) return;
  const summary = summarizeRun(run);
  const timeoutMs = options.timeoutMs ?? 10_000;
  await Promise.all(
    due.map(async (target) => {
      const where = `${run.config?.file ?? 'sync config'}: ${target.key}`;
      try {
        if (target.kind === 'webhook') {
          await sendWebhook(target, summary, {
            env: options.env,
            timeoutMs,
            ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
          });
        } else await sendEmail(target, summary, { env: options.env, timeoutMs });
        options.logger.event('notify.sent', `sent the ${target.kind} alert (${where})`, {
          target: target.key,
          outcome: summary.outcome,
        });
      } catch (error) {
        options.logger.warn(`could not send the ${target.kind} alert (${where}): ${describe(error)}`, {
          event: 'notify.failed',
          target: target.key,
        });
      }
    }),
  );
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
