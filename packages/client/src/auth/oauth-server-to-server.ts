import { ValidationError } from '../errors.js';
import { Redactor } from '../redact.js';
import { systemClock } from '../transport/system-clock.js';
import type { Clock } from '../transport/types.js';
import type { Credentials } from './credentials.js';
import { requestImsToken } from './ims-request.js';

export const DEFAULT_IMS_URL = 'https://ims-na1.adobelogin.com';
export const DEFAULT_SCOPES: readonly string[] = ['openid', 'AdobeID', 'user_management_sdk'];
/** Timeout for one IMS request. */
export const DEFAULT_IMS_TIMEOUT_MS = 30_000;

export interface OAuthServerToServerOptions {
  clientId: string;
  clientSecret: string;
  /** Default `openid`, `AdobeID`, `user_management_sdk`. */
  scopes?: readonly string[];
  /** Default `https://ims-na1.adobelogin.com`. */
  imsUrl?: string;
  /** Default `/ims/token/v3` (the UMAPI walkthrough uses `/ims/token/v2`, which takes the same fields). */
  tokenPath?: string;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
}

/** OAuth server-to-server credentials: the current and default way to authenticate to UMAPI. */
export function oauthServerToServer(options: OAuthServerToServerOptions): Credentials {
  requireText(options.clientId, 'clientId', 'the client id of the integration (Adobe Developer Console)');
  requireText(options.clientSecret, 'clientSecret', 'the client secret of the integration');
  const imsUrl = parseImsUrl(options.imsUrl ?? DEFAULT_IMS_URL, 'imsUrl');
  const scopes = options.scopes ?? DEFAULT_SCOPES;
  const tokenUrl = joinUrl(imsUrl, options.tokenPath ?? '/ims/token/v3');
  const redactor = new Redactor();
  redactor.add(options.clientSecret);
  const { clientId, clientSecret } = options;
  return {
    kind: 'oauth-server-to-server',
    clientId,
    getToken: (signal) =>
      requestImsToken({
        url: tokenUrl,
        form: {
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
          scope: scopes.join(','),
        },
        expiresInUnit: 'seconds',
        fetch: options.fetch ?? globalThis.fetch,
        clock: options.clock ?? systemClock,
        timeoutMs: options.timeoutMs ?? DEFAULT_IMS_TIMEOUT_MS,
        redactor,
        flow: 'oauth',
        signal,
      }),
    describe: () => ({
      kind: 'oauth-server-to-server',
      clientId,
      tokenUrl,
      scopes: scopes.join(','),
    }),
    secrets: () => [clientSecret],
  };
}

export function requireText(value: unknown, field: string, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ValidationError({
      path: field,
      rule: 'required',
      detail: `is missing or empty: expected ${what}`,
    });
  }
}

export function parseImsUrl(value: string, field: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ValidationError({
      path: field,
      rule: 'format',
      detail: `is not a valid URL: expected e.g. ${DEFAULT_IMS_URL}`,
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ValidationError({
      path: field,
      rule: 'format',
      detail: `must be an http(s) URL, e.g. ${DEFAULT_IMS_URL}`,
    });
  }
  return url;
}

export function joinUrl(base: URL, path: string): string {
  const prefix = base.pathname.replace(/\/+$/, '');
  return `${base.origin}${prefix}${path.startsWith('/') ? path : `/${path}`}`;
}
