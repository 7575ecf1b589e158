/**
 * Removes secrets (client secrets, private keys, access tokens, JWTs, Authorization headers) from text, log
 * fields and error chains. Patterns catch the shapes secrets take; `Redactor` also removes the exact values it was
 * told about (the configured client secret, a fetched token).
 */

export const REDACTED = '[REDACTED]';

const PEM_BLOCK = /-----BEGIN [A-Z0-9 ]*-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/g;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.?[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer)\s+[A-Za-z0-9._~+/=-]+/gi;
const SECRET_PARAM =
  /\b(client_secret|jwt_token|access_token|refresh_token|id_token|private_key|password|passphrase|token|secret)(["']?\s*[=:]\s*["']?)([^&\s"',;}]+)/gi;

const SECRET_FIELD = /secret|token|password|passphrase|authorization|private.?key|jwt/i;

/** Replaces every secret-shaped substring of `text`. */
export function redactText(text: string): string {
  return text
    .replace(PEM_BLOCK, REDACTED)
    .replace(JWT, REDACTED)
    .replace(BEARER, `$1 ${REDACTED}`)
    .replace(SECRET_PARAM, (_match, name: string, separator: string) => `${name}${separator}${REDACTED}`);
}

/** Redacts exact known values as well as secret-shaped text. */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Adds a value that must never be shown (ignored when shorter than 4 characters). */
  add(secret: string | undefined): void {
    if (secret !== undefined && secret.length >= 4) this.#secrets.add(secret);
  }

  text(text: string): string {
    let result = text;
    for (const secret of this.#secrets) result = result.split(secret).join(REDACTED);
    return redactText(result);
  }

  /** A copy of log fields with secret-named fields replaced and every string redacted. */
  fields(fields: Record<string, unknown>): Record<string, unknown> {
    return redactValue(fields, this, 0) as Record<string, unknown>;
  }

  /** A copy of any JSON-like value with secret-named fields replaced and every string redacted. */
  value(value: unknown): unknown {
    return redactValue(value, this, 0);
  }

  /** A copy of an error chain (message, stack and `cause`s) with secrets removed; name and `code` kept. */
  error(error: unknown): Error {
    return redactErrorChain(error, this, 0);
  }
}

const defaultRedactor = new Redactor();

/** `Redactor.fields` with no known values. */
export function redactFields(fields: Record<string, unknown>): Record<string, unknown> {
  return defaultRedactor.fields(fields);
}

/** `Redactor.error` with no known values. */
export function redactError(error: unknown): Error {
  return defaultRedactor.error(error);
}

function redactValue(value: unknown, redactor: Redactor, depth: number): unknown {
  if (typeof value === 'string') return redactor.text(value);
  if (depth > 4 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return redactor.error(value);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, redactor, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] =
      SECRET_FIELD.test(key) && item !== undefined ? REDACTED : redactValue(item, redactor, depth + 1);
  }
  return copy;
}

function redactErrorChain(error: unknown, redactor: Redactor, depth: number): Error {
  if (!(error instanceof Error)) return new Error(redactor.text(String(error)));
  const copy = new Error(redactor.text(error.message));
  copy.name = error.name;
  if (error.stack !== undefined) copy.stack = redactor.text(error.stack);
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') Object.assign(copy, { code });
  if (error.cause !== undefined && depth < 5) copy.cause = redactErrorChain(error.cause, redactor, depth + 1);
  return copy;
}
