import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { describeFsError } from '@umapi-kit/sync';
import { ConfigError } from '../cli/cli-errors.js';
import { parseScheduleWindow, type ScheduleWindow } from './schedule-window.js';

/** A value the fleet file names but does not hold: an environment variable, or a file (its text, trimmed). */
export type ValueReference = { value: string } | { env: string } | { file: string };

/** One org of a fleet. Secrets are references only: the fleet file never holds one. */
export interface FleetOrg {
  /** A short name for reports, logs and the summary (`acme`): letters, digits, `.`, `_`, `-`. */
  name: string;
  orgId: string;
  clientId: ValueReference;
  clientSecret: ValueReference;
  authMethod: 'oauth' | 'jwt';
  technicalAccountId?: string;
  privateKeyFile?: string;
  passphrase?: ValueReference;
  /** The org's sync configuration (absolute). */
  syncConfig: string;
  window?: ScheduleWindow;
  /** The state store location, passed to `sync run --state`. */
  state?: string;
  umapiUrl?: string;
  imsUrl?: string;
  /** The line of the org's entry in the fleet file. */
  line: number;
}

export interface FleetConfig {
  file: string;
  concurrency: number;
  reportDir?: string;
  orgs: FleetOrg[];
}

export const DEFAULT_FLEET_CONCURRENCY = 4;

const TOP_KEYS = ['concurrency', 'report_dir', 'umapi_url', 'ims_url', 'orgs'];
const ORG_KEYS = [
  'name',
  'org_id',
  'client_id',
  'client_id_env',
  'client_id_file',
  'client_secret_env',
  'client_secret_file',
  'auth_method',
  'technical_account_id',
  'private_key_file',
  'private_key_passphrase_env',
  'private_key_passphrase_file',
  'sync_config',
  'window',
  'state',
  'umapi_url',
  'ims_url',
];
/** Keys that would put a secret in the fleet file, and what to write instead. */
const INLINE_SECRETS: Readonly<Record<string, string>> = {
  client_secret: 'client_secret_env (an environment variable) or client_secret_file',
  private_key: 'private_key_file',
  private_key_passphrase: 'private_key_passphrase_env or private_key_passphrase_file',
  password: 'a variable or a file the org’s settings name',
  secret: 'client_secret_env or client_secret_file',
};

class FleetReader {
  constructor(
    readonly file: string,
    readonly lines: LineCounter,
  ) {}

  line(node: YamlNode | null | undefined): number {
    return this.lines.linePos(node?.range?.[0] ?? 0).line;
  }

  fail(node: YamlNode | null | undefined, key: string, message: string): never {
    throw new ConfigError(
      `${this.file}:${String(this.line(node))}: ${key === '' ? '' : `${key}: `}${message}`,
    );
  }

  map(node: unknown, key: string, allowed: readonly string[]): Map<string, YamlNode> {
    if (!isMap(node)) this.fail(node as YamlNode, key, 'must be a mapping of keys to values');
    const out = new Map<string, YamlNode>();
    for (const pair of node.items) {
      const name = isScalar(pair.key) ? String(pair.key.value) : '';
      const path = key === '' ? name : `${key}.${name}`;
      const instead = INLINE_SECRETS[name];
      if (instead !== undefined) {
        this.fail(pair.key as YamlNode, path, `a secret is never written in the fleet file: use ${instead}`);
      }
      if (!allowed.includes(name)) {
        this.fail(pair.key as YamlNode, path, `unknown key (expected one of: ${allowed.join(', ')})`);
      }
      out.set(name, pair.value as YamlNode);
    }
    return out;
  }

  string(node: YamlNode | undefined, key: string): string {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.fail(node, key, 'must be a non-empty string');
    }
    return node.value.trim();
  }
}

function readReference(
  reader: FleetReader,
  map: Map<string, YamlNode>,
  entry: YamlNode,
  key: string,
  name: string,
  base: string,
  options: { plain: boolean; required: boolean },
): ValueReference | undefined {
  const names = [...(options.plain ? [name] : []), `${name}_env`, `${name}_file`];
  const given = names.filter((candidate) => map.has(candidate));
  if (given.length > 1) reader.fail(entry, key, `give one of ${given.join(', ')}, not several`);
  const chosen = given[0];
  if (chosen === undefined) {
    return options.required
      ? reader.fail(entry, `${key}.${name}`, `is required (${names.join(' or ')})`)
      : undefined;
  }
  const text = reader.string(map.get(chosen), `${key}.${chosen}`);
  if (chosen.endsWith('_env')) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) {
      reader.fail(
        map.get(chosen),
        `${key}.${chosen}`,
        'must be an environment variable name, e.g. ACME_CLIENT_SECRET',
      );
    }
    return { env: text };
  }
  if (chosen.endsWith('_file')) return { file: resolve(base, text) };
  return { value: text };
}

function readUrl(reader: FleetReader, node: YamlNode | undefined, key: string): string | undefined {
  if (node === undefined) return undefined;
  const url = reader.string(node, key);
  if (!/^https?:\/\/\S+$/.test(url)) reader.fail(node, key, 'must be an http:// or https:// URL');
  return url;
}

