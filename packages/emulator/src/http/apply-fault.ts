import type { FaultRule } from '../faults/fault-config.js';
import type { RequestClass } from '../faults/fault-injector.js';
import { readJsonBody } from './read-json-body.js';
import { jsonResponse, resetResponse } from './responses.js';

const STATUS_BODIES: Record<string, unknown> = {
  '500': { error_code: '500000', message: 'Internal server error (injected fault)' },
  '502': { error_code: '502000', message: 'Bad gateway (injected fault)' },
  '503': { error_code: '503000', message: 'Service unavailable (injected fault)' },
  '504': { error_code: '504000', message: 'Gateway timeout (injected fault)' },
};

function waitForAbort(signals: readonly AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    if (signals.some((s) => s.aborted)) {
      resolve();
      return;
    }
    for (const signal of signals)
      signal.addEventListener(
        'abort',
        () => {
          resolve();
        },
        { once: true },
      );
  });
}

/** Waits out a latency fault (the routes call it once the request is admitted: see RequestMeta.hold). */
export function latencyOf(rule: FaultRule | undefined): () => Promise<void> {
  let held: Promise<void> | undefined;
  return () =>
    (held ??=
      rule?.fault === 'latency'
        ? new Promise((resolve) => setTimeout(resolve, rule.latencyMs ?? 1000))
        : Promise.resolve());
}

/**
 * Faults that replace the request before it is handled; undefined lets it through (`latency` is served by
 * latencyOf). `hang` waits until the client gives up (its AbortSignal) or the emulator closes.
 */
export async function applyFaultBefore(
  rule: FaultRule,
  cls: RequestClass,
  signals: readonly AbortSignal[],
): Promise<Response | undefined> {
  switch (rule.fault) {
    case 'hang':
      await waitForAbort(signals);
      return resetResponse();
    case 'reset':
      return resetResponse();
    case '429':
      return jsonResponse(
        429,
        { error_code: '429050', message: 'Too many requests' },
        { 'Retry-After': rule.retryAfter ?? '1' },
      );
    case '500':
    case '502':
    case '503':
    case '504':
      return jsonResponse(Number(rule.fault), STATUS_BODIES[rule.fault]);
    case '404':
      if (cls === 'userRead' || cls === 'groupRead') {
        return jsonResponse(404, { lastPage: true, result: 'Not found' });
      }
      return jsonResponse(404, { error_code: '404000', message: 'Not found (injected fault)' });
    default:
      return undefined;
  }
}

/**
 * Faults that damage a handled response: truncation, short or empty list pages, an action lost after commit.
 * Returns the damaged response, or undefined when the rule leaves this answer as it is.
 */
export async function applyFaultAfter(
  rule: FaultRule,
  cls: RequestClass,
  response: Response,
): Promise<Response | undefined> {
  switch (rule.fault) {
    case 'truncate': {
      const text = await response.text();
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(text.slice(0, Math.floor(text.length / 2)), { status: response.status, headers });
    }
    case 'applied-then-lost': {
      // Only an answer that applied something can be lost after the fact: a 2xx action answer with at least one
      // completed command. A refused request (400, 401, 403, 429, ...) or one whose every command failed (200 with
      // `completed: 0`, e.g. an email already in use) applied nothing, so its answer passes unchanged.
      if (cls !== 'action' || response.status < 200 || response.status > 299) return undefined;
      const read = await readJsonBody(response.clone());
      const completed = read.ok ? (read.value as { completed?: unknown } | null)?.completed : undefined;
      if (typeof completed !== 'number' || completed < 1) return undefined;
      return rule.lostAs === '502' ? jsonResponse(502, STATUS_BODIES['502']) : resetResponse();
    }
    case 'short-page':
    case 'empty-page': {
      if (response.status !== 200 || (cls !== 'userRead' && cls !== 'groupRead')) return undefined;
      const read = await readJsonBody(response.clone());
      if (!read.ok || typeof read.value !== 'object' || read.value === null) return undefined;
      const body = read.value as Record<string, unknown>;
      const key = Array.isArray(body['users'])
        ? 'users'
        : Array.isArray(body['groups'])
          ? 'groups'
          : undefined;
      if (key === undefined) return undefined;
      const items = body[key] as unknown[];
      const damaged =
        rule.fault === 'empty-page'
          ? { ...body, [key]: [], lastPage: true }
          : { ...body, [key]: items.slice(0, Math.floor(items.length / 2)) };
      const headers = new Headers(response.headers);
      headers.delete('content-length');
      return new Response(JSON.stringify(damaged), { status: 200, headers });
    }
    default:
      return undefined;
  }
}
