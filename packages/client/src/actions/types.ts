/**
 * Wire format of the Action API (umapi-api.md §4) and the per-action results `execute` returns.
 */
import type { Delivery } from '../errors.js';

export type IdentityType = 'adobeID' | 'enterpriseID' | 'federatedID';
export type IfAlreadyExists = 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists';

/** One step of a command entry: an object with a single key naming the step. */
export type ActionStep = Record<string, unknown>;

/** One command entry as sent on the wire: `{ user | usergroup, domain?, useAdobeID?, requestID?, do: [...] }`. */
export interface WireCommand {
  user?: string;
  usergroup?: string;
  domain?: string;
  useAdobeID?: boolean;
  requestID?: string;
  do: ActionStep[];
}

/**
 * What `execute` accepts: a builder (`UserAction`, `GroupAction`) or anything with the same shape.
 * `toWire()` returns the entry with all its steps, before any splitting into lists / steps of at most 10.
 */
export interface Action {
  /** `user` or `usergroup` root value, for reports. */
  readonly target: string;
  readonly kind: 'user' | 'usergroup';
  /** A caller-chosen id carried into the outcome (and sent as `requestID` when set). */
  readonly requestId?: string | undefined;
  toWire(): WireCommand;
}

export interface ServerMessage {
  /** `errorCode` for errors, `warningCode` for warnings. */
  code: string;
  message: string;
  /** Index of the step within the caller's action (after mapping back through any split). */
  step: number;
  /** The step as the caller built it, e.g. `{ add: { group: [...] } }`. */
  stepName: string;
  requestId?: string;
  user?: string;
}

export type OutcomeStatus = 'succeeded' | 'failed' | 'succeededInTestMode';

export interface ActionOutcome {
  /** Position of the action in the caller's input (0-based). */
  index: number;
  action: Action;
  status: OutcomeStatus;
  /** Present when `status` is `failed`: the first error (all of them are in `errors`). */
  errorCode?: string;
  message?: string;
  step?: number;
  errors: ServerMessage[];
  warnings: ServerMessage[];
  /**
   * What the server did with the action: `answered` (its answer gave this outcome), `maybe-applied` (sent, and no
   * answer arrived that could be reconciled: read the user back before sending it again), or `not-sent` (it never
   * reached the server, or was turned away unread: safe to send again). Always `answered` when succeeded.
   */
  delivery: Delivery;
  /**
   * True when the outcome was learned by reading the account back after an answer was lost (and the action was
   * then found done, or finished by sending what was missing).
   */
  reconciled: boolean;
}

export interface ExecuteTotals {
  actions: number;
  succeeded: number;
  failed: number;
  succeededInTestMode: number;
  /** HTTP requests sent, retries included. */
  requests: number;
  retries: number;
  /** 429 answers received. */
  throttled: number;
  totalRetryDelayMs: number;
  /** Failed actions the server never acted on (safe to send again). */
  notSent: number;
  /** Failed actions whose outcome is unknown (the answer was lost and could not be reconciled). */
  maybeApplied: number;
  /** Accounts read back to learn the outcome of a lost answer. */
  readBacks: number;
  /** Entries sent again after a lost answer (idempotent, or found not applied by a read-back). */
  resent: number;
}

export interface ExecuteResult {
  testOnly: boolean;
  outcomes: ActionOutcome[];
  totals: ExecuteTotals;
}

export interface ExecuteProgress {
  /** Actions whose outcome is known. */
  done: number;
  succeeded: number;
  failed: number;
  /** Total actions, when the input is an array (unknown for an async iterable). */
  total?: number;
}

export interface ExecuteOptions {
  testOnly?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ExecuteProgress) => void;
  /** Called once for each action as soon as its outcome is known (in completion order). */
  onOutcome?: (outcome: ActionOutcome) => void;
  /**
   * Keep outcomes in the result (default true). Set false to stream a million actions with `onOutcome` and
   * constant memory; `outcomes` is then empty and only `totals` are filled.
   */
  collectOutcomes?: boolean;
  /** Throw `ActionError` (carrying the result) when any action failed. Default false. */
  throwOnError?: boolean;
  /**
   * What to do with an entry whose answer was lost: `each` (default) sends an idempotent entry again and reads
   * any other's account back at once, sending only what is missing; `caller` leaves every such entry, idempotent
   * or not, failed with delivery `maybe-applied` and sends nothing again, for a caller that resolves them together
   * and must apply each entry exactly once (a sync apply reads them back from one listing of the org when that
   * takes fewer requests).
   */
  readBack?: 'each' | 'caller';
}
