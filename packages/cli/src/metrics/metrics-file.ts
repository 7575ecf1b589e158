import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Gauge, Registry } from 'prom-client';
import type { RunObservation } from './run-observation.js';

const LAST_SUCCESS = 'umapi_sync_last_success_timestamp_seconds';

/**
 * The Prometheus text exposition of one or more runs (one per org for `fleet run`), from a registry made for
 * this call (never prom-client's global one): every series is labelled with its `org`. `previous` is the text
 * the file held before, so an org whose run failed keeps the last-success time of the run before.
 */
export async function runMetricsText(
  runs: readonly RunObservation[],
  options: { previous?: string | undefined } = {},
): Promise<string> {
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const entries = gauge('umapi_sync_entries', 'Plan entries of the run by kind and outcome', [
    'org',
    'kind',
    'outcome',
  ]);
  const requests = gauge('umapi_sync_requests', 'Answered UMAPI requests by endpoint and HTTP status', [
    'org',
    'endpoint',
    'status',
  ]);
  const unanswered = gauge(
    'umapi_sync_unanswered_requests',
    'UMAPI requests that got no answer (connection refused, timeout)',
    ['org'],
  );
  const retries = gauge('umapi_sync_retries', 'Requests retried', ['org']);
  const throttled = gauge('umapi_sync_throttled_responses', 'HTTP 429 answers', ['org']);
  const retryAfter = gauge('umapi_sync_retry_after_seconds', 'Seconds waited because of rate limits', [
    'org',
  ]);
  const pages = gauge('umapi_sync_pages_read', 'Listing pages read from the org', ['org', 'listing']);
  const held = gauge('umapi_sync_held_entries', 'Destructive entries held by the safety limits', ['org']);
  const duration = gauge('umapi_sync_duration_seconds', 'How long the run took', ['org']);
  const exitCode = gauge('umapi_sync_exit_code', 'Exit code of the run (0 ok; umapi help exit-codes)', [
    'org',
  ]);
  const lastRun = gauge('umapi_sync_last_run_timestamp_seconds', 'When the run ended (Unix time)', ['org']);
  const lastSuccess = gauge(LAST_SUCCESS, 'When a run of this org last ended with exit code 0 (Unix time)', [
    'org',
  ]);
  const carried = previousSuccesses(options.previous ?? '');
  for (const run of runs) {
    const org = run.org ?? 'unknown';
    const byState = new Map<string, number>();
    for (const entry of run.report?.entries ?? []) {
      const key = `${entry.kind}\u0000${entry.state}`;
      byState.set(key, (byState.get(key) ?? 0) + 1);
    }
    for (const [key, count] of byState) {
      const [kind = '', outcome = ''] = key.split('\u0000');
      entries.set({ org, kind, outcome }, count);
    }
    for (const { endpoint, status, count } of run.requests.values()) {
      requests.set({ org, endpoint, status: String(status) }, count);
    }
    unanswered.set({ org }, run.failedRequests);
    retries.set({ org }, run.retries);
    throttled.set({ org }, run.throttled);
    retryAfter.set({ org }, run.retryAfterSeconds);
    pages.set({ org, listing: 'users' }, run.pagesRead.users);
    pages.set({ org, listing: 'groups' }, run.pagesRead.groups);
    held.set({ org }, run.report?.counts.held ?? 0);
    duration.set({ org }, run.durationMs / 1000);
    exitCode.set({ org }, run.exitCode ?? 1);
    const ended = (run.finishedAt ?? run.startedAt) / 1000;
    lastRun.set({ org }, ended);
    const success = run.exitCode === 0 ? ended : carried.get(org);
    if (success !== undefined) lastSuccess.set({ org }, success);
  }
  return registry.metrics();
}

/** The last-success times an earlier file recorded, by org. */
function previousSuccesses(text: string): Map<string, number> {
  const found = new Map<string, number>();
  const line = new RegExp(`^${LAST_SUCCESS}\\{org="((?:[^"\\\\]|\\\\.)*)"\\} (\\S+)$`, 'gm');
  for (const match of text.matchAll(line)) {
    const value = Number(match[2]);
    if (match[1] !== undefined && Number.isFinite(value)) found.set(match[1].replace(/\\(.)/g, '$1'), value);
  }
  return found;
}

/**
 * Writes the metrics as node_exporter's textfile collector wants them: whole or not at all (a temporary file
 * beside it, not ending in .prom so the collector never reads it half-written, then renamed over the old one).
 */
export async function writeMetricsFile(path: string, runs: readonly RunObservation[]): Promise<void> {
  let previous: string | undefined;
  try {
    previous = await readFile(path, 'utf8');
  } catch {
    previous = undefined; // the first run: nothing to carry over
  }
  const text = await runMetricsText(runs, { previous });
  const temporary = join(dirname(path), `.${basename(path)}.${String(process.pid)}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o644 });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