/** Parses a fleet file; every error names the file, the line and the key. Relative paths are the file's folder's. */
export function parseFleetConfig(text: string, file: string): FleetConfig {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const firstError = doc.errors[0];
  if (firstError !== undefined) {
    const line = lines.linePos(firstError.pos[0]).line;
    throw new ConfigError(
      `${file}:${String(line)}: invalid YAML: ${firstError.message.split('\n')[0] ?? ''}`,
    );
  }
  const reader = new FleetReader(file, lines);
  const root = reader.map(doc.contents, '', TOP_KEYS);
  const base = dirname(resolve(file));
  let concurrency = DEFAULT_FLEET_CONCURRENCY;
  const concurrencyNode = root.get('concurrency');
  if (concurrencyNode !== undefined) {
    const value = isScalar(concurrencyNode) ? concurrencyNode.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 64) {
      reader.fail(concurrencyNode, 'concurrency', 'must be a whole number from 1 to 64 (orgs run at once)');
    }
    concurrency = value as number;
  }
  const defaultUmapiUrl = readUrl(reader, root.get('umapi_url'), 'umapi_url');
  const defaultImsUrl = readUrl(reader, root.get('ims_url'), 'ims_url');
  const orgsNode = root.get('orgs');
  if (!isSeq(orgsNode) || orgsNode.items.length === 0) {
    return reader.fail(orgsNode ?? doc.contents, 'orgs', 'must be a list of at least one org');
  }
  const orgs: FleetOrg[] = [];
  const names = new Map<string, number>();
  const orgIds = new Map<string, number>();
  for (const [index, item] of orgsNode.items.entries()) {
    const entry = item as YamlNode;
    const key = `orgs[${String(index)}]`;
    const map = reader.map(entry, key, ORG_KEYS);
    const need = (name: string): YamlNode =>
      map.get(name) ?? reader.fail(entry, `${key}.${name}`, 'is required');
    const name = reader.string(need('name'), `${key}.name`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(name)) {
      reader.fail(
        map.get('name'),
        `${key}.name`,
        'must be letters, digits, ".", "_" or "-" (it names report files)',
      );
    }
    const line = reader.line(entry);
    const sameName = names.get(name);
    if (sameName !== undefined)
      reader.fail(
        map.get('name'),
        `${key}.name`,
        `'${name}' is already the name of the org on line ${String(sameName)}`,
      );
    names.set(name, line);
    const orgId = reader.string(need('org_id'), `${key}.org_id`);
    if (!/^[A-Za-z0-9]+@AdobeOrg$/.test(orgId)) {
      reader.fail(map.get('org_id'), `${key}.org_id`, 'must be an Adobe org id such as 12345ABCDE@AdobeOrg');
    }
    const sameOrg = orgIds.get(orgId);
    if (sameOrg !== undefined) {
      reader.fail(
        map.get('org_id'),
        `${key}.org_id`,
        `org ${orgId} is already listed on line ${String(sameOrg)}: one run per org`,
      );
    }
    orgIds.set(orgId, line);
    const authNode = map.get('auth_method');
    let authMethod: 'oauth' | 'jwt' = 'oauth';
    if (authNode !== undefined) {
      const value = reader.string(authNode, `${key}.auth_method`);
      if (value !== 'oauth' && value !== 'jwt')
        reader.fail(authNode, `${key}.auth_method`, 'must be oauth or jwt');
      authMethod = value as 'oauth' | 'jwt';
    }
    const org: FleetOrg = {
      name,
      orgId,
      clientId: readReference(reader, map, entry, key, 'client_id', base, {
        plain: true,
        required: true,
      }) as ValueReference,
      clientSecret: readReference(reader, map, entry, key, 'client_secret', base, {
        plain: false,
        required: true,
      }) as ValueReference,
      authMethod,
      syncConfig: resolve(base, reader.string(need('sync_config'), `${key}.sync_config`)),
      line,
    };
    if (authMethod === 'jwt') {
      org.technicalAccountId = reader.string(need('technical_account_id'), `${key}.technical_account_id`);
      org.privateKeyFile = resolve(base, reader.string(need('private_key_file'), `${key}.private_key_file`));
      const passphrase = readReference(reader, map, entry, key, 'private_key_passphrase', base, {
        plain: false,
        required: false,
      });
      if (passphrase !== undefined) org.passphrase = passphrase;
    } else {
      for (const jwtOnly of [
        'technical_account_id',
        'private_key_file',
        'private_key_passphrase_env',
        'private_key_passphrase_file',
      ]) {
        if (map.has(jwtOnly))
          reader.fail(map.get(jwtOnly), `${key}.${jwtOnly}`, 'is for auth_method: jwt only');
      }
    }
    const windowNode = map.get('window');
    if (windowNode !== undefined) {
      const window = parseScheduleWindow(reader.string(windowNode, `${key}.window`));
      if (window === undefined) {
        return reader.fail(
          windowNode,
          `${key}.window`,
          'must be a daily UTC window HH:MM-HH:MM such as "22:00-05:00"',
        );
      }
      org.window = window;
    }
    const state = map.get('state');
    if (state !== undefined) {
      const location = reader.string(state, `${key}.state`);
      org.state =
        /^[a-z][a-z0-9+.-]*:\/\//i.test(location) || location.startsWith('sqlite:')
          ? location
          : resolve(base, location);
    }
    const umapiUrl = readUrl(reader, map.get('umapi_url'), `${key}.umapi_url`) ?? defaultUmapiUrl;
    if (umapiUrl !== undefined) org.umapiUrl = umapiUrl;
    const imsUrl = readUrl(reader, map.get('ims_url'), `${key}.ims_url`) ?? defaultImsUrl;
    if (imsUrl !== undefined) org.imsUrl = imsUrl;
    orgs.push(org);
  }
  const config: FleetConfig = { file, concurrency, orgs };
  const reportDir = root.get('report_dir');
  if (reportDir !== undefined) config.reportDir = resolve(base, reader.string(reportDir, 'report_dir'));
  return config;
}

export async function loadFleetConfig(file: string): Promise<FleetConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read the fleet file ${file}: ${describeFsError(error)}`);
  }
  return parseFleetConfig(text, file);
}
