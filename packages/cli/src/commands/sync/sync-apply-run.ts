import { join } from 'node:path';
import { applyPlan, isComplete, JournalError, LockError, type Plan, type PlanEntry } from '@umapi-kit/sync';
import { formatRunReport } from '../../output/sync-text.js';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';

const users = (count: number): string => `${String(count)} Adobe-only user${count === 1 ? '' : 's'}`;

/** What the plan's destructive entries do, as a phrase for the confirmation ("remove 5 Adobe-only users ..."). */
const DESTRUCTIVE: Readonly<Partial<Record<PlanEntry['kind'], (count: number) => string>>> = {
  'remove-from-org': (count) => `remove ${users(count)} from the org`,
  'delete-account': (count) => `delete the accounts of ${users(count)}`,
  'remove-all-groups': (count) => `take every group and product profile from ${users(count)}`,
};

function destructivePhrase(plan: Plan): string | undefined {
  const counts = new Map<PlanEntry['kind'], number>();
  for (const entry of plan.entries) {
    if (DESTRUCTIVE[entry.kind] !== undefined) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  }
  const parts = [...counts].map(([kind, count]) => DESTRUCTIVE[kind]?.(count) ?? '');
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/** Where `sync apply` keeps its per-org lock files: $XDG_STATE_HOME/umapi-kit/locks or ~/.local/state/... */
export function syncLockDirectory(ctx: CommandContext): string {
  const state = ctx.env['XDG_STATE_HOME'];
  return join(
    state !== undefined && state !== '' ? state : join(ctx.homeDir, '.local', 'state'),
    'umapi-kit',
    'locks',
  );
}

/** Applies a plan with its journal, shows progress and the run report, and returns the exit code. */
export async function runApply(
  plan: Plan,
  journalPath: string,
  ctx: CommandContext,
  options: { forceUnlock?: boolean; testOnly?: boolean } = {},
): Promise<number> {
  const testOnly = options.testOnly ?? ctx.globals.testOnly;
  const destructive = destructivePhrase(plan);
  if (destructive !== undefined && !testOnly) await ctx.confirmDestructive(destructive);
  const client = await ctx.client();
  const progress = ctx.progress('applying sync plan');
  let report;
  try {
    report = await applyPlan(plan, client, {
      journalPath,
      signal: ctx.signal,
      testOnly,
      forceUnlock: options.forceUnlock === true,
      orgLock: { directory: syncLockDirectory(ctx), orgId: client.orgId },
      now: () => ctx.clock.now(),
      onProgress: (event) => {
        progress.update(event.done, event.total);
      },
    });
  } catch (error) {
    if (error instanceof JournalError || error instanceof LockError) {
      throw new CliError(error.message, { exitCode: ExitCode.usage });
    }
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
  return isComplete(report) ? ExitCode.ok : ExitCode.partialFailure;
}
