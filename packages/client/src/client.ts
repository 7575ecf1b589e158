import { TokenCache } from './auth/token-cache.js';
import type { AccessToken, Credentials } from './auth/credentials.js';
import { execute, type ExecuteRunOptions } from './actions/execute.js';
import type { Action, ExecuteResult } from './actions/types.js';
import { ApiError, ValidationError } from './errors.js';
import { createSenderPool, type SenderPoolOptions } from './pacing/credential-pool.js';
import { createPacer } from './pacing/pacer.js';
import { getUser } from './queries/get-user.js';
import { listGroups } from './queries/list-groups.js';
import { listUsers } from './queries/list-users.js';
import type { Group, Listing, User, UserListOptions } from './queries/types.js';
import { silentLogger, type Logger } from './logger.js';
import { Redactor } from './redact.js';
import { HttpTransport } from './transport/http-transport.js';
import { parseJsonBody } from './transport/json-body.js';
import { passThroughGate } from './transport/pass-through-gate.js';
import { newRequestId, userAgent } from './transport/request-headers.js';
import { retryPolicy, type RetryOptions } from './transport/retry-policy.js';
import { sendWithTimeout } from './transport/send-with-timeout.js';
import { singleSender } from './transport/single-sender.js';
import { systemClock } from './transport/system-clock.js';
import type {
  ApiResponse,
  Burst,
  Clock,
  EndpointClass,
  RequestGate,
  RequestOptions,
  Requester,
  RetryEvent,
  Sender,
  Senders,
} from './transport/types.js';
import type { GetUserOptions, GroupListOptions, UmapiService } from './umapi-service.js';

export const DEFAULT_ENDPOINT = 'https://usermanagement.adobe.io/v2/usermanagement';
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_MAX_RETRIES = 3;

export interface UmapiClientOptions {
  /** The organization id, `xxxx@AdobeOrg`. */
  orgId: string;
  /**
   * One integration's credentials, or a pool of several integrations of the org: then each is paced at its own
   * per-client budget and all together at the org's global one (`credentialPool`), and one whose credentials are
   * refused is taken out while the others go on.
   */
  credentials: Credentials | readonly Credentials[];
  /** Budgets of a credential pool (default: documented per-client budgets, and 100/min for the org). */
  credentialPool?: Omit<SenderPoolOptions, 'clock'>;
  /** Default `https://usermanagement.adobe.io/v2/usermanagement`. */
  endpoint?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Timeout of one attempt. Default 120 000 ms. */
  timeoutMs?: number;
  /** Overall limit for one request, retries and waits included. Default: none. */
  deadlineMs?: number;
  /**
   * Retries after the first attempt on 429/502/503/504, connection errors and timeouts, for UMAPI and for the
   * IMS token requests alike. Default 3.
   */
  maxRetries?: number;
  retry?: RetryOptions;
  /**
   * The request gate: by default a pacer at the documented per-client budgets (actions 10/min, user reads
   * 25/min, group reads 5/min); pass `createPacer({ budgets })` to change them, or false for none.
   */
  pacing?: RequestGate | false;
  /** Actions are validated by the server but not applied (`?testOnly=true`). Default false. */
  testOnly?: boolean;
  /**
   * How many technical accounts (API integrations) the org has, at least the one this client signs in as. The
   * org's user listing counts them in `X-Total-Count` but never returns them (umapi-api.md §6.1), so a listing
   * may end this many short and no more; any larger shortfall is an `IncompleteListingError`. Default 1.
   */
  technicalAccounts?: number;
  /** Product token put before `umapi-kit/<version>` in the User-Agent. */
  userAgent?: string;
  logger?: Logger;
  /** Aborts every request of this client. */
  signal?: AbortSignal;
  clock?: Clock;
  onRetry?: (event: RetryEvent) => void;
}

/** The UMAPI client: every request goes through one transport (auth, retries, pacing, logging). */
export class UmapiClient implements Requester, UmapiService {
  readonly orgId: string;
  readonly testOnly: boolean;
  readonly endpoint: string;
  readonly credentials: Credentials;
  protected readonly tokens: TokenCache;
  protected readonly transport: HttpTransport;
  readonly #options: UmapiClientOptions;
  readonly #technicalAccounts: number;

  constructor(options: UmapiClientOptions) {
    if (typeof options.orgId !== 'string' || !/^[^@\s]+@AdobeOrg$/.test(options.orgId)) {
      throw new ValidationError({
        path: 'orgId',
        rule: 'format',
        detail: `must look like 12345ABC@AdobeOrg, got ${JSON.stringify(options.orgId)}`,
      });
    }
    this.endpoint = validEndpoint(options.endpoint ?? DEFAULT_ENDPOINT);
    checkCount(options.timeoutMs, 'timeoutMs', 1);
    checkCount(options.deadlineMs, 'deadlineMs', 1);
    checkCount(options.maxRetries, 'maxRetries', 0);
    checkCount(options.technicalAccounts, 'technicalAccounts', 1);
    this.#options = options;
    this.#technicalAccounts = options.technicalAccounts ?? 1;
    this.orgId = options.orgId;
    this.testOnly = options.testOnly ?? false;
    const pool = credentialList(options.credentials);
    this.credentials = pool[0] as Credentials;
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    const redactor = new Redactor();
    for (const credentials of pool) for (const secret of credentials.secrets?.() ?? []) redactor.add(secret);
    const policy = retryPolicy(options.retry, options.maxRetries ?? DEFAULT_MAX_RETRIES, options.deadlineMs);
    const caches = pool.map(
      (credentials) =>
        new TokenCache(credentials, {
          clock,
          logger,
          policy,
          ...(options.onRetry === undefined ? {} : { onRetry: options.onRetry }),
        }),
    );
    const senders: Sender[] = caches.map((tokens, index) => ({
      clientId: (pool[index] as Credentials).clientId,
      tokens,
    }));
    this.tokens = caches[0] as TokenCache;
    this.transport = new HttpTransport({
      endpoint: this.endpoint,
      senders: sendersOf(senders, options, clock),
      fetch: options.fetch ?? globalThis.fetch,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      policy,
      userAgent: userAgent(options.userAgent),
      logger,
      redactor,
      clock,
      signal: options.signal,
      onRetry: options.onRetry,
    });
  }

