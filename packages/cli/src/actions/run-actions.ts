import type { Action, ActionOutcome, ExecuteResult } from '@umapi-kit/client';
import { AbortError, UserAction } from '@umapi-kit/client';
import { CliError } from '../cli/cli-errors.js';
import { ExitCode } from '../cli/exit-codes.js';
import type { CommandContext } from '../context/command-context.js';
import { serverErrorText } from '../output/server-error-text.js';

/** Failures repeated as hints on stderr after a machine-format run (all are in the output). */
const MAX_FAILURE_HINTS = 20;

export interface RunActionsOptions {
  /** Label of an action in reports (default: `actionLabel`), e.g. `line 7 (jdoe@example.com)`. */
  label?: (index: number, action: Action) => string;
  /** Past tense of what a successful action did, for single-action commands ("created jdoe@example.com"). */
  done?: string;
  /** The whole sentence for a single action that succeeded, instead of `done: label` ("renamed A to B"). */
  doneLine?: string;
  /**
   * For a failed action whose earlier steps were applied (a create that succeeded before its group step
   * failed): what was done and what was not. The action then counts as partial (exit 3), not failed.
   */
  partial?: (outcome: ActionOutcome) => PartialOutcome | undefined;
  /** With several actions, list each success on a table too, with this past tense ("added"). */
  eachDone?: string;
  /** The actions were already sent (by the caller): report this result instead of sending them. */
  sent?: ExecuteResult;
}

export interface PartialOutcome {
  done: string;
  notDone: string;
}

/** How an action is named in messages: its target, and a federated username's domain (`jsmith (example.com)`). */
export function actionLabel(action: Action): string {
  return action instanceof UserAction && action.domain !== undefined
    ? `${action.target} (${action.domain})`
    : action.target;
}

/** An outcome as printed in the machine formats. */
export function outcomeRecord(outcome: ActionOutcome, label: string): Record<string, unknown> {
  const record: Record<string, unknown> = {
    index: outcome.index,
    target: label,
    kind: outcome.action.kind,
    status: outcome.status,
  };
  if (outcome.errorCode !== undefined) record['errorCode'] = outcome.errorCode;
  if (outcome.message !== undefined) record['message'] = outcome.message;
  if (outcome.errors.length > 1) record['errors'] = outcome.errors;
  if (outcome.warnings.length > 0) record['warnings'] = outcome.warnings;
  return record;
}

/**
 * Sends actions through the client (`--test-only` honoured), reports each failure as it is known and a summary
 * at the end. Exit code: 0 all succeeded, 1 all failed, 3 some failed. Ctrl-C: says what was and was not done
 * (exit 130).
 */
