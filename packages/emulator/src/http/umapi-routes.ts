import { Hono } from 'hono';
import type { Context } from 'hono';
import type { EngineResponse } from '../engine/engine-response.js';
import { executeActions } from '../engine/execute-actions.js';
import { getUser, listGroups, listUsers } from '../engine/queries.js';
import type { ThrottledClass } from '../throttle/limits.js';
import type { PageZeroListing } from '../throttle/page-zero-rule.js';
import type { AppEnv, EmulatorState } from './emulator-state.js';
import { guardUmapiRequest } from './request-guard.js';
import { jsonResponse } from './responses.js';

export const UMAPI_BASE_PATH = '/v2/usermanagement';

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

  /**
   * A route of one endpoint class: auth and throttling first, at the instant the request arrives (as a real
   * server counts it), then any injected latency, then the engine's answer (or the refusal).
   */
  const guarded =
    (
      cls: ThrottledClass,
      answer: (c: Context<AppEnv>, orgId: string) => EngineResponse | Promise<EngineResponse>,
      /** The listing whose page 0 the page-0 rule watches (the org's whole users or groups listing). */
      listing?: PageZeroListing,
    ) =>
    async (c: Context<AppEnv>): Promise<Response> => {
      const orgId = c.req.param('orgId') ?? '';
      const pageZero =
        listing !== undefined && c.req.param('groupName') === undefined && c.req.param('page') === '0'
          ? listing
          : undefined;
      const denied = guardUmapiRequest(c, state, cls, orgId, pageZero);
      await c.env.meta.hold();
      if (denied) return denied;
      const result = await answer(c, orgId);
      return jsonResponse(result.status, result.body, result.headers ?? {});
    };

  app.post(
    '/action/:orgId',
    guarded('action', async (c, orgId) => {
      const body = await c.req.text();
      const testOnly = (c.req.query('testOnly') ?? '').toLowerCase() === 'true';
      return executeActions(state.db(), orgId, body, { testOnly });
    }),
  );

  const users = guarded(
    'userRead',
    (c, orgId) => {
      const groupName = c.req.param('groupName');
      return listUsers(state.db(), orgId, c.req.param('page') ?? '', {
        ...queryOptions(c, ['domain', 'directOnly', 'status', 'excludeGroups'] as const),
        ...(groupName === undefined ? {} : { groupName }),
        pageSize: state.pageSizeUsers,
      });
    },
    'users',
  );
  app.get('/users/:orgId/:page/:groupName', users);
  app.get('/users/:orgId/:page', users);

  app.get(
    '/organizations/:orgId/users/:userString{.+}',
    guarded('userRead', (c, orgId) =>
      getUser(state.db(), orgId, c.req.param('userString') ?? '', queryOptions(c, ['domain'] as const)),
    ),
  );

  app.get(
    '/groups/:orgId/:page',
    guarded(
      'groupRead',
      (c, orgId) =>
        listGroups(state.db(), orgId, c.req.param('page') ?? '', { pageSize: state.pageSizeGroups }),
      'groups',
    ),
  );

  return app;
}
