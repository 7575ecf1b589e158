import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, ResultCodeError } from 'ldapts';
import { LdapSourceError, type LdapFailure } from './ldap-source-error.js';
import type { LdapSourceOptions, PasswordSource } from './ldap-source-options.js';

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

const CONNECT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
]);

/** LDAP result codes that mean "this answer is not the whole directory". */
const LIMIT_CODES = new Map([
  [3, 'the server stopped the search at its time limit'],
  [4, 'the server stopped the search at its size limit'],
  [11, 'the server stopped the search at an administrative limit'],
]);

/** An ldapts, socket or TLS error as a source error that says what happened and what would help. */
export function describeLdapError(
  error: unknown,
  options: LdapSourceOptions,
  doing: string,
): LdapSourceError {
  if (error instanceof LdapSourceError) return error;
  const host = options.host;
  const fail = (failure: LdapFailure, message: string): LdapSourceError =>
    new LdapSourceError(failure, host, message, { cause: error });
  const code = (error as { code?: unknown }).code;
  const text = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  if (error instanceof ResultCodeError) {
    const limit = LIMIT_CODES.get(error.code);
    if (limit !== undefined) {
      return fail(
        'limit',
        `${limit} while ${doing} (result code ${String(error.code)}); nothing was planned. Lower ` +
          'search_page_size or raise the limit for the bind account (OpenLDAP: limits size.pr=unlimited; ' +
          'AD: MaxPageSize is per page, MaxResultSetSize for the whole search)',
      );
    }
    if (error.code === 10) {
      return fail(
        'referral',
        `the server answered ${doing} with a referral (result code 10): the entries are on another server; ` +
          'point host and base_dn at the server that holds them (for AD, a global catalog port 3268)',
      );
    }
    if (error.code === 49 || error.code === 48 || error.code === 53 || error.code === 13) {
      return fail(
        'bind',
        `bind as "${options.username ?? '(anonymous)'}" refused (result code ${String(error.code)}: ${text}); ` +
          'check username and the password setting',
      );
    }
    return fail('search', `${doing} failed (result code ${String(error.code)}: ${text})`);
  }
  if (typeof code === 'string' && TLS_CODES.has(code)) {
    return fail(
      'tls',
      `the server's certificate is not trusted (${code}); give the CA that signed it as ca_file ` +
        '(a PEM file), or fix the host name in host to match the certificate',
    );
  }
  if (typeof code === 'string' && CONNECT_CODES.has(code)) {
    return fail('connect', `cannot connect while ${doing} (${code}); check host and that the server is up`);
  }
  if (/Connection timeout/i.test(text)) {
    return fail('connect', `cannot connect while ${doing} (connect timed out); check host and the firewall`);
  }
  if (/closed|socket|timed out|EPIPE/i.test(text) || code === 'EPIPE') {
    return fail(
      'dropped',
      `the connection broke while ${doing} (${text}); nothing was planned, run again when the server is reachable`,
    );
  }
  return fail('search', `${doing} failed: ${text}`);
}

async function readPassword(options: LdapSourceOptions, password: PasswordSource): Promise<string> {
  if ('value' in password) return password.value;
  if ('env' in password) {
    const value = process.env[password.env];
    if (value === undefined || value === '') {
      throw new LdapSourceError(
        'setting',
        options.host,
        `password_env names ${password.env}, which is not set in the environment`,
      );
    }
    return value;
  }
  try {
    return (await readFile(password.file, 'utf8')).replace(/\r?\n$/, '');
  } catch (error) {
    throw new LdapSourceError(
      'setting',
      options.host,
      `password_file ${password.file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

async function tlsOptionsOf(options: LdapSourceOptions, hostname: string): Promise<ConnectionOptions> {
  const tls: ConnectionOptions = { rejectUnauthorized: options.tlsVerify };
  if (isIP(hostname) === 0) tls.servername = hostname;
  if (options.caFile !== undefined) {
    try {
      tls.ca = await readFile(options.caFile, 'utf8');
    } catch (error) {
      throw new LdapSourceError(
        'setting',
        options.host,
        `ca_file ${options.caFile} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
  }
  return tls;
}

/** A connected, bound client (StartTLS first when asked). The caller unbinds it. */
export async function openLdapConnection(options: LdapSourceOptions): Promise<Client> {
  const url = new URL(options.host);
  const secure = url.protocol === 'ldaps:';
  const tlsOptions = await tlsOptionsOf(options, url.hostname);
  const password = options.password === undefined ? undefined : await readPassword(options, options.password);
  const client = new Client({
    url: options.host,
    timeout: options.timeoutMs ?? 120_000,
    connectTimeout: options.connectTimeoutMs ?? 15_000,
    // ldapts speaks TLS from the first byte whenever tlsOptions are given, so ldap:// (StartTLS) gets none here.
    ...(secure ? { tlsOptions } : {}),
  });
  try {
    if (!secure && options.startTls) {
      try {
        await client.startTLS(tlsOptions);
      } catch (error) {
        throw describeLdapError(error, options, 'starting TLS (StartTLS)');
      }
    } else if (!secure && options.requireTlsCert && options.username !== undefined) {
      throw new LdapSourceError(
        'setting',
        options.host,
        'require_tls_cert is true but the connection is plain ldap://: use ldaps:// or set start_tls: true',
      );
    }
    if (options.username !== undefined) {
      try {
        await client.bind(options.username, password ?? '');
      } catch (error) {
        throw describeLdapError(error, options, `binding as "${options.username}"`);
      }
    }
    return client;
  } catch (error) {
    await closeQuietly(client);
    throw error;
  }
}

/** Unbinds, ignoring a connection that is already gone. */
export async function closeQuietly(client: Client): Promise<void> {
  try {
    await client.unbind();
  } catch {
    // the connection is already closed; nothing to release
  }
}
