import type { ServerResponse } from 'node:http';
import {
  oauthServerToServer,
  UmapiClient,
  type RequestGate,
  type RetryEvent,
  type UmapiClientOptions,
} from '@umapi-kit/client';
import { CaptureLogger } from './capture-logger.js';
import { FakeClock } from './fake-clock.js';
import { sendJson, startTestServer, type RecordedRequest, type TestServer } from './test-server.js';

export const CLIENT_SECRET = 'fixture-client-secret-5c1d';
export const ORG_ID = '12345ABC@AdobeOrg';

/** What the UMAPI route does for one request. */
export type Step = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang' | 'reset';

export interface Fixture {
  server: TestServer;
  /** Steps for the next UMAPI requests, in order; once empty, answers 200 `{ result: 'success' }`. */
  steps: Step[];
  client: UmapiClient;
  clock: FakeClock;
  logger: CaptureLogger;
  events: RetryEvent[];
  gateCalls: string[];
  imsRequests(): RecordedRequest[];
  umapiRequests(): RecordedRequest[];
  close(): Promise<void>;
}

/** One real server playing IMS (`/ims/...`, token `access-N`) and UMAPI (`/v2/usermanagement/...`). */
export async function startFixture(options: Partial<UmapiClientOptions> = {}): Promise<Fixture> {
  const steps: Step[] = [];
  let issued = 0;
  const server = await startTestServer((request, response: ServerResponse, raw) => {
    if (request.url.startsWith('/ims/')) {
      issued += 1;
      sendJson(response, 200, { access_token: `access-${issued}`, token_type: 'bearer', expires_in: 86_399 });
      return;
    }
    if (request.url === '/status') {
      sendJson(response, 200, { build: '1', version: '2.1.54', state: 'LIVE' });
      return;
    }
    const step = steps.shift() ?? { status: 200, body: { result: 'success' } };
    if (step === 'hang') return;
    if (step === 'reset') {
      raw.socket.destroy();
      return;
    }
    sendJson(response, step.status, step.body, {
      'X-Request-Id': String(request.headers['x-request-id']),
      ...step.headers,
    });
  });
  const clock = new FakeClock();
  const logger = new CaptureLogger();
  const events: RetryEvent[] = [];
  const gateCalls: string[] = [];
  const gate: RequestGate = {
    acquire: (endpointClass) => {
      gateCalls.push(`acquire:${endpointClass}`);
      return Promise.resolve(() => {
        gateCalls.push(`answered:${endpointClass}`);
      });
    },
    throttled: (endpointClass, retryAfterMs) => {
      gateCalls.push(`throttled:${endpointClass}:${retryAfterMs}`);
    },
  };
  const client = new UmapiClient({
    orgId: ORG_ID,
    credentials: oauthServerToServer({
      clientId: 'client-1',
      clientSecret: CLIENT_SECRET,
      imsUrl: server.url,
      clock,
    }),
    endpoint: `${server.url}/v2/usermanagement`,
    clock,
    logger,
    pacing: gate,
    onRetry: (event) => events.push(event),
    ...options,
  });
  return {
    server,
    steps,
    client,
    clock,
    logger,
    events,
    gateCalls,
    imsRequests: () => server.requests.filter((request) => request.url.startsWith('/ims/')),
    umapiRequests: () => server.requests.filter((request) => request.url.startsWith('/v2/')),
    close: () => server.close(),
  };
}
