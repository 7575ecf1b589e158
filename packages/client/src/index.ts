/**
 * The public API of @umapi-kit/client: the client, its credentials, the action builders and their field rules,
 * the lost-answer rule, pacing, errors and types. Everything else in this package is internal.
 */

// The client and its options
export {
  DEFAULT_ENDPOINT,
  DEFAULT_MAX_RETRIES,
  DEFAULT_TIMEOUT_MS,
  UmapiClient,
  type UmapiClientOptions,
} from './client.js';
export type { GetUserOptions, GroupListOptions, UmapiService } from './umapi-service.js';
export type { RetryOptions } from './transport/retry-policy.js';
export type * from './transport/types.js';
export { silentLogger, type Logger } from './logger.js';
// Secret removal, for programs that log what the client reports (the CLI's structured logs)
export { REDACTED, Redactor, redactText } from './redact.js';
export { VERSION } from './version.js';

// Credentials
export type { AccessToken, Credentials, CredentialsKind } from './auth/credentials.js';
export {
  DEFAULT_IMS_URL,
  DEFAULT_SCOPES,
  oauthServerToServer,
  type OAuthServerToServerOptions,
} from './auth/oauth-server-to-server.js';
export { serviceAccountJwt, type ServiceAccountJwtOptions } from './auth/service-account-jwt.js';

// Actions: builders, field rules, results, and what to do when an answer was lost
export type * from './actions/types.js';
export {
  UserAction,
  type CreateOption,
  type CreateUserFields,
  type UpdateUserFields,
  type UserActionOptions,
} from './actions/user-action.js';
export { GroupAction, type CreateGroupFields } from './actions/group-action.js';
export {
  IDENTITY_TYPES,
  checkUserFields,
  isEmail,
  isKnownIdentityType,
  parseIdentityType,
  type FieldProblem,
  type FieldPurpose,
  type UserField,
  type UserFields,
} from './actions/field-rules.js';
export {
  isIdempotent,
  resolveLostAnswer,
  type OrgReader,
  type Resolution,
  type ResolveOptions,
} from './actions/reconcile.js';
export type { ExecuteRunOptions } from './actions/execute.js';

// Queries
export type * from './queries/types.js';
export { membershipRefusal } from './queries/group-writability.js';

// Pacing
export { DOCUMENTED_BUDGETS, DOCUMENTED_GLOBAL_BUDGETS, type Budget } from './pacing/budgets.js';
export type { SenderPoolOptions } from './pacing/credential-pool.js';
export { createPacer, type Pacer, type PacerClassStats, type PacerOptions } from './pacing/pacer.js';

// Errors
export * from './errors.js';
