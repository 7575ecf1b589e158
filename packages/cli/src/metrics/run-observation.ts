import type { RetryEvent } from '@umapi-kit/client';
import type { RunReport, SyncConfig } from '@umapi-kit/sync';

/** Which of the API's budgets a request spent, from its path. */
export type RequestEndpoint = 'action' | 'users' | 'groups' | 'other';

function endpointOf(path: string): RequestEndpoint {
  if (/^\/?action\//.test(path)) return 'action';
  if (/^\/?users\//.test(path)) return 'users';
  if (/^\/?groups\//.test(path)) return 'groups';
  return 'other';
}

/**
 * What one command run did, as the metrics and the alerts report it: the client's requests (by endpoint and
 * status, from its log lines), its retries and the Retry-After waits, the listing pages read, the sync config
 * (for its `notify:` section) and the run report. Filled as the run goes; read once it ends.
 */
export class RunObservation {
  readonly startedAt: number;
  /** The org the run talked to, once the client knows it (or the fleet's name for it). */
  org: string | undefined;
  /** Answered requests, by endpoint and HTTP status. */
  readonly requests = new Map<string, { endpoint: RequestEndpoint; status: number; count: number }>();
  /** Requests that got no answer (connection refused, timeout). */
  failedRequests = 0;
  retries = 0;
  /** 429 answers. */
  throttled = 0;
  /** Seconds waited because a 429 said so (Retry-After) or the backoff of a rate limit asked. */
  retryAfterSeconds = 0;
  readonly pagesRead: Record<'users' | 'groups', number> = { users: 0, groups: 0 };
  config: SyncConfig | undefined;
  report: RunReport | undefined;
  /** The sync's exit code and when it ended, set by `finish`. */
  exitCode: number | undefined;
  finishedAt: number | undefined;
  /** Why the command failed, when it did (the error's one line). */
  failure: string | undefined;
  /** The command wrote --metrics-file itself (`fleet run`: one file for all its orgs). */
  metricsWritten = false;

  constructor(startedAt: number) {
    this.startedAt = startedAt;
  }

  /** A line the client logged: counts the request it describes. */
  clientLog(message: string, fields: Record<string, unknown> | undefined): void {
    if (fields === undefined || typeof fields['path'] !== 'string') return;
    if (message === 'umapi request failed') {
      this.failedRequests += 1;
      return;
    }
    if (message !== 'umapi request' || typeof fields['status'] !== 'number') return;
    const endpoint = endpointOf(fields['path']);
    const status = fields['status'];
    const key = `${endpoint} ${String(status)}`;
    const entry = this.requests.get(key) ?? { endpoint, status, count: 0 };
    entry.count += 1;
    this.requests.set(key, entry);
    if (status === 429) this.throttled += 1;
    if (status === 200 && fields['method'] === 'GET' && (endpoint === 'users' || endpoint === 'groups')) {
      this.pagesRead[endpoint] += 1;
    }
  }

  retry(event: RetryEvent): void {
    this.retries += 1;
    if (event.reason === 'rate-limited' || event.status === 429)
      this.retryAfterSeconds += event.delayMs / 1000;
  }

  /** Every request answered or not. */
  get requestCount(): number {
    let total = this.failedRequests;
    for (const entry of this.requests.values()) total += entry.count;
    return total;
  }

  finish(exitCode: number, now: number, failure?: string): void {
    this.exitCode = exitCode;
    this.finishedAt = now;
    if (failure !== undefined) this.failure = failure;
  }

  get durationMs(): number {
    return (this.finishedAt ?? this.startedAt) - this.startedAt;
  }

  /** The figures as plain JSON (what an org's `umapi` process hands back to `fleet run`). */
  toRecord(): RunRecord {
    const record: RunRecord = {
      requests: [...this.requests.values()],
      failedRequests: this.failedRequests,
      retries: this.retries,
      throttled: this.throttled,
      retryAfterSeconds: this.retryAfterSeconds,
      pagesRead: { ...this.pagesRead },
    };
    if (this.org !== undefined) record.org = this.org;
    if (this.report !== undefined) record.report = this.report;
    if (this.failure !== undefined) record.failure = this.failure;
    return record;
  }

  /** Takes the figures of a record another process wrote. */
  absorb(record: RunRecord): void {
    for (const entry of record.requests)
      this.requests.set(`${entry.endpoint} ${String(entry.status)}`, { ...entry });
    this.failedRequests = record.failedRequests;
    this.retries = record.retries;
    this.throttled = record.throttled;
    this.retryAfterSeconds = record.retryAfterSeconds;
    this.pagesRead.users = record.pagesRead.users;
    this.pagesRead.groups = record.pagesRead.groups;
    if (record.report !== undefined) this.report = record.report;
    if (record.failure !== undefined) this.failure = record.failure;
  }
}

/** `RunObservation` as JSON. */
export interface RunRecord {
  org?: string;
  requests: { endpoint: RequestEndpoint; status: number; count: number }[];
  failedRequests: number;
  retries: number;
  throttled: number;
  retryAfterSeconds: number;
  pagesRead: { users: number; groups: number };
  report?: RunReport;
  failure?: string;
}

/**
 * The variable through which `fleet run` asks an org's `umapi sync run` process for its figures: the file it
 * names gets the run's `RunRecord` (owner-only) when the command ends.
 */
export const RUN_RECORD_VARIABLE = 'UMAPI_FLEET_RUN_RECORD';
