import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { writePrivateFile } from '../private-files.js';
import type { DemoOrg } from '../store/seed-demo.js';

interface ClientFiles {
  directory: string;
  privateKeyPath?: string;
  configPath?: string;
}

/** Where client files go: next to a database file, else a fresh temp dir, 0700 (temporary: remove it on exit). */
export function clientFilesDirectory(dbFile: string | undefined): { directory: string; temporary: boolean } {
  if (dbFile !== undefined && dbFile !== ':memory:' && dbFile !== '') {
    return { directory: dirname(resolve(dbFile)), temporary: false };
  }
  return { directory: mkdtempSync(join(tmpdir(), 'umapi-emulator-')), temporary: true };
}

/** The walkthrough's `usermanagement.config` (INI), pointing at the emulator, plus `scheme` for our CLI. */
function renderUsermanagementConfig(options: {
  scheme: 'http' | 'https';
  hostPort: string;
  demo: DemoOrg;
  privateKeyPath: string;
}): string {
  const { demo } = options;
  return [
    '[server]',
    `scheme = ${options.scheme}`,
    `host = ${options.hostPort}`,
    'endpoint = /v2/usermanagement',
    `ims_host = ${options.hostPort}`,
    'ims_endpoint_jwt = /ims/exchange/jwt',
    '',
    '[enterprise]',
    `domain = ${demo.enterpriseDomain}`,
    `fed_domain = ${demo.federatedDomain}`,
    `org_id = ${demo.orgId}`,
    `api_key = ${demo.clientId}`,
    `client_secret = ${demo.clientSecret}`,
    `tech_acct = ${demo.technicalAccountId}`,
    `priv_key_filename = ${options.privateKeyPath}`,
    '',
  ].join('\n');
}

/** Writes the demo private key and the config file (both 0600, also when rewritten), when there is a demo org. */
export function writeClientFiles(options: {
  directory: string;
  scheme: 'http' | 'https';
  hostPort: string;
  demo?: DemoOrg;
}): ClientFiles {
  const files: ClientFiles = { directory: options.directory };
  if (options.demo !== undefined) {
    const privateKeyPath = join(options.directory, 'umapi-emulator-private.key');
    writePrivateFile(privateKeyPath, options.demo.privateKeyPem);
    const configPath = join(options.directory, 'usermanagement.config');
    writePrivateFile(
      configPath,
      renderUsermanagementConfig({
        scheme: options.scheme,
        hostPort: options.hostPort,
        demo: options.demo,
        privateKeyPath,
      }),
    );
    files.privateKeyPath = privateKeyPath;
    files.configPath = configPath;
  }
  return files;
}
