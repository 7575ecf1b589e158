import { verify } from 'node:crypto';

/** A JWT exchange failure in IMS's documented shape: HTTP status, `error` code and a description. */
export class ImsFailure extends Error {
  constructor(
    readonly status: 400 | 401,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'ImsFailure';
  }
}

interface JwtExpectations {
  publicKeyPem: string;
  orgId: string;
  technicalAccountId: string;
  clientId: string;
  /** IMS hosts accepted in `aud` and the metascope claim (the Host header's host and Adobe's real host). */
  imsHosts: readonly string[];
  nowMs: number;
}

const MAX_LIFETIME_S = 24 * 60 * 60;
const METASCOPE = 'ent_user_sdk';

function decodePart(part: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  } catch {
    throw new ImsFailure(400, 'invalid_token', `Could not decode the JWT ${what}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ImsFailure(400, 'invalid_token', `The JWT ${what} is not a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Verifies a service-account JWT the way IMS documents it (umapi-api.md §3.2): RS256 signature against the
 * integration's public key, integer `exp` in the future and at most 24 h ahead, `iss` = org, `sub` = technical
 * account, `aud` = `https://{ims host}/c/{client id}`, and the `ent_user_sdk` metascope set to true.
 */
export function verifyServiceAccountJwt(token: string, expected: JwtExpectations): void {
  const parts = token.split('.');
  const [headerPart, payloadPart, signaturePart] = parts;
  if (
    parts.length !== 3 ||
    headerPart === undefined ||
    payloadPart === undefined ||
    signaturePart === undefined
  ) {
    throw new ImsFailure(400, 'invalid_token', 'The JWT must have three dot-separated parts');
  }
  const header = decodePart(headerPart, 'header');
  const payload = decodePart(payloadPart, 'payload');
  if (header['alg'] !== 'RS256') {
    throw new ImsFailure(400, 'invalid_token', 'The JWT must be signed with alg RS256');
  }
  let signatureOk = false;
  try {
    signatureOk = verify(
      'RSA-SHA256',
      Buffer.from(`${headerPart}.${payloadPart}`),
      expected.publicKeyPem,
      Buffer.from(signaturePart, 'base64url'),
    );
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) {
    throw new ImsFailure(
      400,
      'invalid_signature',
      "The JWT signature does not match the integration's certificate",
    );
  }
  const exp = payload['exp'];
  if (typeof exp !== 'number' || !Number.isInteger(exp)) {
    throw new ImsFailure(400, 'invalid_token', 'The JWT claim exp must be an integer (Unix seconds)');
  }
  const nowS = expected.nowMs / 1000;
  if (exp <= nowS) throw new ImsFailure(400, 'invalid_token', 'The JWT has expired (exp is in the past)');
  if (exp > nowS + MAX_LIFETIME_S) {
    throw new ImsFailure(400, 'invalid_token', 'The JWT claim exp must be at most 24 hours in the future');
  }
  const jti = payload['jti'];
  if (jti !== undefined && (typeof jti !== 'number' || !Number.isInteger(jti))) {
    throw new ImsFailure(400, 'invalid_token', 'The JWT claim jti must be an integer when present');
  }
  if (typeof payload['iss'] !== 'string' || payload['iss'] !== expected.orgId) {
    throw new ImsFailure(400, 'bad_request', "The JWT claim iss must be the integration's organization id");
  }
  if (typeof payload['sub'] !== 'string' || payload['sub'] !== expected.technicalAccountId) {
    throw new ImsFailure(
      400,
      'bad_request',
      "The JWT claim sub must be the integration's technical account id",
    );
  }
  const audiences = expected.imsHosts.map((host) => `https://${host}/c/${expected.clientId}`);
  if (typeof payload['aud'] !== 'string' || !audiences.includes(payload['aud'])) {
    throw new ImsFailure(400, 'invalid_client', 'The JWT claim aud must be https://{ims host}/c/{client_id}');
  }
  const metascopes = expected.imsHosts.map((host) => `https://${host}/s/${METASCOPE}`);
  if (!metascopes.some((claim) => payload[claim] === true)) {
    throw new ImsFailure(
      400,
      'invalid_scope',
      `The JWT lacks the metascope claim https://{ims host}/s/${METASCOPE}: true`,
    );
  }
}
