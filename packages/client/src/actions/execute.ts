import { AbortError, ActionError, UmapiError, ValidationError } from '../errors.js';
import type { ApiResponse, Requester } from '../transport/types.js';
import { isOwnEarlierSuccess } from './reconcile.js';
import { MAX_ENTRIES_PER_REQUEST, splitCommand, type SplitEntry } from './split-command.js';
import type {
  Action,
  ActionOutcome,
  ActionStep,
  ExecuteOptions,
  ExecuteResult,
  ExecuteTotals,
  ServerMessage,
  WireCommand,
} from './types.js';

export interface ExecuteRunOptions extends ExecuteOptions {
  testOnly?: boolean;
  /** Requests in flight at once (default 2); the pacer decides the rate. */
  concurrency?: number;
}

/** An action whose outcome is not known yet. */
interface PendingAction {
  index: number;
  action: Action;
  command: WireCommand;
  entriesLeft: number;
  errors: ServerMessage[];
  warnings: ServerMessage[];
  reconciled: boolean;
  /** Some part got no answer from the server (stopped, network failure, retries exhausted). */
  unanswered: boolean;
}

interface BatchEntry {
  pending: PendingAction;
  entry: SplitEntry;
}

interface WireMessage {
  index?: unknown;
  step?: unknown;
  requestID?: unknown;
  message?: unknown;
  errorCode?: unknown;
  warningCode?: unknown;
  user?: unknown;
}

interface ActionResponseBody {
  result?: unknown;
  message?: unknown;
  completed?: unknown;
  errors?: WireMessage[];
  warnings?: WireMessage[];
}

/**
 * Sends actions to POST `/action/{org}` (umapi-api.md §4): splits long lists and long commands, packs at most 10
 * entries per request, keeps at most `concurrency` requests in flight while pulling the input lazily (an async
 * iterable of a million actions is never held in memory), and maps every error and warning back to the
 * caller's action and step. A partial failure is a result; `throwOnError` turns it into an `ActionError`.
 *
 * Entries of one action go in the same request (an action longer than 10 entries is sent alone, its requests
 * one after the other), because the API does not order entries across requests.
 */
