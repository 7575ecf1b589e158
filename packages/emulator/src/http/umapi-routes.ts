import { Hono } from 'hono';
import type { Context } from 'hono';
import { executeActions } from '../engine/execute-actions.js';
import type { EngineResponse } from '../engine/engine-response.js';
import { getUser, listGroups, listUsers } from '../engine/queries.js';
import type { AppEnv, EmulatorState } from './emulator-state.js';
import { guardUmapiRequest } from './request-guard.js';
import { jsonResponse } from './responses.js';

export const UMAPI_BASE_PATH = '/v2/usermanagement';

function fromEngine(result: EngineResponse): Response {
  return jsonResponse(result.status, result.body, result.headers ?? {});
}

/** Copies the query parameters the engine understands, leaving absent ones out (exactOptionalPropertyTypes). */
function queryOptions<K extends string>(c: Context<AppEnv>, names: readonly K[]): Partial<Record<K, string>> {
  const options: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = c.req.query(name);
    if (value !== undefined) options[name] = value;
  }
  return options;
}

/** The UMAPI routes under /v2/usermanagement; the engine answers, this adds auth and throttling around it. */
export function umapiRoutes(state: EmulatorState): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });

  app.post('/action/:orgId', async (c) => {
    const orgId = c.req.param('orgId');
    const denied = guardUmapiRequest(c, state, 'action', orgId);
    if (denied) return denied;
    const body = await c.req.text();
    const testOnly = (c.req.query('testOnly') ?? '').toLowerCase() === 'true';
    return fromEngine(executeActions(state.db(), orgId, body, { testOnly }));
  });

  app.get('/users/:orgId/:page/:groupName', (c) => {
    const orgId = c.req.param('orgId');
    const denied = guardUmapiRequest(c, state, 'userRead', orgId);
    if (denied) return denied;
    const options = queryOptions(c, ['domain', 'directOnly', 'status', 'excludeGroups'] as const);
    return fromEngine(
      listUsers(state.db(), orgId, c.req.param('page'), {
        ...options,
        groupName: c.req.param('groupName'),
        pageSize: state.pageSizeUsers,
      }),
    );
  });

  app.get('/users/:orgId/:page', (c) => {
    const orgId = c.req.param('orgId');
    const denied = guardUmapiRequest(c, state, 'userRead', orgId);
    if (denied) return denied;
    const options = queryOptions(c, ['domain', 'directOnly', 'status', 'excludeGroups'] as const);
    return fromEngine(
      listUsers(state.db(), orgId, c.req.param('page'), { ...options, pageSize: state.pageSizeUsers }),
    );
  });

  app.get('/organizations/:orgId/users/:userString{.+}', (c) => {
    const orgId = c.req.param('orgId');
    const denied = guardUmapiRequest(c, state, 'userRead', orgId);
    if (denied) return denied;
    return fromEngine(
      getUser(state.db(), orgId, c.req.param('userString'), queryOptions(c, ['domain'] as const)),
    );
  });

  app.get('/groups/:orgId/:page', (c) => {
    const orgId = c.req.param('orgId');
    const denied = guardUmapiRequest(c, state, 'groupRead', orgId);
    if (denied) return denied;
    return fromEngine(listGroups(state.db(), orgId, c.req.param('page'), { pageSize: state.pageSizeGroups }));
  });

  return app;
}
