import { ConnectionError, ImsError, TimeoutError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { parseJsonBody } from '../transport/json-body.js';
import { sendWithTimeout, type SentResponse } from '../transport/send-with-timeout.js';
import type { AccessToken } from './credentials.js';
import type { Clock } from '../transport/types.js';

export interface ImsRequestOptions {
  url: string;
  form: Record<string, string>;
  /** How to read `expires_in`: seconds (OAuth server-to-server) or milliseconds (JWT exchange). */
  expiresInUnit: 'seconds' | 'milliseconds';
  fetch: typeof fetch;
  clock: Clock;
  timeoutMs: number;
  redactor: Redactor;
  /** Which credential kind asked, to word error messages. */
  flow: 'oauth' | 'jwt';
  signal?: AbortSignal | undefined;
}

/** Used when IMS leaves out `expires_in`: one hour, shorter than any token IMS issues. */
const DEFAULT_LIFETIME_MS = 3_600_000;

/** POSTs a form to an IMS endpoint and reads the access token out of its answer. */
export async function requestImsToken(options: ImsRequestOptions): Promise<AccessToken> {
  const { redactor } = options;
  const target = new URL(options.url);
  const where = `${target.origin}${target.pathname}`;
  let sent: SentResponse;
  try {
    sent = await sendWithTimeout(
      options.fetch,
      options.url,
      {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/x-www-form-urlencoded',
          'Cache-Control': 'no-cache',
        },
        body: new URLSearchParams(options.form).toString(),
      },
      options.timeoutMs,
      options.signal,
    );
  } catch (error) {
    if (error instanceof TimeoutError) {
      throw new TimeoutError(
        `Adobe IMS at ${where} did not answer within ${options.timeoutMs} ms`,
        options.timeoutMs,
      );
    }
    if (error instanceof ConnectionError) {
      throw new ConnectionError(`could not reach Adobe IMS at ${where}: ${redactor.text(error.message)}`, {
        cause: error.cause,
        delivery: error.delivery,
        permanent: error.permanent,
      });
    }
    throw error;
  }
  const { response, text } = sent;
  const body = parseJsonBody(text);
  if (!response.ok) {
    const imsCode = stringField(body, 'error');
    const description = stringField(body, 'error_description');
    throw new ImsError(
      redactor.text(imsErrorMessage(response.status, imsCode, description, options.flow, where)),
      {
        status: response.status,
        error: imsCode,
        errorDescription: description === undefined ? undefined : redactor.text(description),
      },
    );
  }
  const accessToken = stringField(body, 'access_token');
  if (accessToken === undefined || accessToken === '') {
    throw new ImsError(`Adobe IMS at ${where} answered ${response.status} without an access_token`, {
      status: response.status,
    });
  }
  redactor.add(accessToken);
  const expiresIn = numberField(body, 'expires_in');
  const lifetimeMs =
    expiresIn === undefined
      ? DEFAULT_LIFETIME_MS
      : options.expiresInUnit === 'seconds'
        ? expiresIn * 1000
        : expiresIn;
  return { accessToken, expiresAt: options.clock.now() + lifetimeMs };
}

function imsErrorMessage(
  status: number,
  code: string | undefined,
  description: string | undefined,
  flow: 'oauth' | 'jwt',
  where: string,
): string {
  const said = `Adobe IMS ${status >= 500 ? 'failed' : 'refused'} the token request (HTTP ${status}${code === undefined ? '' : `, ${code}`}${
    description === undefined ? '' : `: ${description}`
  })`;
  switch (code) {
    case 'invalid_client':
      return `${said}: the client id or client secret was rejected: check UMAPI_CLIENT_ID / client_id and UMAPI_CLIENT_SECRET / client_secret against the integration in Adobe Developer Console`;
    case 'invalid_token':
      return flow === 'jwt'
        ? `${said}: the JWT expired or is not yet valid: check this machine's clock (and jwtLifetimeSeconds)`
        : `${said}: the token request was not accepted: check the credentials`;
    case 'invalid_signature':
      return `${said}: the signature did not verify: the private key does not match the certificate uploaded to the integration`;
    case 'invalid_scope':
      return flow === 'jwt'
        ? `${said}: the metascope ent_user_sdk was refused: add the User Management API to the integration`
        : `${said}: the requested scopes were refused: add the User Management API to the project, or check the scopes option (default openid,AdobeID,user_management_sdk)`;
    case 'bad_request':
      return `${said}: IMS could not read the request: check the org id (xxxx@AdobeOrg) and technical account id (xxxx@techacct.adobe.com)`;
    default:
      return `${said} at ${where}`;
  }
}

function stringField(body: unknown, key: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  return typeof value === 'string' ? value : undefined;
}

function numberField(body: unknown, key: string): number | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[key];
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) && number > 0 ? number : undefined;
}
