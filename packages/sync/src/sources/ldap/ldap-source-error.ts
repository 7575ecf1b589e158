/**
 * Why an LDAP read could not be used. Every kind aborts the run before planning: a partial directory must never
 * reach the planner, because users missing from it become removals.
 */
export type LdapFailure =
  /** The server refused the bind (wrong DN or password, account locked). */
  | 'bind'
  /** No connection: refused, unknown host, timed out. */
  | 'connect'
  /** The server's certificate is not trusted, or the TLS handshake failed. */
  | 'tls'
  /** The server stopped the search at its size or time limit. */
  | 'limit'
  /** The server answered with a referral or a continuation reference (the entries are elsewhere). */
  | 'referral'
  /** The connection closed or broke while entries were being read. */
  | 'dropped'
  /** Any other refusal of a search (bad filter, no such base DN, insufficient access). */
  | 'search'
  /** A setting cannot be used (the password file cannot be read, the CA file is missing). */
  | 'setting';

/** An LDAP directory that cannot be read whole. The message names the server and bind DN, never the password. */
export class LdapSourceError extends Error {
  readonly failure: LdapFailure;
  readonly host: string;
  constructor(failure: LdapFailure, host: string, message: string, options?: { cause?: unknown }) {
    super(`${host}: ${message}`, options);
    this.name = 'LdapSourceError';
    this.failure = failure;
    this.host = host;
  }
}