  /** Sends one UMAPI request (path below the endpoint) through the transport. */
  request<T = unknown>(options: RequestOptions): Promise<ApiResponse<T>> {
    return this.transport.request<T>(options);
  }

  /** What pacing lets through at once in the class, over every integration of a pool (undefined: not paced). */
  burstOf(endpointClass: EndpointClass): Burst | undefined {
    return this.transport.burstOf(endpointClass);
  }

  /**
   * Sends actions (array or async iterable) in requests of at most 10 entries, splitting long lists and long
   * commands, and returns one outcome per action. A partial failure is a result, not an exception.
   */
  execute(
    actions: Iterable<Action> | AsyncIterable<Action>,
    options: ExecuteRunOptions = {},
  ): Promise<ExecuteResult> {
    return execute(this, actions, { testOnly: this.testOnly, ...options });
  }

  /** User queries: `list()` streams every user (or a group's members) and throws rather than truncate. */
  readonly users = {
    list: (options: UserListOptions & { concurrency?: number } = {}): Listing<User> =>
      listUsers(this, { ...options, technicalAccounts: this.#technicalAccounts }),
    get: (userString: string, options: GetUserOptions = {}): Promise<User | null> =>
      getUser(this, userString, options),
  };

  /** User groups, product profiles and admin groups. */
  readonly groups = {
    list: (options: GroupListOptions & { concurrency?: number } = {}): Listing<Group> =>
      listGroups(this, options),
  };

  /** A valid access token (cached; refreshed before it expires). */
  getAccessToken(): Promise<AccessToken> {
    return this.tokens.getToken(this.#options.signal);
  }

  /** The undocumented service status: `GET {scheme+host of endpoint}/status`, no auth, e.g. `{ state: 'LIVE' }`. */
  async status(): Promise<unknown> {
    const url = `${new URL(this.endpoint).origin}/status`;
    const requestId = newRequestId();
    const timeoutMs = this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const { response, text } = await sendWithTimeout(
      this.#options.fetch ?? globalThis.fetch,
      url,
      {
        method: 'GET',
        headers: {
          Accept: 'application/json',
          'User-Agent': userAgent(this.#options.userAgent),
          'X-Request-Id': requestId,
        },
      },
      timeoutMs,
      this.#options.signal,
    );
    const body = parseJsonBody(text);
    if (!response.ok) {
      throw ApiError.from(`GET /status failed: HTTP ${response.status}`, {
        status: response.status,
        body,
        headers: response.headers,
        requestId,
        method: 'GET',
        path: '/status',
      });
    }
    return body;
  }
}

function credentialList(credentials: Credentials | readonly Credentials[]): readonly Credentials[] {
  const list = isCredentialList(credentials) ? credentials : [credentials];
  if (list.length === 0) {
    throw new ValidationError({
      path: 'credentials',
      rule: 'required',
      detail: 'a credential pool needs at least one integration',
    });
  }
  const ids = new Set(list.map((item) => item.clientId));
  if (ids.size !== list.length) {
    throw new ValidationError({
      path: 'credentials',
      rule: 'format',
      detail: 'each integration of a credential pool must have its own client id',
    });
  }
  return list;
}

function isCredentialList(
  credentials: Credentials | readonly Credentials[],
): credentials is readonly Credentials[] {
  return Array.isArray(credentials);
}

/** One integration through the pacing gate, or a pool of them paced each and together. */
function sendersOf(senders: readonly Sender[], options: UmapiClientOptions, clock: Clock): Senders {
  if (senders.length === 1) {
    const gate = options.pacing === false ? passThroughGate : (options.pacing ?? createPacer({ clock }));
    return singleSender(senders[0] as Sender, gate);
  }
  if (options.pacing !== undefined && options.pacing !== false) {
    throw new ValidationError({
      path: 'pacing',
      rule: 'format',
      detail: 'a credential pool paces itself: give its budgets as credentialPool, not a pacing gate',
    });
  }
  const off = { action: false, userRead: false, groupRead: false } as const;
  return createSenderPool(senders, {
    clock,
    ...options.credentialPool,
    ...(options.pacing === false ? { budgets: off, globalBudgets: off } : {}),
  });
}

function validEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    if (url.protocol === 'https:' || url.protocol === 'http:') return endpoint.replace(/\/+$/, '');
  } catch {
    // reported below
  }
  throw new ValidationError({
    path: 'endpoint',
    rule: 'format',
    detail: `must be an http(s) URL, e.g. ${DEFAULT_ENDPOINT}`,
  });
}

function checkCount(value: number | undefined, path: string, min: number): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min) {
    throw new ValidationError({
      path,
      rule: 'format',
      detail: `must be a whole number ≥ ${min}, got ${String(value)}`,
    });
  }
}
