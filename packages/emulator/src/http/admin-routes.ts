import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { parseFaultConfig } from '../faults/fault-config.js';
import { directoriesOf, orgExists, setDirectoryManager } from '../store/orgs.js';
import { snapshotOrg } from '../store/snapshot.js';
import { parseDirectoryManager } from './directory-manager.js';
import type { AppEnv, EmulatorState } from './emulator-state.js';
import { readJsonBody } from './read-json-body.js';
import { jsonResponse } from './responses.js';

function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** `/_emulator/...`: state, faults, request log and reset, behind `Authorization: Bearer <admin token>`. */
export function adminRoutes(state: EmulatorState): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ strict: false });

  app.use('*', async (c, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    if (match?.[1] === undefined || !sameSecret(match[1], state.adminToken)) {
      return jsonResponse(401, {
        error: 'unauthorized',
        message: 'Admin endpoints need Authorization: Bearer <admin token printed when the emulator started>',
      });
    }
    await next();
    return undefined;
  });

  app.get('/state', (c) => {
    const orgId = c.req.query('orgId') ?? state.defaultOrgId;
    if (orgId === undefined) {
      return jsonResponse(400, {
        error: 'bad_request',
        message: 'orgId query parameter is required (no demo org)',
      });
    }
    return jsonResponse(200, snapshotOrg(state.db(), orgId));
  });

  app.get('/directories', (c) => {
    const orgId = c.req.query('orgId') ?? state.defaultOrgId;
    if (orgId === undefined || !orgExists(state.db(), orgId)) {
      return jsonResponse(orgId === undefined ? 400 : 404, {
        error: orgId === undefined ? 'bad_request' : 'not_found',
        message: orgId === undefined ? 'orgId query parameter is required (no demo org)' : `No org ${orgId}`,
      });
    }
    return jsonResponse(200, { orgId, directories: directoriesOf(state.db(), orgId) });
  });
  // Who syncs the directory claiming this domain: {"managedBy": "azure" | "google" | null}.
  app.put('/domains/:domain', async (c) => {
    const domain = c.req.param('domain');
    const body = await readJsonBody(c.req);
    const parsed = body.ok
      ? parseDirectoryManager(body.value)
      : {
          ok: false as const,
          message: 'Request body must be JSON: {"managedBy": "azure" | "google" | null}',
        };
    if (!parsed.ok) return jsonResponse(400, { error: 'bad_request', message: parsed.message });
    const { managedBy } = parsed;
    if (!setDirectoryManager(state.db(), domain, managedBy)) {
      return jsonResponse(404, { error: 'not_found', message: `No directory claims the domain ${domain}` });
    }
    return jsonResponse(200, { domain: domain.toLowerCase(), managedBy });
  });

  app.get('/faults', () => jsonResponse(200, state.faults.get()));
  app.put('/faults', async (c) => {
    const body = await readJsonBody(c.req);
    if (!body.ok) {
      return jsonResponse(400, { error: 'bad_request', message: 'Request body must be a JSON fault config' });
    }
    try {
      state.faults.set(parseFaultConfig(body.value, 'body'));
    } catch (error) {
      return jsonResponse(400, { error: 'bad_request', message: (error as Error).message });
    }
    return jsonResponse(200, state.faults.get());
  });
  app.delete('/faults', () => {
    state.faults.clear();
    return jsonResponse(200, state.faults.get());
  });

  app.get('/requests', () => jsonResponse(200, state.requestLog));
  app.post('/reset', () => {
    state.reset();
    return jsonResponse(200, { reset: true });
  });
  return app;
}
