import { Hono } from 'hono';
import type { Context } from 'hono';
import { exchangeJwt, issueClientCredentialsToken } from '../ims/issue-token.js';
import type { ImsResult, IssueContext } from '../ims/issue-token.js';
import type { AppEnv, EmulatorState } from './emulator-state.js';
import { jsonResponse } from './responses.js';

/**
 * Reads IMS parameters from the query string and a url-encoded or multipart form body (umapi-api.md §3.1: the
 * docs' curl uses the query string, the samples a form body, the Postman collection multipart form-data).
 */
async function readParams(c: Context<AppEnv>): Promise<URLSearchParams> {
  const params = new URLSearchParams(new URL(c.req.url).search);
  const contentType = (c.req.header('content-type') ?? '').toLowerCase();
  if (contentType.startsWith('multipart/form-data')) {
    const form = await c.req.parseBody();
    for (const [key, value] of Object.entries(form)) {
      if (typeof value === 'string') params.set(key, value);
    }
  } else {
    const text = await c.req.text();
    if (text !== '') for (const [key, value] of new URLSearchParams(text)) params.set(key, value);
  }
  return params;
}

/** IMS token endpoints: OAuth S2S (`/ims/token/v2`, `/ims/token/v3`) and the JWT exchange. */
export function imsRoutes(state: EmulatorState): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });
  const context = (c: Context<AppEnv>): IssueContext => ({
    db: state.db(),
    nowMs: state.now(),
    tokenLifetimeSeconds: state.tokenLifetimeSeconds,
    requestHost: c.req.header('host') ?? new URL(c.req.url).host,
  });

  /** A token endpoint: reads the parameters, lets IMS answer, and records whose token it issued. */
  const tokenEndpoint =
    (issue: (ctx: IssueContext, params: URLSearchParams) => ImsResult) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      await c.env.meta.hold();
      const params = await readParams(c);
      const result = issue(context(c), params);
      const clientId = params.get('client_id');
      if (result.status === 200 && clientId !== null) c.env.meta.clientId = clientId;
      return jsonResponse(result.status, result.body);
    };
  const clientCredentials = tokenEndpoint(issueClientCredentialsToken);
  app.post('/token/v2', clientCredentials);
  app.post('/token/v3', clientCredentials);
  app.post('/exchange/jwt', tokenEndpoint(exchangeJwt));
  return app;
}