export async function execute(
  requester: Requester,
  actions: Iterable<Action> | AsyncIterable<Action>,
  options: ExecuteRunOptions = {},
): Promise<ExecuteResult> {
  const testOnly = options.testOnly ?? false;
  const concurrency = options.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ValidationError(
      `concurrency must be a whole number of at least 1, got ${concurrency}`,
      'concurrency',
    );
  }
  const signal = options.signal;
  const collect = options.collectOutcomes ?? true;
  const total = Array.isArray(actions) ? actions.length : undefined;
  const outcomes: ActionOutcome[] = [];
  const totals: ExecuteTotals = {
    actions: 0,
    succeeded: 0,
    failed: 0,
    succeededInTestMode: 0,
    requests: 0,
    retries: 0,
    throttled: 0,
    totalRetryDelayMs: 0,
  };
  const isAborted = (): boolean => signal?.aborted ?? false;
  const path = `/action/${encodeURIComponent(requester.orgId)}`;

  const finish = (pending: PendingAction): void => {
    const first = pending.errors[0];
    const outcome: ActionOutcome = {
      index: pending.index,
      action: pending.action,
      status: first !== undefined ? 'failed' : testOnly ? 'succeededInTestMode' : 'succeeded',
      errors: pending.errors,
      warnings: pending.warnings,
      reconciled: pending.reconciled,
    };
    if (first !== undefined) {
      outcome.errorCode = first.code;
      outcome.message = first.message;
      outcome.step = first.step;
      if (pending.unanswered) outcome.unanswered = true;
      totals.failed += 1;
    } else if (testOnly) totals.succeededInTestMode += 1;
    else totals.succeeded += 1;
    if (collect) outcomes.push(outcome);
    options.onOutcome?.(outcome);
    options.onProgress?.({
      done: totals.failed + totals.succeeded + totals.succeededInTestMode,
      succeeded: totals.succeeded + totals.succeededInTestMode,
      failed: totals.failed,
      ...(total !== undefined ? { total } : {}),
    });
  };

  const failAll = (batch: BatchEntry[], code: string, message: string, unanswered = true): void => {
    for (const { pending } of batch) {
      if (unanswered) pending.unanswered = true;
      if (pending.errors.some((e) => e.code === code && e.message === message)) continue;
      pending.errors.push({ code, message, step: 0, stepName: stepNameOf(pending.command.do[0]) });
    }
  };

  const messageFor = (
    batch: BatchEntry[],
    raw: WireMessage,
    code: string,
  ): [PendingAction, ServerMessage][] => {
    const entry = typeof raw.index === 'number' ? batch[raw.index] : undefined;
    const targets = entry !== undefined ? [entry] : batch;
    return targets.map(({ pending, entry: split }) => {
      const sentStep = Number(raw.step);
      const step = entry !== undefined ? (split.originalSteps[sentStep] ?? 0) : 0;
      const message: ServerMessage = {
        code,
        message: typeof raw.message === 'string' ? raw.message : code,
        step,
        stepName: stepNameOf(pending.command.do[step]),
      };
      if (typeof raw.requestID === 'string') message.requestId = raw.requestID;
      if (typeof raw.user === 'string') message.user = raw.user;
      return [pending, message];
    });
  };

  const applyResponse = async (batch: BatchEntry[], response: ApiResponse): Promise<void> => {
    const body = response.body as ActionResponseBody | null;
    if (response.ambiguous) for (const { pending } of batch) pending.reconciled = true;
    if (body === null || typeof body !== 'object') {
      failAll(
        batch,
        'client.unexpected_response',
        `The action endpoint answered ${response.status} without a JSON result`,
      );
      return;
    }
    for (const raw of Array.isArray(body.warnings) ? body.warnings : []) {
      const code = typeof raw.warningCode === 'string' ? raw.warningCode : 'warning';
      for (const [pending, message] of messageFor(batch, raw, code)) pending.warnings.push(message);
    }
    const errors = Array.isArray(body.errors) ? body.errors : [];
    if (errors.length === 0) {
      const result = typeof body.result === 'string' ? body.result : '';
      if (result !== 'success' && result !== 'partial' && result !== '' && body.completed !== batch.length) {
        // A request-level failure (e.g. error.command.malformed) with no per-entry errors.
        failAll(batch, result, typeof body.message === 'string' ? body.message : result, false);
      }
      return;
    }
    for (const raw of errors) {
      const code = typeof raw.errorCode === 'string' ? raw.errorCode : 'error';
      for (const [pending, message] of messageFor(batch, raw, code)) {
        if (response.ambiguous && !testOnly) {
          const done = await isOwnEarlierSuccess(
            requester,
            pending.command,
            pending.command.do[message.step],
            code,
            signal,
          ).catch(() => false);
          if (done) {
            // Our own earlier attempt did it: keep the server's words as a warning, not a failure.
            pending.warnings.push(message);
            continue;
          }
        }
        pending.errors.push(message);
      }
    }
  };

  const send = async (batch: BatchEntry[]): Promise<void> => {
    try {
      const response = await requester.request({
        method: 'POST',
        path,
        body: batch.map((b) => b.entry.wire),
        endpointClass: 'action',
        retryAmbiguous: true,
        ...(testOnly ? { query: { testOnly: 'true' } } : {}),
        ...(signal !== undefined ? { signal } : {}),
      });
      totals.requests += response.attempts;
      totals.retries += response.attempts - 1;
      totals.totalRetryDelayMs += response.totalRetryDelayMs;
      totals.throttled += response.throttled ?? 0;
      await applyResponse(batch, response);
    } catch (error) {
      const attempts = error instanceof UmapiError ? error.attempts : 1;
      totals.requests += attempts;
      totals.retries += attempts - 1;
      totals.totalRetryDelayMs += error instanceof UmapiError ? error.totalRetryDelayMs : 0;
      if (error instanceof Error && error.name === 'RateLimitError') totals.throttled += 1;
      if (isAborted() || error instanceof AbortError) {
        failAll(
          batch,
          'client.aborted',
          'Stopped before the answer arrived: the server may or may not have applied this action',
        );
      } else {
        const code =
          (error as { errorCode?: unknown }).errorCode ??
          (error instanceof Error ? error.name : 'client.error');
        const message = error instanceof Error ? error.message : String(error);
        failAll(batch, typeof code === 'string' ? code : 'client.error', message);
      }
    }
    const seen = new Set<PendingAction>();
    for (const { pending } of batch) {
      pending.entriesLeft -= 1;
      if (pending.entriesLeft === 0 && !seen.has(pending)) {
        seen.add(pending);
        finish(pending);
      }
    }
  };

  const inFlight = new Set<Promise<void>>();
  const dispatch = async (batch: BatchEntry[]): Promise<void> => {
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const running: Promise<void> = send(batch).finally(() => inFlight.delete(running));
    inFlight.add(running);
  };
  const drain = async (): Promise<void> => {
    while (inFlight.size > 0) await Promise.all([...inFlight]);
  };

  let batch: BatchEntry[] = [];
  let index = 0;
  for await (const action of actions) {
    if (isAborted()) break;
    const position = index;
    index += 1;
    totals.actions += 1;
    let command: WireCommand;
    let entries: SplitEntry[];
    try {
      command = action.toWire();
      entries = splitCommand(command);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const pending = newPending(position, action, { do: [] }, 0);
      pending.errors.push({ code: 'client.invalid_action', message, step: 0, stepName: '' });
      finish(pending);
      continue;
    }
    const pending = newPending(position, action, command, entries.length);
    const items = entries.map((entry) => ({ pending, entry }));
    if (items.length > MAX_ENTRIES_PER_REQUEST) {
      // Longer than one request: its parts must run in order, so send them alone, one after the other.
      if (batch.length > 0) await dispatch(batch);
      batch = [];
      await drain();
      for (let i = 0; i < items.length; i += MAX_ENTRIES_PER_REQUEST) {
        if (isAborted()) {
          const rest = items.slice(i);
          failAll(rest, 'client.aborted', 'Stopped before this part of the action was sent');
          pending.entriesLeft = 1;
          finish(pending);
          break;
        }
        await send(items.slice(i, i + MAX_ENTRIES_PER_REQUEST));
      }
      continue;
    }
    if (batch.length + items.length > MAX_ENTRIES_PER_REQUEST) {
      await dispatch(batch);
      batch = [];
    }
    batch.push(...items);
  }
  if (batch.length > 0 && !isAborted()) await dispatch(batch);
  else if (batch.length > 0) {
    failAll(batch, 'client.aborted', 'Stopped before this action was sent');
    for (const pending of new Set(batch.map((b) => b.pending))) finish(pending);
  }
  await drain();

  outcomes.sort((a, b) => a.index - b.index);
  const result: ExecuteResult = { testOnly, outcomes, totals };
  if (options.throwOnError === true && totals.failed > 0) {
    throw new ActionError(`${totals.failed} of ${totals.actions} actions failed`, result);
  }
  return result;
}

function newPending(index: number, action: Action, command: WireCommand, entriesLeft: number): PendingAction {
  return {
    index,
    action,
    command,
    entriesLeft,
    errors: [],
    warnings: [],
    reconciled: false,
    unanswered: false,
  };
}

function stepNameOf(step: ActionStep | undefined): string {
  return step === undefined ? '' : (Object.keys(step)[0] ?? '');
}
