import { refusedFileError } from '../commands/sync/refused-file.js';
import {
  applyPlan,
  JournalError,
  PLAN_FORMAT,
  PLAN_VERSION,
  orgLockDirectory,
  runOutcome,
  type ApplyProgress,
  type EntryOutcomeRecord,
  type JournalStore,
  type Plan,
  type PlanEntry,
  type RunReport,
  type StateStore,
} from '@umapi-kit/sync';
import { CliError } from '../cli/cli-errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import type { CommandContext } from '../context/command-context.js';

/**
 * An import's rows as a plan for the sync package's journaled applier (no exclusions, nothing held, no Adobe
 * users read): the applier's journal, outcome handling and resume are the import's too.
 */
export function importAsPlan(entries: PlanEntry[]): Plan {
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    kind: 'sync-plan',
    strategy: 'push',
    adobeOnlyUserAction: 'preserve',
    exclusions: { identityTypes: [], adobeGroups: [], users: [] },
    entries,
    adobeOnlyUsers: [],
    problems: [],
    stats: {
      directoryUsers: entries.length,
      mergedRows: 0,
      matchedByAnchor: 0,
      adobeUsersRead: 0,
      adobeUsersExcluded: 0,
      matched: 0,
      unchanged: 0,
      adobeOnly: 0,
    },
  };
}

export interface RunImportOptions {
  /** The file as the user named it (for messages). */
  file: string;
  /** The journal (`:memory:` for a dry run). */
  journalPath: string;
  testOnly: boolean;
  /** The command that finishes this import, for the messages after an interruption. */
  resumeCommand: string;
  /** Remove the journal's lock first (its import is known to be dead). */
  forceUnlock?: boolean;
  /** The input line of each entry id. */
  lines: ReadonlyMap<string, number>;
  /** A shared state store: the journal, the org lock and the run history are kept there. */
  store?: (StateStore & JournalStore) | undefined;
}

/** `line 7 (jdoe@example.com)`: how a row is named in reports. */
function rowLabel(record: EntryOutcomeRecord, lines: ReadonlyMap<string, number>): string {
  const who = record.domain === undefined ? record.user : `${record.user} in ${record.domain}`;
  return `line ${String(lines.get(record.id) ?? '?')} (${who})`;
}

/** A row's outcome as printed in the machine formats. */
function rowRecord(record: EntryOutcomeRecord, lines: ReadonlyMap<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    line: lines.get(record.id),
    target: record.user,
    kind: record.kind,
    state: record.state,
  };
  if (record.domain !== undefined) out['domain'] = record.domain;
  if (record.errorCode !== undefined) out['errorCode'] = record.errorCode;
  if (record.message !== undefined) out['message'] = record.message;
  if (record.reconciled) out['reconciled'] = true;
  return out;
}

/** A row that did not succeed, as one line: `failed line 3 (b@example.com): error.user.not_found: no such user`. */
function unfinishedLine(record: EntryOutcomeRecord, lines: ReadonlyMap<string, number>): string {
  const state = record.state === 'pending' ? 'not sent' : record.state;
  const reason = [record.errorCode, record.message].filter((part) => part !== undefined).join(': ');
  return `${state} ${rowLabel(record, lines)}${reason === '' ? '' : `: ${reason}`}`;
}

function interrupted(
  counts: { done: number; total: number; succeeded: number; failed: number },
  options: RunImportOptions,
): CliError {
  const notDone = counts.total - counts.done;
  return new CliError(
    `interrupted: ${String(counts.done)} of ${String(counts.total)} rows finished (${String(counts.succeeded)} ` +
      `succeeded, ${String(counts.failed)} failed); ${String(notDone)} not sent or with their outcome unknown`,
    {
      exitCode: ExitCode.interrupted,
      hints:
        notDone === 0
          ? []
          : options.testOnly
            ? ['run the dry run again: it changed nothing']
            : [
                `to finish, run: ${options.resumeCommand} (rows already done are not sent again; rows whose ` +
                  'answer was lost are read back or, when repeating them is harmless, sent again)',
              ],
    },
  );
}

/**
 * Sends an import's entries with the journaled applier, shows progress, reports every row that did not
 * succeed, and returns the exit code: 0 all done, 1 none succeeded, 3 some failed or are unfinished, 130
 * interrupted (with the command that finishes it).
 */
