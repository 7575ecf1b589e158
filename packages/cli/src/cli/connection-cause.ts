/**
 * Why a connection failed, in an admin's words, from the Node/OpenSSL text the client passes on
 * (`ssl3_get_record:wrong version number`, `ECONNREFUSED`, ...): the causes a setting fixes. Undefined for others
 * (a reset, a timeout: an outage the retry messages already describe).
 */
const causes: readonly { pattern: RegExp; text: string }[] = [
  {
    pattern: /ERR_SSL_WRONG_VERSION_NUMBER|wrong version number|ERR_SSL_PACKET_LENGTH_TOO_LONG/i,
    text:
      'the server there speaks plain HTTP, not HTTPS: use an http:// URL (scheme = http in ' +
      'usermanagement.config), or fix the port',
  },
  {
    pattern:
      /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/i,
    text:
      "the server's TLS certificate is not trusted (self-signed, or from a private CA): give the CA with " +
      'NODE_EXTRA_CA_CERTS=/path/to/ca.pem',
  },
  { pattern: /CERT_HAS_EXPIRED/i, text: "the server's TLS certificate has expired" },
  {
    pattern: /ERR_TLS_CERT_ALTNAME_INVALID/i,
    text: "the server's TLS certificate is for another host name: check the host in the URL",
  },
  { pattern: /ECONNREFUSED/i, text: 'nothing is listening at that host and port (connection refused)' },
  { pattern: /ENOTFOUND|EAI_AGAIN/i, text: 'the host name does not resolve: check its spelling and the DNS' },
];

export function connectionCause(text: string): string | undefined {
  return causes.find((cause) => cause.pattern.test(text))?.text;
}
