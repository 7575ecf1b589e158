import { resolve } from 'node:path';
import { createMappedGroups } from './create-mapped-groups.js';
import { refusedFileError } from './refused-file.js';
import {
  applyPlan,
  describeFsError,
  isDiskRefusal,
  orgLockDirectory,
  planRefusal,
  runOutcome,
  type Plan,
  type PlanEntry,
  type JournalStore,
  type StateStore,
} from '@umapi-kit/sync';
import { describeEntry, failureLines, formatRunReport, runSummaryLine } from '../../output/sync-text.js';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';
import type { UmapiPort } from '../../context/umapi-port.js';
import { RunTimelineRecorder } from '../../report/run-timeline.js';
import { runToHtml } from '../../report/run-html.js';
import { writeReport } from '../../report/write-report.js';
import { FileWriteError } from '../../output/write-file-whole.js';

const users = (count: number): string => `${String(count)} Adobe-only user${count === 1 ? '' : 's'}`;

/** What the plan's destructive entries do, as a phrase for the confirmation ("remove 5 Adobe-only users ..."). */
const DESTRUCTIVE: Readonly<Partial<Record<PlanEntry['kind'], (count: number) => string>>> = {
  'remove-from-org': (count) => `remove ${users(count)} from the org`,
  'delete-account': (count) => `delete the accounts of ${users(count)}`,
  'remove-all-groups': (count) => `take every group and product profile from ${users(count)}`,
};

function destructivePhrase(plan: Plan, releaseHeld: boolean): string | undefined {
  const counts = new Map<PlanEntry['kind'], number>();
  for (const entry of plan.entries) {
    if (entry.held !== undefined && !releaseHeld) continue;
    if (DESTRUCTIVE[entry.kind] !== undefined) counts.set(entry.kind, (counts.get(entry.kind) ?? 0) + 1);
  }
  const parts = [...counts].map(([kind, count]) => DESTRUCTIVE[kind]?.(count) ?? '');
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/**
 * Where `sync apply` keeps its per-org locks: one folder per machine ($UMAPI_LOCK_DIR, else
 * /run/lock/umapi-kit or /var/lock/umapi-kit, else the temp folder), never under $XDG_STATE_HOME.
 */
export function syncLockDirectory(ctx: CommandContext): string {
  return orgLockDirectory(ctx.env);
}

/** An argument as a shell reads it back (quoted when it holds anything but plain path characters). */
export function quoteArg(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replaceAll("'", "'\\''")}'`;
}

export interface RunApplyOptions {
  forceUnlock?: boolean;
  testOnly?: boolean;
  /** Send the held entries (after listing them and, on a terminal, asking). */
  releaseHeld?: boolean;
  /** The state store: it signed the plan, and keeps anchors and the run history. */
  store: StateStore;
  /** Overrides the plan's own maximum age. */
  maxPlanAgeMs?: number | undefined;
  /** Where the journal and the org lock live when not in files on this machine (a shared database). */
  journals?: JournalStore | undefined;
  /** The command that resumes this run, for the message after an interruption. */
  resumeCommand: string;
  /** Also write the run report as an HTML page here (with a timeline of progress, retries and 429s). */
  reportHtml?: string | undefined;
  /** Multi-org plans: each secondary org's client, by the name its entries carry. */
  orgClients?: ReadonlyMap<string, UmapiPort> | undefined;
}

/**
 * Applies a plan with its journal: refuses a plan that does not verify (edited, another org, too old), lists
 * and confirms what is destructive and what is released, shows progress and the run report, and returns the
 * exit code (0 done, 3 something failed or is unfinished, 5 held entries wait, 130 interrupted).
 */
