import type { Context } from 'hono';
import { orgExists } from '../store/orgs.js';
import { findToken } from '../store/tokens.js';
import type { ThrottledClass } from '../throttle/limits.js';
import type { PageZeroListing } from '../throttle/page-zero-rule.js';
import { formatRetryAfter } from '../throttle/sliding-window-throttle.js';
import type { AppEnv, EmulatorState } from './emulator-state.js';
import { jsonResponse } from './responses.js';

const UNAUTHORIZED_HEADERS = {
  'WWW-Authenticate':
    'Bearer realm="JIL", error="invalid_token", error_description="The access token is invalid"',
};

function unauthorized(message: string): Response {
  return jsonResponse(401, { result: 'error.unauthorized', message }, UNAUTHORIZED_HEADERS);
}

/**
 * Auth and throttling in front of every UMAPI call. Returns a refusal, or undefined when the call may proceed.
 * Order: bearer token (401), X-Api-Key = the token's client id (403), token's org = path org (401: the docs list
 * "invalid organization" under 401), then the sliding-window budget (429).
 */
export function guardUmapiRequest(
  c: Context<AppEnv>,
  state: EmulatorState,
  cls: ThrottledClass,
  orgId: string,
  pageZero?: PageZeroListing,
): Response | undefined {
  const authorization = c.req.header('authorization') ?? '';
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  const token = match?.[1] === undefined ? undefined : findToken(state.db(), match[1]);
  if (token === undefined || token.expiresAt <= state.now()) {
    return unauthorized('Failed to authenticate provided token');
  }
  const apiKey = c.req.header('x-api-key');
  if (apiKey !== token.clientId)
    return jsonResponse(403, { error_code: '403003', message: 'Api Key is invalid' });
  c.env.meta.clientId = token.clientId;
  if (token.orgId !== orgId || !orgExists(state.db(), orgId)) {
    return unauthorized('Failed to authenticate provided token');
  }
  // An org the page-0 rule blocked: every call is refused until the block ends.
  const blocked = state.pageZero?.blockedFor(orgId) ?? 0;
  if (blocked > 0) return tooManyRequests(state, blocked);
  if (state.throttle !== undefined) {
    const decision = state.throttle.admit(cls, token.clientId, orgId);
    if (!decision.allowed) return tooManyRequests(state, decision.retryAfterMs);
  }
  if (pageZero !== undefined && state.pageZero !== undefined) {
    const block = state.pageZero.readPageZero(orgId, pageZero);
    if (block > 0) return tooManyRequests(state, block);
  }
  return undefined;
}

/** 429 as UMAPI sends it, with Retry-After for `retryAfterMs` (real milliseconds). */
function tooManyRequests(state: EmulatorState, retryAfterMs: number): Response {
  const retryAfter = formatRetryAfter(retryAfterMs, {
    timeScale: state.timeScale,
    format: state.retryAfterFormat,
    now: state.now(),
  });
  return jsonResponse(
    429,
    { error_code: '429050', message: 'Too many requests' },
    { 'Retry-After': retryAfter },
  );
}
