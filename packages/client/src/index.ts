export type * from './transport/types.js';
export * from './errors.js';
export * from './actions/index.js';
export * from './queries/index.js';
export * from './pacing/index.js';
export * from './auth/index.js';
export {
  DEFAULT_ENDPOINT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  UmapiClient,
  type UmapiClientOptions,
} from './client.js';
export { silentLogger, type Logger } from './logger.js';
export { REDACTED, Redactor, redactError, redactFields, redactText } from './redact.js';
export { VERSION } from './version.js';
export { DEFAULT_RETRY_OPTIONS, backoffDelay, type RetryOptions } from './transport/backoff.js';
export { parseRetryAfter } from './transport/retry-after.js';
export { passThroughGate } from './transport/pass-through-gate.js';
export { isAmbiguous } from './transport/ambiguous.js';
