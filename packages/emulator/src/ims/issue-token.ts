import { randomBytes } from 'node:crypto';
import type { Db } from '../store/database.js';
import { findIntegration } from '../store/integrations.js';
import { saveToken } from '../store/tokens.js';
import type { Integration } from '../store/integrations.js';
import { ImsFailure, verifyServiceAccountJwt } from './verify-jwt.js';

/** Adobe's real IMS host: clients build `aud` from it, so it is always accepted besides the Host header's host. */
const ADOBE_IMS_HOST = 'ims-na1.adobelogin.com';
const UMAPI_SCOPE = 'user_management_sdk';

export interface ImsResult {
  status: number;
  body: Record<string, unknown>;
}

export interface IssueContext {
  db: Db;
  nowMs: number;
  tokenLifetimeSeconds: number;
  /** The host (with port) the request was addressed to. */
  requestHost: string;
}

/** An opaque access token that, like Adobe's, starts with `ey`. */
function newAccessToken(): string {
  return `ey${randomBytes(48).toString('base64url')}`;
}

function failure(status: number, error: string, description: string): ImsResult {
  return { status, body: { error, error_description: description } };
}

function checkClient(db: Db, params: URLSearchParams): Integration | ImsResult {
  const clientId = params.get('client_id');
  if (clientId === null || clientId === '') return failure(400, 'invalid_client', 'client_id is missing');
  const integration = findIntegration(db, clientId);
  if (integration === undefined)
    return failure(400, 'invalid_client', 'No integration exists for this client_id');
  const secret = params.get('client_secret');
  if (secret === null || secret !== integration.clientSecret) {
    return failure(401, 'invalid_client', 'Invalid client_id or client_secret');
  }
  return integration;
}

function issue(ctx: IssueContext, integration: Integration): string {
  const accessToken = newAccessToken();
  saveToken(ctx.db, {
    accessToken,
    clientId: integration.clientId,
    orgId: integration.orgId,
    expiresAt: ctx.nowMs + ctx.tokenLifetimeSeconds * 1000,
  });
  return accessToken;
}

/** OAuth Server-to-Server (client credentials), `POST /ims/token/v2|v3`; `expires_in` is in seconds. */
export function issueClientCredentialsToken(ctx: IssueContext, params: URLSearchParams): ImsResult {
  const grantType = params.get('grant_type');
  if (grantType !== 'client_credentials') {
    return failure(400, 'unsupported_grant_type', 'grant_type must be client_credentials');
  }
  const checked = checkClient(ctx.db, params);
  if ('status' in checked) return checked;
  const scope = params.get('scope');
  if (scope !== null && !scope.split(/[,\s]+/).includes(UMAPI_SCOPE)) {
    return failure(400, 'invalid_scope', `scope must include ${UMAPI_SCOPE}`);
  }
  const accessToken = issue(ctx, checked);
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'bearer', expires_in: ctx.tokenLifetimeSeconds - 1 },
  };
}

/** Service-account JWT exchange, `POST /ims/exchange/jwt`; `expires_in` is in MILLISECONDS, as Adobe's. */
export function exchangeJwt(ctx: IssueContext, params: URLSearchParams): ImsResult {
  const checked = checkClient(ctx.db, params);
  if ('status' in checked) return checked;
  const jwt = params.get('jwt_token');
  if (jwt === null || jwt === '') return failure(400, 'invalid_token', 'jwt_token is missing');
  try {
    verifyServiceAccountJwt(jwt, {
      publicKeyPem: checked.publicKeyPem,
      orgId: checked.orgId,
      technicalAccountId: checked.technicalAccountId,
      clientId: checked.clientId,
      imsHosts: [ctx.requestHost, ADOBE_IMS_HOST],
      nowMs: ctx.nowMs,
    });
  } catch (error) {
    if (error instanceof ImsFailure) return failure(error.status, error.error, error.description);
    throw error;
  }
  const accessToken = issue(ctx, checked);
  return {
    status: 200,
    body: {
      token_type: 'bearer',
      access_token: accessToken,
      expires_in: ctx.tokenLifetimeSeconds * 1000 - 8,
    },
  };
}
