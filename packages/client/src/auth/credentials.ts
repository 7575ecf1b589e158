/** An access token from Adobe IMS and the moment (ms since the epoch) it stops being valid. */
export interface AccessToken {
  accessToken: string;
  expiresAt: number;
}

export type CredentialsKind = 'oauth-server-to-server' | 'service-account-jwt';

/**
 * A token provider. Every `getToken` call asks IMS for a new token: wrap it in a `TokenCache` (the client does)
 * to reuse tokens until shortly before they expire.
 */
export interface Credentials {
  readonly kind: CredentialsKind;
  /** The integration's client id, also sent as `X-Api-Key`. */
  readonly clientId: string;
  getToken(signal?: AbortSignal): Promise<AccessToken>;
  /** Non-secret fields for display (`umapi auth status`, logs). */
  describe(): Record<string, string>;
  /** Values that must never appear in logs or errors (the client secret, the private key). */
  secrets?(): readonly string[];
}
