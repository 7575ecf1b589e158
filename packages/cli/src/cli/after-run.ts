import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from '../context/command-context.js';
import { writeMetricsFile } from '../metrics/metrics-file.js';
import { RUN_RECORD_VARIABLE } from '../metrics/run-observation.js';
import { notifyRun } from '../notify/notify-run.js';
import { outcomeWord } from '../notify/run-summary.js';

/**
 * What every command does once its handler is done: logs how the run ended (a `run.finished` event), writes
 * `--metrics-file` when the command has one, and sends the sync config's alerts. Neither changes the exit code:
 * the run happened as it did; a metrics file that cannot be written is an error line (its last-run time then
 * goes stale, which is what a staleness alert watches), an alert that cannot be sent a warning.
 */
export async function afterRun(
  ctx: CommandContext,
  exitCode: number,
  failure: string | undefined,
  metricsFile: unknown,
): Promise<void> {
  const run = ctx.run;
  run.finish(exitCode, ctx.clock.now(), failure);
  if (run.report !== undefined || run.config !== undefined || typeof metricsFile === 'string') {
    ctx.logger.event('run.finished', `run finished: ${outcomeWord(exitCode)} (exit ${String(exitCode)})`, {
      outcome: outcomeWord(exitCode),
      exitCode,
      durationMs: run.durationMs,
      requests: run.requestCount,
      retries: run.retries,
      throttled: run.throttled,
      pagesRead: run.pagesRead,
      ...(run.report === undefined ? {} : { counts: run.report.counts }),
    });
  }
  if (typeof metricsFile === 'string' && !run.metricsWritten) {
    const path = resolve(ctx.cwd, metricsFile);
    try {
      await writeMetricsFile(path, [run]);
    } catch (error) {
      ctx.logger.error(`cannot write the metrics file ${path}: ${(error as Error).message}`);
    }
  }
  await notifyRun(run, { logger: ctx.logger, env: ctx.env });
  const recordFile = ctx.env[RUN_RECORD_VARIABLE];
  if (recordFile !== undefined && recordFile !== '') {
    await writeFile(recordFile, JSON.stringify(run.toRecord()), { mode: 0o600 });
  }
}
