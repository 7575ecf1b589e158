import { Hono } from 'hono';
import type { FaultRule } from '../faults/fault-config.js';
import type { RequestClass } from '../faults/fault-injector.js';
import { adminRoutes } from './admin-routes.js';
import { applyFaultAfter, applyFaultBefore, latencyOf } from './apply-fault.js';
import type { AppEnv, EmulatorState, RequestLogEntry, RequestMeta } from './emulator-state.js';
import { imsRoutes } from './ims-routes.js';
import { generateRequestId } from './request-id.js';
import { isResetResponse, jsonResponse, resetResponse } from './responses.js';
import { UMAPI_BASE_PATH, umapiRoutes } from './umapi-routes.js';
import { VERSION } from '../version.js';

export type EmulatorHandler = (request: Request) => Promise<Response>;

const MAX_LOG_ENTRIES = 10_000;
const STATUS_BODY = { build: 'umapi-emulator', version: VERSION, state: 'LIVE' };

/** Which endpoint class a request belongs to (throttling, faults and the request log use it). */
function classifyRequest(method: string, pathname: string): RequestLogEntry['endpointClass'] {
  if (pathname.startsWith('/ims/')) return 'ims';
  if (pathname.startsWith('/_emulator/') || pathname === '/_emulator') return 'admin';
  if (pathname === '/status' || pathname === '/status/') return 'status';
  if (pathname.startsWith(`${UMAPI_BASE_PATH}/action/`)) return 'action';
  if (method === 'GET' && pathname.startsWith(`${UMAPI_BASE_PATH}/groups/`)) return 'groupRead';
  if (
    method === 'GET' &&
    (pathname.startsWith(`${UMAPI_BASE_PATH}/users/`) ||
      pathname.startsWith(`${UMAPI_BASE_PATH}/organizations/`))
  ) {
    return 'userRead';
  }
  return 'other';
}

function isFaultable(cls: RequestLogEntry['endpointClass']): cls is RequestClass {
  return cls === 'action' || cls === 'userRead' || cls === 'groupRead' || cls === 'ims';
}

/**
 * Builds the emulator's request handler: the hono router plus the transport concerns around it (request ids,
 * fault injection, request log). A connection reset comes back as a response marked with RESET_HEADER, which
 * the socket server turns into a destroyed socket and the in-process fetch into a rejected promise.
 */
export function createHandler(state: EmulatorState): EmulatorHandler {
  const app = new Hono<AppEnv>({ strict: false });
  app.get('/status', () => jsonResponse(200, STATUS_BODY));
  app.route('/ims', imsRoutes(state));
  app.route(UMAPI_BASE_PATH, umapiRoutes(state));
  app.route('/_emulator', adminRoutes(state));
  app.notFound((c) =>
    jsonResponse(404, {
      error_code: '404000',
      message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}`,
    }),
  );
  const internalError = (error: unknown): Response => {
    state.log?.(`internal error: ${error instanceof Error ? error.message : String(error)}`);
    return jsonResponse(500, { error_code: '500000', message: 'Internal server error' });
  };
  app.onError(internalError);

  return async (request) => {
    const started = Date.now();
    const pathname = new URL(request.url).pathname;
    const cls = classifyRequest(request.method, pathname);
    const requestId = request.headers.get('x-request-id') ?? generateRequestId();
    const fault: FaultRule | undefined = isFaultable(cls) ? state.faults.pick(cls) : undefined;
    const meta: RequestMeta = { hold: latencyOf(fault) };
    // The fault that changed this request, for the log: a scheduled one may leave the answer as it is.
    let applied: FaultRule | undefined;

    let response: Response | undefined;
    if (fault !== undefined && isFaultable(cls)) {
      response = await applyFaultBefore(fault, cls, [request.signal, state.closed]);
      if (response !== undefined || fault.fault === 'latency') applied = fault;
    }
    if (response === undefined) {
      try {
        response = await app.fetch(request, { meta });
      } catch (error) {
        response = internalError(error);
      }
      await meta.hold(); // for requests no route held (e.g. an unknown path)
      if (fault !== undefined && applied === undefined && isFaultable(cls)) {
        const damaged = await applyFaultAfter(fault, cls, response);
        if (damaged !== undefined) {
          response = damaged;
          applied = fault;
        }
      }
    }
    if (!isResetResponse(response)) {
      const headers = new Headers(response.headers);
      headers.set('X-Request-Id', requestId);
      response = new Response(response.body, { status: response.status, headers });
    } else {
      response = resetResponse();
    }

    const entry: RequestLogEntry = {
      time: new Date(state.now()).toISOString(),
      method: request.method,
      path: pathname,
      status: isResetResponse(response) ? 0 : response.status,
      requestId,
      endpointClass: cls,
      durationMs: Date.now() - started,
    };
    if (meta.clientId !== undefined) entry.clientId = meta.clientId;
    if (applied !== undefined) entry.fault = applied.fault;
    state.requestLog.push(entry);
    if (state.requestLog.length > MAX_LOG_ENTRIES) state.requestLog.shift();
    state.log?.(
      `${entry.method} ${entry.path} ${entry.status === 0 ? 'RESET' : entry.status} ${entry.durationMs}ms ` +
        `${requestId}${entry.fault === undefined ? '' : ` fault=${entry.fault}`}`,
    );
    return response;
  };
}
