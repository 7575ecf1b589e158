import { resolve } from 'node:path';
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import type { Reader } from './sync-config.js';

/** When an alert is sent: the run failed; it failed or held entries; every run. */
export type NotifyOn = 'failure' | 'held' | 'always';
export const NOTIFY_ON: readonly NotifyOn[] = ['failure', 'held', 'always'];

/** A secret the config names but never holds: an environment variable or a file (trailing newline dropped). */
export type SecretReference = { env: string } | { file: string };

/** A JSON POST with a Slack/Teams-compatible `text` field and the run's figures beside it. */
export interface WebhookTarget {
  kind: 'webhook';
  /** The URL itself, or where to read it (a Slack or Teams URL is a secret: anyone holding it can post). */
  url: string | SecretReference;
  on: NotifyOn;
  /** `notify.webhooks[0]`, for messages. */
  key: string;
}

/** `tls` = TLS from the first byte (port 465), `starttls` = upgrade required (587), `none` = plain (a relay on localhost). */
export type SmtpSecurity = 'tls' | 'starttls' | 'none';

export interface EmailTarget {
  kind: 'email';
  host: string;
  port: number;
  security: SmtpSecurity;
  /** Login, when the server asks for one: the password is always a reference. */
  auth?: { user: string; password: SecretReference };
  from: string;
  to: string[];
  on: NotifyOn;
  key: string;
}

export type NotifyTarget = WebhookTarget | EmailTarget;

const WEBHOOK_KEYS = ['url', 'url_env', 'url_file', 'on'];
const EMAIL_KEYS = [
  'host',
  'port',
  'security',
  'user',
  'password',
  'password_env',
  'password_file',
  'from',
  'to',
  'on',
];

/** One mapping or a list of them, each with its key path. */
function items(reader: Reader, node: YamlNode, key: string): { node: YamlNode; key: string }[] {
  if (isSeq(node)) return reader.list(node, key);
  if (isMap(node)) return [{ node, key }];
  return reader.fail(node, key, 'must be a mapping, or a list of mappings');
}

function readOn(reader: Reader, map: Map<string, YamlNode>, node: YamlNode, key: string): NotifyOn {
  const on = map.get('on');
  if (on === undefined) return reader.fail(node, `${key}.on`, `is required: one of ${NOTIFY_ON.join(', ')}`);
  return reader.oneOf(on, `${key}.on`, NOTIFY_ON);
}

/** `name`, `name_env` or `name_file`, exactly one; the plain form refused when it would hold a secret. */
function readReference(
  reader: Reader,
  map: Map<string, YamlNode>,
  node: YamlNode,
  key: string,
  name: string,
  base: string,
  plainAllowed: boolean,
): string | SecretReference | undefined {
  const given = [name, `${name}_env`, `${name}_file`].filter((candidate) => map.has(candidate));
  if (given.length > 1) {
    reader.fail(node, key, `give one of ${given.join(', ')}, not several`);
  }
  const plain = map.get(name);
  if (plain !== undefined) {
    if (!plainAllowed) {
      reader.fail(
        plain,
        `${key}.${name}`,
        `a ${name} is not written in the config: use ${name}_env (an environment variable) or ${name}_file`,
      );
    }
    return reader.string(plain, `${key}.${name}`);
  }
  const env = map.get(`${name}_env`);
  if (env !== undefined) {
    const variable = reader.string(env, `${key}.${name}_env`);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) {
      reader.fail(env, `${key}.${name}_env`, 'must be an environment variable name, e.g. SMTP_PASSWORD');
    }
    return { env: variable };
  }
  const file = map.get(`${name}_file`);
  if (file !== undefined) return { file: resolve(base, reader.string(file, `${key}.${name}_file`)) };
  return undefined;
}

function readWebhook(reader: Reader, node: YamlNode, key: string, base: string): WebhookTarget {
  const map = reader.map(node, key, WEBHOOK_KEYS);
  const url = readReference(reader, map, node, key, 'url', base, true);
  if (url === undefined) return reader.fail(node, key, 'needs url (or url_env, url_file)');
  if (typeof url === 'string' && !/^https?:\/\/[^\s]+$/.test(url)) {
    reader.fail(map.get('url'), `${key}.url`, 'must be an http:// or https:// URL');
  }
  return { kind: 'webhook', url, on: readOn(reader, map, node, key), key };
}

function readEmail(reader: Reader, node: YamlNode, key: string, base: string): EmailTarget {
  const map = reader.map(node, key, EMAIL_KEYS);
  const need = (name: string): YamlNode =>
    map.get(name) ?? reader.fail(node, `${key}.${name}`, 'is required');
  const host = reader.string(need('host'), `${key}.host`);
  const security =
    map.get('security') === undefined
      ? 'starttls'
      : reader.oneOf(map.get('security'), `${key}.security`, ['tls', 'starttls', 'none'] as const);
  let port = security === 'tls' ? 465 : 587;
  const portNode = map.get('port');
  if (portNode !== undefined) {
    const value = isScalar(portNode) ? portNode.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
      reader.fail(portNode, `${key}.port`, 'must be a port number from 1 to 65535');
    }
    port = value;
  }
  const from = reader.string(need('from'), `${key}.from`);
  const to = reader.stringList(need('to'), `${key}.to`);
  if (to.length === 0) reader.fail(map.get('to'), `${key}.to`, 'must name at least one address');
  for (const [index, address] of [from, ...to].entries()) {
    if (!/^[^\s@]+@[^\s@]+$/.test(address) && !/<[^\s@]+@[^\s@]+>$/.test(address)) {
      reader.fail(
        index === 0 ? map.get('from') : map.get('to'),
        index === 0 ? `${key}.from` : `${key}.to`,
        `'${address}' is not an email address`,
      );
    }
  }
  const target: EmailTarget = {
    kind: 'email',
    host,
    port,
    security,
    from,
    to,
    on: readOn(reader, map, node, key),
    key,
  };
  const password = readReference(reader, map, node, key, 'password', base, false);
  const user = map.get('user');
  if (user !== undefined) {
    if (password === undefined || typeof password === 'string') {
      return reader.fail(user, `${key}.user`, 'needs password_env or password_file with it');
    }
    target.auth = { user: reader.string(user, `${key}.user`), password };
  } else if (password !== undefined) {
    reader.fail(node, `${key}.user`, 'is required when a password is given');
  }
  return target;
}

/**
 * The `notify:` section: `webhooks:` and `email:`, each one mapping or a list. Secrets (SMTP passwords) are
 * only ever references to an environment variable or a file, read when an alert is sent.
 */
export function readNotifyConfig(reader: Reader, node: YamlNode, base: string): NotifyTarget[] {
  const section = reader.map(node, 'notify', ['webhooks', 'email']);
  const targets: NotifyTarget[] = [];
  const webhooks = section.get('webhooks');
  if (webhooks !== undefined) {
    for (const item of items(reader, webhooks, 'notify.webhooks'))
      targets.push(readWebhook(reader, item.node, item.key, base));
  }
  const email = section.get('email');
  if (email !== undefined) {
    for (const item of items(reader, email, 'notify.email'))
      targets.push(readEmail(reader, item.node, item.key, base));
  }
  return targets;
}
