import type { Reader } from '../config/sync-config.js';
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isScalar, type Node as YamlNode } from 'yaml';
import { SyncConfigError } from '../config/sync-config-error.js';
import { readUstFile, ustBoolean, ustInteger, ustMap, type UstFile } from './ust-file.js';
import { readSecret, type SecretContext } from './ust-secret.js';

/** How to reach one org, read from a User Sync Tool `connector-umapi.yml`. Holds secrets: never print it whole. */
export interface UstUmapiConnection {
  /** The connector file. */
  file: string;
  orgId: string;
  authMethod: 'oauth' | 'jwt';
  clientId: string;
  clientSecret: string;
  /** JWT only. */
  technicalAccountId?: string;
  /** JWT: the PEM key text (from priv_key_path or priv_key_data). */
  privateKey?: string;
  /** Where the key came from, for messages (`connector-umapi.yml:12 enterprise.priv_key_path`). */
  privateKeySource?: string;
  /** JWT: the passphrase of an encrypted key (priv_key_pass). */
  passphrase?: string;
  /** `https://` + server.host + server.endpoint. */
  umapiUrl: string;
  /** `https://` + server.auth_host (or ims_host). */
  imsUrl: string;
  /** server.auth_endpoint (or ims_endpoint_jwt): /ims/token/v2 for OAuth, /ims/exchange/jwt for JWT by default. */
  imsPath: string;
  timeoutMs: number;
  retries: number;
  /** `trusted: true`: a trustee org (users of the domains it trusts join it through its groups). */
  trusted: boolean;
}

const TOP = ['authentication_method', 'server', 'enterprise', 'ssl_verify', 'uses_business_id', 'trusted'];
const SERVER = [
  'host',
  'endpoint',
  'auth_host',
  'ims_host',
  'auth_endpoint',
  'ims_endpoint_jwt',
  'timeout',
  'retries',
  'ssl_verify',
];
const ENTERPRISE = [
  'org_id',
  'client_id',
  'api_key',
  'secure_client_id_key',
  'client_id_env',
  'client_id_file',
  'client_secret',
  'secure_client_secret_key',
  'client_secret_env',
  'client_secret_file',
  'tech_acct_id',
  'tech_acct',
  'priv_key_path',
  'priv_key_data',
  'secure_priv_key_data_key',
  'priv_key_data_env',
  'priv_key_data_file',
  'priv_key_pass',
  'secure_priv_key_pass_key',
  'priv_key_pass_env',
  'priv_key_pass_file',
];

const SSL_VERIFY_OFF =
  'false is refused: umapi-kit always checks the server certificate; behind a TLS-inspecting proxy, give its CA ' +
  'in the NODE_EXTRA_CA_CERTS environment variable (a PEM file) and remove ssl_verify';