export async function runImport(
  ctx: CommandContext,
  entries: PlanEntry[],
  options: RunImportOptions,
): Promise<number> {
  const client = await ctx.client();
  const progress = ctx.progress(options.testOnly ? 'checking' : 'applying');
  let last: ApplyProgress = { done: 0, total: entries.length, succeeded: 0, failed: 0 };
  let report: RunReport;
  try {
    report = await applyPlan(importAsPlan(entries), client, {
      journalPath: options.journalPath,
      signal: ctx.signal,
      testOnly: options.testOnly,
      forceUnlock: options.forceUnlock === true,
      // The same per-org lock as `sync apply`: an import and a sync never change one org at once.
      orgLock: { directory: orgLockDirectory(ctx.env), orgId: client.orgId },
      ...(options.store === undefined
        ? {}
        : { journals: options.store, state: { store: options.store, orgId: client.orgId } }),
      now: () => ctx.clock.now(),
      onProgress: (event) => {
        // After Ctrl-C the requests in flight end without an answer: they are not finished, and the bar (cleared
        // next) keeps the count the summary gives.
        if (ctx.signal.aborted) return;
        last = event;
        progress.update(event.done, event.total);
      },
    });
  } catch (error) {
    progress.stop();
    if (error instanceof JournalError && error.code === 'other-plan') {
      throw new CliError(
        `journal ${options.journalPath} was written for other rows than ${options.file} holds now ` +
          '(another file, or this one since edited); refusing to use it',
        {
          exitCode: ExitCode.usage,
          hints: ['give --journal a new file name, or import the file that journal belongs to'],
        },
      );
    }
    const refused = refusedFileError(error, options.resumeCommand);
    if (refused !== undefined) throw refused;
    if (ctx.signal.aborted) throw interrupted(last, options);
    throw error;
  }
  progress.stop();
  const { lines } = options;
  const { counts } = report;
  if (ctx.signal.aborted) {
    const done = counts.succeeded + counts.failed + counts.partial;
    throw interrupted(
      { done, total: counts.total, succeeded: counts.succeeded, failed: counts.failed + counts.partial },
      options,
    );
  }
  const open = report.entries.filter((record) => record.state !== 'succeeded');
  if (ctx.output.format === 'jsonl') {
    for (const record of report.entries) await ctx.output.json(rowRecord(record, lines));
  } else if (ctx.output.format === 'json') {
    await ctx.output.json({
      kind: 'users-import-report',
      file: options.file,
      testOnly: report.testOnly,
      journalPath: report.journalPath,
      counts,
      requests: report.requests,
      retries: report.retries,
      throttled: report.throttled,
      totalRetryDelayMs: report.totalRetryDelayMs,
      rows: report.entries.map((record) => rowRecord(record, lines)),
    });
  } else if (ctx.output.format === 'csv') {
    await ctx.output.list(
      report.entries.map((record) => rowRecord(record, lines)),
      ['line', 'target', 'domain', 'kind', 'state', 'errorCode', 'message'].map((name) => ({
        name,
        get: (item: Record<string, unknown>) => item[name],
      })),
    );
  } else {
    const mode = report.testOnly ? ' (test only: nothing was changed)' : '';
    const others = (['partial', 'ambiguous', 'pending'] as const)
      .filter((state) => counts[state] > 0)
      .map((state) => `, ${String(counts[state])} ${state === 'pending' ? 'not sent' : state}`)
      .join('');
    // Fewer sent than there are rows: the journal had rows finished by an earlier, interrupted run.
    const resumed = counts.sentThisRun < counts.total && !report.testOnly;
    await ctx.output.text(
      `${String(counts.total)} row${counts.total === 1 ? '' : 's'}: ${String(counts.succeeded)} ` +
        `${report.testOnly ? 'would succeed' : 'succeeded'}, ${String(counts.failed)} failed${others}${mode}` +
        (resumed ? ` (resumed: ${String(counts.sentThisRun)} sent this run)` : ''),
    );
    for (const record of open) await ctx.output.text(`  ${unfinishedLine(record, lines)}`);
  }
  if (report.retries > 0) {
    ctx.logger.info(
      `${String(report.requests)} requests, ${String(report.retries)} retried (${String(report.throttled)} ` +
        `rate-limited, ${String(Math.round(report.totalRetryDelayMs / 1000))} s waiting)`,
    );
  }
  if (runOutcome(report) === 'complete') return ExitCode.ok;
  ctx.logger.error(
    `${String(open.length)} of ${String(counts.total)} row${counts.total === 1 ? '' : 's'} did not succeed`,
  );
  // Off a terminal the results are on stdout for a program; every failure is on stderr for a person too.
  if (ctx.output.format !== 'table')
    for (const record of open) ctx.logger.hint(unfinishedLine(record, lines));
  const unfinished = counts.partial + counts.ambiguous + counts.pending + counts.sent;
  if (unfinished > 0 && !report.testOnly) {
    ctx.logger.hint(
      `${String(unfinished)} row${unfinished === 1 ? ' is' : 's are'} not finished; to finish, run: ${options.resumeCommand}`,
    );
  }
  return counts.succeeded === 0 ? ExitCode.failure : ExitCode.partialFailure;
}
