import { SignJWT } from 'jose';
import { Redactor } from '../redact.js';
import { systemClock } from '../transport/system-clock.js';
import type { Clock } from '../transport/types.js';
import type { Credentials } from './credentials.js';
import { requestImsToken } from './ims-request.js';
import {
  DEFAULT_IMS_TIMEOUT_MS,
  DEFAULT_IMS_URL,
  joinUrl,
  parseImsUrl,
  requireText,
} from './oauth-server-to-server.js';
import { loadPrivateKey } from './private-key.js';
import { ValidationError } from '../errors.js';

export interface ServiceAccountJwtOptions {
  clientId: string;
  clientSecret: string;
  /** `xxxx@AdobeOrg`: the JWT's `iss`. */
  orgId: string;
  /** `xxxx@techacct.adobe.com`: the JWT's `sub`. */
  technicalAccountId: string;
  /** PEM text of the private key (PKCS#1 or PKCS#8). Give this or `privateKeyFile`. */
  privateKey?: string;
  privateKeyFile?: string;
  passphrase?: string;
  /** Default `https://ims-na1.adobelogin.com`. */
  imsUrl?: string;
  /** Default `/ims/exchange/jwt`. */
  exchangePath?: string;
  /** Lifetime of each signed JWT; default 300 s (Adobe recommends minutes, allows at most 24 h). */
  jwtLifetimeSeconds?: number;
  fetch?: typeof fetch;
  clock?: Clock;
  timeoutMs?: number;
}

/**
 * Service account (JWT) credentials: deprecated by Adobe, still what the walkthrough shows. Each token request
 * signs a fresh RS256 JWT and exchanges it at IMS.
 */
export function serviceAccountJwt(options: ServiceAccountJwtOptions): Credentials {
  requireText(options.clientId, 'clientId', 'the client id of the integration');
  requireText(options.clientSecret, 'clientSecret', 'the client secret of the integration');
  requireText(options.orgId, 'orgId', 'the organization id, e.g. 12345@AdobeOrg');
  requireText(options.technicalAccountId, 'technicalAccountId', 'e.g. 12345@techacct.adobe.com');
  const lifetime = options.jwtLifetimeSeconds ?? 300;
  if (!Number.isInteger(lifetime) || lifetime < 1 || lifetime > 86_400) {
    throw new ValidationError({
      path: 'jwtLifetimeSeconds',
      rule: 'format',
      detail: `must be a whole number of seconds from 1 to 86400, got ${String(lifetime)}`,
    });
  }
  const key = loadPrivateKey(options);
  const imsUrl = parseImsUrl(options.imsUrl ?? DEFAULT_IMS_URL, 'imsUrl');
  const imsHost = imsUrl.host;
  const exchangeUrl = joinUrl(imsUrl, options.exchangePath ?? '/ims/exchange/jwt');
  const clock = options.clock ?? systemClock;
  const redactor = new Redactor();
  redactor.add(options.clientSecret);
  redactor.add(options.privateKey);
  const { clientId, clientSecret, orgId, technicalAccountId } = options;

  return {
    kind: 'service-account-jwt',
    clientId,
    async getToken(signal) {
      const nowSeconds = Math.floor(clock.now() / 1000);
      const jwt = await new SignJWT({ [`https://${imsHost}/s/ent_user_sdk`]: true })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer(orgId)
        .setSubject(technicalAccountId)
        .setAudience(`https://${imsHost}/c/${clientId}`)
        .setExpirationTime(nowSeconds + lifetime)
        .sign(key);
      redactor.add(jwt);
      return requestImsToken({
        url: exchangeUrl,
        form: { client_id: clientId, client_secret: clientSecret, jwt_token: jwt },
        expiresInUnit: 'milliseconds',
        fetch: options.fetch ?? globalThis.fetch,
        clock,
        timeoutMs: options.timeoutMs ?? DEFAULT_IMS_TIMEOUT_MS,
        redactor,
        flow: 'jwt',
        signal,
      });
    },
    describe: () => ({
      kind: 'service-account-jwt',
      clientId,
      orgId,
      technicalAccountId,
      exchangeUrl,
      ...(options.privateKeyFile === undefined ? {} : { privateKeyFile: options.privateKeyFile }),
    }),
    secrets: () => [clientSecret, ...(options.privateKey === undefined ? [] : [options.privateKey])],
  };
}
