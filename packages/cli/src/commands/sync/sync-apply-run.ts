import { applyPlan, formatRunReport, JournalError, type Plan } from '@umapi-kit/sync';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';
import { syncClientFromPort } from './sync-client-adapter.js';

const DESTRUCTIVE = new Set(['remove-all-groups', 'remove-from-org', 'delete-account']);

/** Applies a plan with its journal, shows progress and the run report, and returns the exit code. */
export async function runApply(
  plan: Plan,
  journalPath: string,
  ctx: CommandContext,
  options: { forceUnlock?: boolean; testOnly?: boolean } = {},
): Promise<number> {
  const testOnly = options.testOnly ?? ctx.globals.testOnly;
  const destructive = plan.entries.filter((entry) => DESTRUCTIVE.has(entry.kind)).length;
  if (destructive > 0 && !testOnly) {
    await ctx.confirmDestructive(`${String(destructive)} Adobe-only users will lose their groups or access`);
  }
  const client = syncClientFromPort(await ctx.client());
  const progress = ctx.progress('applying sync plan');
  let report;
  try {
    report = await applyPlan(plan, client, {
      journalPath,
      signal: ctx.signal,
      testOnly,
      forceUnlock: options.forceUnlock === true,
      now: () => ctx.clock.now(),
      onProgress: (event) => {
        progress.update(event.done, event.total);
      },
    });
  } catch (error) {
    if (error instanceof JournalError) throw new CliError(error.message, { exitCode: ExitCode.usage });
    if (ctx.signal.aborted) {
      ctx.logger.warn(`interrupted: run the same command with --resume (journal ${journalPath}) to finish`);
    }
    throw error;
  } finally {
    progress.stop();
  }
  if (ctx.globals.output !== 'table') await ctx.output.json(report);
  else await ctx.output.text(formatRunReport(report));
  if (ctx.signal.aborted) {
    // Entries whose answer never came are `ambiguous`, the rest `pending`: the resume sorts them out.
    ctx.logger.warn(
      `interrupted: ${String(report.counts.succeeded)} of ${String(report.counts.total)} entries done; ` +
        `run the same command with --resume (journal ${journalPath}) to finish`,
    );
    return ExitCode.interrupted;
  }
  return report.exitCode;
}
