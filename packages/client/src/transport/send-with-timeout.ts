import { AbortError, ConnectionError, TimeoutError } from '../errors.js';
import { redactError } from '../redact.js';

/** Error codes that mean the request never left this machine: always safe to send again. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Error codes of a connection that no retry can fix: the TLS handshake says the setting is wrong. */
const PERMANENT_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

export interface SentResponse {
  response: Response;
  /** The whole body, read within the same timeout as the headers. */
  text: string;
}

/**
 * One HTTP exchange with a timeout covering headers and body. Failures become `TimeoutError`, `AbortError` (the
 * caller's signal) or `ConnectionError`, each with its `delivery`: `not-sent` when the request cannot have left
 * (refused, DNS, TLS, aborted before sending), `maybe-applied` otherwise. Causes are redacted copies.
 */
export async function sendWithTimeout(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<SentResponse> {
  if (signal?.aborted) {
    throw new AbortError('the request was aborted before it was sent', { cause: redactError(signal.reason) });
  }
  const controller = new AbortController();
  const state = { timedOut: false };
  const timer = setTimeout(() => {
    state.timedOut = true;
    controller.abort(new Error(`timed out after ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = (): void => {
    controller.abort(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await fetchImpl(url, { ...init, signal: controller.signal });
    const text = await response.text();
    return { response, text };
  } catch (error) {
    if (state.timedOut) throw new TimeoutError(`no answer within ${timeoutMs} ms`, timeoutMs);
    if (signal?.aborted) {
      throw new AbortError('the request was aborted with no answer', {
        cause: redactError(signal.reason),
        delivery: 'maybe-applied',
      });
    }
    const code = errorCode(error);
    const description = code === undefined ? describe(error) : `${describe(error)} (${code})`;
    throw new ConnectionError(`connection failed: ${description}`, {
      cause: redactError(error),
      delivery:
        code !== undefined && (NOT_SENT_CODES.has(code) || PERMANENT_CODES.has(code))
          ? 'not-sent'
          : 'maybe-applied',
      permanent: code !== undefined && PERMANENT_CODES.has(code),
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function describe(error: unknown): string {
  const messages: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (current.message !== '') messages.push(current.message);
    current = current.cause;
  }
  return redactError(new Error(messages.join(': ') || String(error))).message;
}
