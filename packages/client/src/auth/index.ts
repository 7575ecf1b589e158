export type { AccessToken, Credentials, CredentialsKind } from './credentials.js';
export {
  DEFAULT_IMS_URL,
  DEFAULT_SCOPES,
  oauthServerToServer,
  type OAuthServerToServerOptions,
} from './oauth-server-to-server.js';
export { serviceAccountJwt, type ServiceAccountJwtOptions } from './service-account-jwt.js';
export { TokenCache, type TokenCacheOptions } from './token-cache.js';