/** A host as the User Sync Tool writes it (`usermanagement.adobe.io`), or a URL (`http://127.0.0.1:8080`). */
function hostUrl(host: string): string {
  return (/^[a-z]+:\/\//i.test(host) ? host : `https://${host}`).replace(/\/+$/, '');
}

export interface UmapiConnectorRead {
  connection: UstUmapiConnection;
  /** Keys read but without effect (as in the User Sync Tool), as `file:line: key: why`. */
  notices: string[];
  file: UstFile;
}

/** Reads `connector-umapi.yml`. `namedBy` says where the main file names it. */
export async function readUmapiConnector(
  path: string,
  namedBy: string,
  secrets: SecretContext,
): Promise<UmapiConnectorRead> {
  const file = await readUstFile(path, namedBy);
  const reader: Reader = file.reader;
  const base = dirname(resolve(path));
  const notices: string[] = [];
  const top = ustMap(reader, file.doc.contents, '', TOP);
  const text = (entries: ReadonlyMap<string, YamlNode>, scope: string, name: string): string | undefined => {
    const node = entries.get(name);
    if (node === undefined) return undefined;
    if (!isScalar(node) || (typeof node.value !== 'string' && typeof node.value !== 'number')) {
      return reader.fail(node, `${scope}${name}`, 'must be a string');
    }
    return String(node.value).trim();
  };
  const business = top.get('uses_business_id');
  if (business !== undefined) {
    notices.push(
      `${path}:${String(reader.line(business))}: uses_business_id: has no effect (deprecated in the User Sync Tool too); remove it`,
    );
  }
  const trustedNode = top.get('trusted');
  const trusted = trustedNode === undefined ? false : ustBoolean(reader, trustedNode, 'trusted');

  const methodNode = top.get('authentication_method');
  let authMethod: 'oauth' | 'jwt' = 'jwt';
  if (methodNode !== undefined) {
    const word = text(top, '', 'authentication_method')?.toLowerCase();
    if (word !== 'oauth' && word !== 'jwt') {
      reader.fail(
        methodNode,
        'authentication_method',
        'must be oauth (server-to-server) or jwt (service account)',
      );
    }
    authMethod = word;
  }
  for (const [scope, entries] of [['', top]] as const) {
    const ssl = entries.get('ssl_verify');
    if (ssl !== undefined && !ustBoolean(reader, ssl, `${scope}ssl_verify`))
      reader.fail(ssl, 'ssl_verify', SSL_VERIFY_OFF);
  }

  const serverNode = top.get('server');
  const server = ustMap(reader, serverNode, 'server', SERVER);
  const serverSsl = server.get('ssl_verify');
  if (serverSsl !== undefined && !ustBoolean(reader, serverSsl, 'server.ssl_verify')) {
    reader.fail(serverSsl, 'server.ssl_verify', SSL_VERIFY_OFF);
  }
  for (const [a, b] of [
    ['auth_host', 'ims_host'],
    ['auth_endpoint', 'ims_endpoint_jwt'],
  ] as const) {
    if (server.has(a) && server.has(b))
      reader.fail(server.get(b), `server.${b}`, `give ${a} or its other name ${b}, not both`);
  }
  const umapiUrl =
    hostUrl(text(server, 'server.', 'host') ?? 'usermanagement.adobe.io') +
    (text(server, 'server.', 'endpoint') ?? '/v2/usermanagement');
  const imsUrl = hostUrl(
    text(server, 'server.', 'auth_host') ?? text(server, 'server.', 'ims_host') ?? 'ims-na1.adobelogin.com',
  );
  const imsPath =
    text(server, 'server.', 'auth_endpoint') ??
    text(server, 'server.', 'ims_endpoint_jwt') ??
    (authMethod === 'oauth' ? '/ims/token/v2' : '/ims/exchange/jwt');
  for (const [name, url] of [
    ['host', umapiUrl],
    ['auth_host', imsUrl],
  ] as const) {
    try {
      if (!/^[A-Za-z0-9.-]+$/.test(new URL(url).hostname.replace(/^\[.*\]$/, 'ip6'))) throw new Error('host');
    } catch {
      reader.fail(
        server.get(name) ?? serverNode,
        `server.${name}`,
        `"${url}" is not a host name like usermanagement.adobe.io`,
      );
    }
  }
  const timeoutNode = server.get('timeout');
  const timeoutMs =
    timeoutNode === undefined ? 120_000 : ustInteger(reader, timeoutNode, 'server.timeout', 1) * 1000;
  const retriesNode = server.get('retries');
  const retries = retriesNode === undefined ? 3 : ustInteger(reader, retriesNode, 'server.retries', 0);

  const enterpriseNode = top.get('enterprise');
  if (enterpriseNode === undefined) {
    reader.fail(file.doc.contents, 'enterprise', 'is required (org_id, client_id, client_secret)');
  }
  const enterprise = ustMap(reader, enterpriseNode, 'enterprise', ENTERPRISE);
  const orgId = text(enterprise, 'enterprise.', 'org_id');
  if (orgId === undefined)
    reader.fail(enterpriseNode, 'enterprise.org_id', 'is required (like 12345ABCDE@AdobeOrg)');
  if (!/^[0-9A-Za-z]+@AdobeOrg$/.test(orgId)) {
    reader.fail(
      enterprise.get('org_id'),
      'enterprise.org_id',
      `"${orgId}" is not an org id like 12345ABCDE@AdobeOrg`,
    );
  }
  if (enterprise.has('api_key') && (enterprise.has('client_id') || enterprise.has('secure_client_id_key'))) {
    reader.fail(
      enterprise.get('api_key'),
      'enterprise.api_key',
      'is the old name of client_id: give one of them',
    );
  }
  const idName = enterprise.has('api_key') ? 'api_key' : 'client_id';
  const clientId = await readSecret(reader, enterprise, 'enterprise', idName, orgId, base, secrets, {
    required: true,
    what: 'client id',
  });
  const clientSecret = await readSecret(
    reader,
    enterprise,
    'enterprise',
    'client_secret',
    orgId,
    base,
    secrets,
    {
      required: true,
      what: 'client secret',
    },
  );
  if (enterprise.has('tech_acct') && enterprise.has('tech_acct_id')) {
    reader.fail(
      enterprise.get('tech_acct'),
      'enterprise.tech_acct',
      'is the old name of tech_acct_id: give one of them',
    );
  }
  const techName = enterprise.has('tech_acct') ? 'tech_acct' : 'tech_acct_id';
  const tech = text(enterprise, 'enterprise.', techName);
  const connection: UstUmapiConnection = {
    file: path,
    orgId,
    authMethod,
    clientId: clientId ?? '',
    clientSecret: clientSecret ?? '',
    umapiUrl,
    imsUrl,
    imsPath,
    timeoutMs,
    retries,
    trusted,
  };
  const jwtKeys = [
    'priv_key_path',
    'priv_key_data',
    'secure_priv_key_data_key',
    'priv_key_pass',
    'secure_priv_key_pass_key',
  ];
  if (authMethod === 'oauth') {
    const stray = [techName, ...jwtKeys].find((name) => enterprise.has(name));
    if (stray !== undefined) {
      reader.fail(
        enterprise.get(stray),
        `enterprise.${stray}`,
        'is for authentication_method: jwt; OAuth server-to-server needs only client_id and client_secret (remove it)',
      );
    }
    return { connection, notices, file };
  }
  if (tech === undefined) {
    reader.fail(
      enterpriseNode,
      'enterprise.tech_acct_id',
      'is required for authentication_method: jwt (or set authentication_method: oauth, which Adobe supports now that JWT is retired)',
    );
  }
  connection.technicalAccountId = tech;
  const keyPath = text(enterprise, 'enterprise.', 'priv_key_path');
  const dataWays = [
    'priv_key_data',
    'secure_priv_key_data_key',
    'priv_key_data_env',
    'priv_key_data_file',
  ].filter((k) => enterprise.has(k));
  if (keyPath !== undefined && dataWays.length > 0) {
    reader.fail(
      enterprise.get(dataWays[0] ?? ''),
      `enterprise.${dataWays[0] ?? ''}`,
      'give priv_key_path or priv_key_data, not both',
    );
  }
  if (keyPath !== undefined) {
    const keyFile = resolve(base, keyPath);
    const where = `${path}:${String(reader.line(enterprise.get('priv_key_path')))} enterprise.priv_key_path`;
    try {
      connection.privateKey = await readFile(keyFile, 'utf8');
    } catch (error) {
      throw new SyncConfigError(
        path,
        reader.line(enterprise.get('priv_key_path')),
        'enterprise.priv_key_path',
        `cannot read the private key file ${keyFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    connection.privateKeySource = where;
  } else {
    const data = await readSecret(reader, enterprise, 'enterprise', 'priv_key_data', orgId, base, secrets, {
      required: false,
      what: 'private key',
    });
    if (data === undefined) {
      reader.fail(
        enterpriseNode,
        'enterprise.priv_key_path',
        'is required for authentication_method: jwt (the private key file), or give priv_key_data',
      );
    }
    connection.privateKey = data;
    connection.privateKeySource = `${path} enterprise.priv_key_data`;
  }
  if (
    secrets.resolve !== false &&
    (!connection.privateKey.includes('-----BEGIN') || !connection.privateKey.includes('PRIVATE KEY-----'))
  ) {
    const keyNode = enterprise.get('priv_key_path') ?? enterpriseNode;
    reader.fail(
      keyNode,
      keyPath === undefined ? 'enterprise.priv_key_data' : 'enterprise.priv_key_path',
      'is not a PEM private key (expected a -----BEGIN ... PRIVATE KEY----- block)',
    );
  }
  const passphrase = await readSecret(
    reader,
    enterprise,
    'enterprise',
    'priv_key_pass',
    orgId,
    base,
    secrets,
    {
      required: false,
      what: 'private key passphrase',
    },
  );
  if (passphrase !== undefined) connection.passphrase = passphrase;
  return { connection, notices, file };
}
