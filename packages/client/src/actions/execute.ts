import { AbortError, ActionError, UmapiError, type Delivery } from '../errors.js';
import { checkConcurrency, createLimiter } from '../internal/limiter.js';
import { getUser, groupExists } from '../queries/get-user.js';
import type { ApiResponse, Requester } from '../transport/types.js';
import { Batcher, type BatchItem, type Work } from './batcher.js';
import { resolveLostAnswer, type OrgReader } from './reconcile.js';
import { mapActionResponse, stepNameOf } from './response-mapper.js';
import { splitCommand, type SplitEntry } from './split-command.js';
import type {
  Action,
  ActionOutcome,
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
  /** The worst delivery of its failed parts; `answered` while none failed without an answer. */
  delivery: Delivery;
  reconciled: boolean;
}

type Item = BatchItem<PendingAction>;

const ORDER: Record<Delivery, number> = { answered: 0, 'not-sent': 1, 'maybe-applied': 2 };

/**
 * Sends actions to POST `/action/{org}` (umapi-api.md §4): splits long lists and long commands, packs at most 10
 * entries per request (`Batcher`), keeps at most `concurrency` requests in flight while pulling the input lazily
 * (an async iterable of a million actions is never held in memory), and maps every error and warning back to the
 * caller's action and step (`mapActionResponse`). A request whose answer was lost is resolved by the one rule in
 * `reconcile.ts` (re-send what is idempotent, read back the rest). A partial failure is a result; `throwOnError`
 * turns it into an `ActionError`.
 */