export async function runApply(
  plan: Plan,
  journalPath: string,
  ctx: CommandContext,
  options: RunApplyOptions,
): Promise<number> {
  const testOnly = options.testOnly ?? ctx.globals.testOnly;
  const client = await ctx.client();
  const refusal = planRefusal(plan, await options.store.planKey(), {
    orgId: client.orgId,
    now: ctx.clock.now(),
    maxAgeMs: options.maxPlanAgeMs,
  });
  if (refusal !== undefined) {
    throw new CliError(`refusing to apply this plan: ${refusal}`, { exitCode: ExitCode.usage });
  }
  const held = plan.entries.filter((entry) => entry.held !== undefined);
  if (options.releaseHeld === true && held.length > 0) {
    ctx.logger.warn(`releasing ${String(held.length)} held entr${held.length === 1 ? 'y' : 'ies'}:`);
    for (const reason of plan.safety?.reasons ?? []) ctx.logger.warn(`  held because ${reason}`);
    for (const entry of held.slice(0, 50)) ctx.logger.warn(`  ${describeEntry(entry)}`);
    if (held.length > 50) ctx.logger.warn(`  … and ${String(held.length - 50)} more`);
    if (!testOnly) await ctx.confirmDestructive(`release ${String(held.length)} held destructive changes`);
  }
  const destructive = destructivePhrase(plan, options.releaseHeld === true);
  if (destructive !== undefined && !testOnly) await ctx.confirmDestructive(destructive);
  for (const org of plan.orgs ?? []) {
    const orgClient = options.orgClients?.get(org.name);
    if (orgClient === undefined) {
      throw new CliError(
        `this plan also changes the org "${org.name}" (${org.orgId}), and no connection was given for it`,
        {
          exitCode: ExitCode.usage,
          hints: [
            'apply it with --ust-config user-sync-config.yml (the folder that made it): it connects to every org the folder names',
          ],
        },
      );
    }
    await createMappedGroups(org.createGroups ?? [], orgClient, ctx, testOnly);
  }
  await createMappedGroups(plan.createGroups ?? [], client, ctx, testOnly);
  const progress = ctx.progress('applying sync plan');
  const timeline =
    options.reportHtml === undefined ? undefined : new RunTimelineRecorder(() => ctx.clock.now());
  // The client calls ctx.onRetry for every retry: the timeline sees them too, for this run only.
  const showRetry = ctx.onRetry.bind(ctx);
  if (timeline !== undefined) {
    ctx.onRetry = (event) => {
      timeline.retry(event);
      showRetry(event);
    };
  }
  let report;
  try {
    report = await applyPlan(plan, client, {
      journalPath,
      signal: ctx.signal,
      testOnly,
      forceUnlock: options.forceUnlock === true,
      releaseHeld: options.releaseHeld === true,
      orgLock: { directory: syncLockDirectory(ctx), orgId: client.orgId },
      ...(options.journals === undefined ? {} : { journals: options.journals }),
      state: { store: options.store, orgId: client.orgId },
      ...(options.orgClients === undefined ? {} : { orgClients: options.orgClients }),
      now: () => ctx.clock.now(),
      onProgress: (event) => {
        // After Ctrl-C, requests in flight end unanswered: the bar keeps the count it had (it is cleared next).
        if (!ctx.signal.aborted) progress.update(event.done, event.total);
        timeline?.progress(event);
      },
    });
  } catch (error) {
    const refused = refusedFileError(error, options.resumeCommand);
    if (refused !== undefined) throw refused;
    if (isDiskRefusal(error)) {
      // The journal's own errors are mapped above: a SQLite error left is the state store's; a file error names its file.
      const path = (error as NodeJS.ErrnoException).path;
      throw new CliError(
        `cannot write ${path ?? `the state store ${options.store.location}`}: ${describeFsError(error)}`,
        {
          exitCode: ExitCode.failure,
          hints: [
            `once there is room (or the disk is writable again), finish with: ${options.resumeCommand}`,
          ],
          cause: error,
        },
      );
    }
    if (ctx.signal.aborted) ctx.logger.warn(`interrupted: to finish, run: ${options.resumeCommand}`);
    throw error;
  } finally {
    progress.stop();
    if (timeline !== undefined) ctx.onRetry = showRetry;
  }
  ctx.run.report = report;
  if (options.reportHtml !== undefined && timeline !== undefined) {
    const html = runToHtml({
      outcomes: report.entries,
      entries: new Map(plan.entries.map((entry) => [entry.id, entry])),
      report,
      plan,
      timeline: timeline.timeline,
    });
    try {
      const bytes = await writeReport(resolve(ctx.cwd, options.reportHtml), html);
      ctx.logger.info(
        `wrote the run report page to ${options.reportHtml} (${String(Math.round(bytes / 1024))} KiB)`,
      );
    } catch (error) {
      // The run happened: its outcome and exit code stand, and `sync report <journal>` can write the page later.
      if (!(error instanceof FileWriteError)) throw error;
      ctx.logger.error(
        `${error.message} (the run itself is done; \`umapi sync report\` writes the page from its journal)`,
      );
    }
  }
  if (ctx.globals.output !== 'table') {
    await ctx.output.json(report);
    // The report went to stdout for a program: a person reading stderr still learns how it went, and every
    // entry that did not finish (a complete run stays quiet when JSON was asked for explicitly).
    if (runOutcome(report) !== 'complete' || !ctx.globals.outputExplicit)
      ctx.logger.info(runSummaryLine(report));
    for (const line of failureLines(report)) ctx.logger.error(line);
  } else await ctx.output.text(formatRunReport(report));
  if (ctx.signal.aborted) {
    // Entries whose answer never came are `ambiguous`, the rest `pending`: the resume sorts them out.
    ctx.logger.warn(
      `interrupted: ${String(report.counts.succeeded)} of ${String(report.counts.total)} entries done; ` +
        `to finish, run: ${options.resumeCommand}`,
    );
    return ExitCode.interrupted;
  }
  const outcome = runOutcome(report);
  if (outcome === 'held') {
    ctx.logger.warn(
      `${String(report.counts.held)} destructive entr${report.counts.held === 1 ? 'y is' : 'ies are'} held by the safety limits; ` +
        `review them, then run: ${options.resumeCommand} --release-held`,
    );
  }
  return outcome === 'complete' ? ExitCode.ok : outcome === 'held' ? ExitCode.held : ExitCode.partialFailure;
}