export async function runActions(
  ctx: CommandContext,
  actions: readonly Action[],
  options: RunActionsOptions = {},
): Promise<number> {
  const client = await ctx.client();
  const testOnly = ctx.globals.testOnly;
  const label = (index: number, action: Action): string =>
    options.label?.(index, action) ?? actionLabel(action);
  const progress = actions.length > 1 ? ctx.progress(testOnly ? 'checking' : 'applying') : undefined;
  const known = { done: 0, succeeded: 0, failed: 0 };
  const pending: Promise<void>[] = [];
  const failures: string[] = [];
  const successes: string[] = [];
  let partials = 0;

  const onOutcome = (outcome: ActionOutcome): void => {
    // Actions the client never sent because of Ctrl-C are "not done", not failures.
    if (outcome.errorCode === 'client.aborted') return;
    known.done++;
    if (outcome.status === 'failed') known.failed++;
    else known.succeeded++;
    const name = label(outcome.index, outcome.action);
    const part = outcome.status === 'failed' ? options.partial?.(outcome) : undefined;
    if (part !== undefined) partials++;
    if (outcome.status === 'failed') {
      const line =
        part === undefined
          ? `failed ${name}: ${serverErrorText(outcome)}`
          : `partly done ${name}: ${part.done}; ${part.notDone}`;
      failures.push(line);
      if (ctx.output.format === 'table' && actions.length > 1) progress?.log(line);
    } else successes.push(name);
    if (ctx.output.format === 'jsonl') {
      const record = outcomeRecord(outcome, name);
      if (part !== undefined)
        Object.assign(record, { status: 'partial', done: part.done, notDone: part.notDone });
      pending.push(ctx.output.json(record));
    }
    for (const warning of outcome.warnings) ctx.logger.warn(`${name}: ${warning.code}: ${warning.message}`);
  };

  let result: ExecuteResult;
  try {
    if (options.sent === undefined) {
      result = await client.execute(actions, {
        testOnly,
        signal: ctx.signal,
        onOutcome,
        onProgress: (state) => progress?.update(state.done, state.total ?? actions.length),
      });
    } else {
      result = options.sent;
      for (const outcome of result.outcomes) onOutcome(outcome);
    }
    // The client returns what is known when interrupted; report it as an interruption, not as failures.
    if (ctx.signal.aborted) throw new AbortError('interrupted');
  } catch (error) {
    progress?.stop();
    await Promise.all(pending);
    if (ctx.signal.aborted || error instanceof AbortError) {
      const notDone = actions.length - known.done;
      throw new CliError(
        `interrupted: ${known.done} of ${actions.length} actions finished (${known.succeeded} succeeded, ${known.failed} failed); ` +
          `${notDone} not sent or with their outcome unknown`,
        {
          exitCode: ExitCode.interrupted,
          hints:
            notDone > 0
              ? ['run the command again to finish; creates with --on-conflict ignore are safe to repeat']
              : [],
        },
      );
    }
    throw error;
  }
  progress?.stop();
  await Promise.all(pending);

  const { totals } = result;
  const succeeded = testOnly ? totals.succeededInTestMode : totals.succeeded;
  if (ctx.output.format === 'json') {
    await ctx.output.json({
      testOnly,
      totals,
      outcomes: result.outcomes.map((outcome) =>
        outcomeRecord(outcome, label(outcome.index, outcome.action)),
      ),
    });
  } else if (ctx.output.format === 'csv') {
    // Machine-readable failures for CSV: one row per outcome.
    await ctx.output.list(
      result.outcomes.map((outcome) => outcomeRecord(outcome, label(outcome.index, outcome.action))),
      ['index', 'target', 'kind', 'status', 'errorCode', 'message'].map((name) => ({
        name,
        get: (item: Record<string, unknown>) => item[name],
      })),
    );
  } else if (ctx.output.format === 'table') {
    const mode = testOnly ? ' (test only: nothing was changed)' : '';
    if (actions.length === 1 && totals.failed === 0) {
      await ctx.output.text(
        `${testOnly ? 'would have ' : ''}${options.doneLine ?? `${options.done ?? 'done'}: ${label(0, actions[0] as Action)}`}${mode}`,
      );
    } else if (actions.length === 1 && partials === 1) {
      await ctx.output.text(`${failures[0] ?? ''}${mode}`);
    } else {
      await ctx.output.text(
        `${actions.length} action${actions.length === 1 ? '' : 's'}: ${succeeded} ${testOnly ? 'would succeed' : 'succeeded'}, ` +
          `${partials > 0 ? `${partials} partly done, ` : ''}${totals.failed - partials} failed${mode}`,
      );
      if (options.eachDone !== undefined) {
        for (const name of successes) await ctx.output.text(`  ${options.eachDone} ${name}`);
      }
      for (const line of failures) await ctx.output.text(`  ${line}`);
    }
  }
  if (totals.retries > 0) {
    ctx.logger.info(
      `${totals.requests} requests, ${totals.retries} retried (${totals.throttled} rate-limited, ${Math.round(totals.totalRetryDelayMs / 1000)} s waiting)`,
    );
  }
  if (totals.failed === 0) return ExitCode.ok;
  const failed = totals.failed - partials;
  const of = `of ${actions.length} action${actions.length === 1 ? '' : 's'}`;
  ctx.logger.error(
    partials === 0
      ? `${failed} ${of} failed`
      : `${partials} ${of} partly done${failed > 0 ? `, ${failed} failed` : ''}`,
  );
  if (ctx.output.format !== 'table') {
    for (const line of failures.slice(0, MAX_FAILURE_HINTS)) ctx.logger.hint(line);
    if (failures.length > MAX_FAILURE_HINTS)
      ctx.logger.hint(`… and ${failures.length - MAX_FAILURE_HINTS} more (each is in the output above)`);
  }
  return succeeded === 0 && partials === 0 ? ExitCode.failure : ExitCode.partialFailure;
}