export async function execute(
  requester: Requester,
  actions: Iterable<Action> | AsyncIterable<Action>,
  options: ExecuteRunOptions = {},
): Promise<ExecuteResult> {
  const testOnly = options.testOnly ?? false;
  const concurrency = options.concurrency ?? 2;
  checkConcurrency(concurrency);
  const { signal } = options;
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
    notSent: 0,
    maybeApplied: 0,
    readBacks: 0,
    resent: 0,
  };
  const isAborted = (): boolean => signal?.aborted ?? false;
  const path = `/action/${encodeURIComponent(requester.orgId)}`;
  const reader: OrgReader = {
    user: (user, readOptions) => getUser(requester, user, readOptions),
    groupExists: (name, readSignal) => groupExists(requester, name, readSignal),
  };

  const finish = (pending: PendingAction): void => {
    const outcome = toOutcome(pending, testOnly);
    if (outcome.status === 'succeeded') totals.succeeded += 1;
    else if (outcome.status === 'succeededInTestMode') totals.succeededInTestMode += 1;
    else {
      totals.failed += 1;
      if (outcome.delivery === 'not-sent') totals.notSent += 1;
      if (outcome.delivery === 'maybe-applied') totals.maybeApplied += 1;
    }
    if (collect) outcomes.push(outcome);
    options.onOutcome?.(outcome);
    options.onProgress?.({
      done: totals.failed + totals.succeeded + totals.succeededInTestMode,
      succeeded: totals.succeeded + totals.succeededInTestMode,
      failed: totals.failed,
      ...(total !== undefined ? { total } : {}),
    });
  };

  /** One entry of an action is done (answered, failed or reconciled); the action is when all its entries are. */
  const entryDone = (pending: PendingAction): void => {
    pending.entriesLeft -= 1;
    if (pending.entriesLeft === 0) finish(pending);
  };

  const fail = (item: Item, code: string, message: string, delivery: Delivery): void => {
    const { owner } = item;
    if (ORDER[delivery] > ORDER[owner.delivery]) owner.delivery = delivery;
    const step = item.entry.originalSteps[0] ?? 0;
    owner.errors.push({ code, message, step, stepName: stepNameOf(owner.command.do[step]) });
  };

  const count = (sent: ApiResponse | UmapiError): void => {
    totals.requests += sent.attempts;
    totals.retries += sent.attempts - 1;
    totals.totalRetryDelayMs += sent.totalRetryDelayMs;
    if ('throttled' in sent) totals.throttled += sent.throttled;
  };

  /** Sends one request's entries; after a lost answer, resolves each entry and sends again what needs it. */
  const send = async (items: readonly Item[]): Promise<void> => {
    let current = [...items];
    let lost: UmapiError | undefined;
    while (current.length > 0) {
      let response: ApiResponse;
      try {
        response = await requester.request({
          method: 'POST',
          path,
          body: current.map((item) => item.entry.wire),
          endpointClass: 'action',
          ...(lost !== undefined ? { resendAfter: lost } : {}),
          ...(testOnly ? { query: { testOnly: 'true' } } : {}),
          ...(signal !== undefined ? { signal } : {}),
        });
      } catch (error) {
        if (!(error instanceof UmapiError)) throw error;
        count(error);
        if (error.delivery !== 'maybe-applied' || error instanceof AbortError || isAborted()) {
          const [code, message] = failureOf(error, isAborted());
          for (const item of current) {
            fail(item, code, message, error.delivery);
            entryDone(item.owner);
          }
          return;
        }
        lost = error;
        current = await resolveLost(current, error);
        continue;
      }
      count(response);
      const mapped = mapActionResponse(
        current.map((item) => ({ command: item.owner.command, entry: item.entry })),
        response.status,
        response.body,
      );
      if (mapped.kind === 'unreadable') {
        // The server may have applied it and did not say: the same as a lost answer.
        lost = new UmapiError(mapped.message, { ...response, delivery: 'maybe-applied' });
        current = await resolveLost(current, lost);
        continue;
      }
      current.forEach((item, i) => {
        if (mapped.kind === 'refused') fail(item, mapped.code, mapped.message, 'answered');
        else {
          const answer = mapped.entries[i];
          item.owner.errors.push(...(answer?.errors ?? []));
          item.owner.warnings.push(...(answer?.warnings ?? []));
        }
        entryDone(item.owner);
      });
      return;
    }
  };

  /** The entries of a lost answer that must be sent again; the others are finished here. */
  const resolveLost = async (items: readonly Item[], error: UmapiError): Promise<Item[]> => {
    const again: Item[] = [];
    for (const item of items) {
      // Test mode changes nothing, so sending again is always safe.
      const resolution = testOnly
        ? ({ kind: 'resend', command: item.entry.wire, fromStep: 0, readBack: false } as const)
        : options.readBack === 'caller'
          ? ({ kind: 'unknown', reason: 'left for the caller to read back' } as const)
          : await resolveLostAnswer(item.entry.wire, reader, signal).catch((readError: unknown) => ({
              kind: 'unknown' as const,
              reason: `the account could not be read back (${(readError as Error).message})`,
            }));
      if (resolution.kind === 'resend' && resolution.readBack) totals.readBacks += 1;
      if (resolution.kind === 'applied') {
        totals.readBacks += 1;
        item.owner.reconciled = true;
        entryDone(item.owner);
      } else if (resolution.kind === 'resend') {
        if (resolution.readBack) item.owner.reconciled = true;
        totals.resent += 1;
        again.push({
          owner: item.owner,
          entry: {
            wire: resolution.command,
            originalSteps: item.entry.originalSteps.slice(resolution.fromStep),
          },
        });
      } else {
        fail(item, error.name, `${error.message}; ${resolution.reason}`, 'maybe-applied');
        entryDone(item.owner);
      }
    }
    return again;
  };

  const notSent = (items: readonly Item[], message: string): void => {
    for (const item of items) {
      fail(item, 'client.aborted', message, 'not-sent');
      entryDone(item.owner);
    }
  };

  const limiter = createLimiter(concurrency);
  const run = async (work: Work<PendingAction>): Promise<void> => {
    if (work.kind === 'request') {
      await limiter.start(() => send(work.items));
      return;
    }
    // Longer than one request: its parts run in order, with nothing else in flight.
    await limiter.drain();
    for (const [i, request] of work.requests.entries()) {
      if (isAborted()) {
        notSent(work.requests.slice(i).flat(), 'Stopped before this part of the action was sent');
        return;
      }
      await send(request);
    }
  };

  const batcher = new Batcher<PendingAction>();
  let index = 0;
  for await (const action of actions) {
    const position = index;
    index += 1;
    totals.actions += 1;
    if (isAborted()) {
      // Taken from the caller's iterable as the stop came: it gets its outcome (not sent), like the others.
      const pending = newPending(position, action, { do: [] }, 0);
      pending.errors.push({
        code: 'client.aborted',
        message: 'Stopped before this action was sent',
        step: 0,
        stepName: '',
      });
      pending.delivery = 'not-sent';
      finish(pending);
      break;
    }
    let command: WireCommand;
    let entries: SplitEntry[];
    try {
      command = action.toWire();
      entries = splitCommand(command);
    } catch (error) {
      const pending = newPending(position, action, { do: [] }, 0);
      pending.errors.push({
        code: 'client.invalid_action',
        message: error instanceof Error ? error.message : String(error),
        step: 0,
        stepName: '',
      });
      pending.delivery = 'not-sent';
      finish(pending);
      continue;
    }
    for (const work of batcher.add(newPending(position, action, command, entries.length), entries)) {
      await run(work);
    }
  }
  if (isAborted()) notSent(batcher.pending, 'Stopped before this action was sent');
  else for (const work of batcher.flush()) await run(work);
  await limiter.drain();

  outcomes.sort((a, b) => a.index - b.index);
  const result: ExecuteResult = { testOnly, outcomes, totals };
  if (options.throwOnError === true && totals.failed > 0) {
    throw new ActionError(`${totals.failed} of ${totals.actions} actions failed`, result);
  }
  return result;
}

/** The one place a pending action becomes an outcome. */
function toOutcome(pending: PendingAction, testOnly: boolean): ActionOutcome {
  const first = pending.errors[0];
  const outcome: ActionOutcome = {
    index: pending.index,
    action: pending.action,
    status: first !== undefined ? 'failed' : testOnly ? 'succeededInTestMode' : 'succeeded',
    errors: pending.errors,
    warnings: pending.warnings,
    delivery: first === undefined ? 'answered' : pending.delivery,
    reconciled: pending.reconciled,
  };
  if (first !== undefined) {
    outcome.errorCode = first.code;
    outcome.message = first.message;
    outcome.step = first.step;
  }
  return outcome;
}

/** The error code and message a failed request gives each of its actions. */
function failureOf(error: UmapiError, aborted: boolean): [string, string] {
  if (aborted || error instanceof AbortError) {
    return [
      'client.aborted',
      error.delivery === 'not-sent'
        ? 'Stopped before this action was sent'
        : 'Stopped before the answer arrived: the server may or may not have applied this action',
    ];
  }
  const code = (error as { errorCode?: unknown }).errorCode;
  return [typeof code === 'string' ? code : error.name, error.message];
}

function newPending(index: number, action: Action, command: WireCommand, entriesLeft: number): PendingAction {
  return {
    index,
    action,
    command,
    entriesLeft,
    errors: [],
    warnings: [],
    delivery: 'answered',
    reconciled: false,
  };
}
