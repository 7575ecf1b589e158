/**
 * A real OpenLDAP server for tests: Debian's slapd in a temp directory, on 127.0.0.1 only, loaded with slapadd
 * before it starts (fast: no LDAP adds over the network). If slapd cannot start, `startSlapd` throws, so the
 * test fails instead of skipping.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForPort } from './wait-for-port.js';

export const SLAPD_ADMIN_DN = 'cn=admin,dc=example,dc=com';
export const SLAPD_ADMIN_PASSWORD = 'slapd-test-secret';
/** An ordinary account (the size limit applies to it; the rootdn has no limits). */
export const SLAPD_READER_DN = 'cn=reader,dc=example,dc=com';
export const SLAPD_READER_PASSWORD = 'reader-test-secret';

export interface SlapdOptions {
  /** The entries below `dc=example,dc=com` (the suffix entry is added). */
  ldif: string;
  /** The server's size limit (default unlimited). */
  sizeLimit?: number;
  /** Also listen on ldaps:// with a certificate from a generated CA (StartTLS works on ldap:// then too). */
  tls?: boolean;
}

export interface Slapd {
  url: string;
  /** ldaps:// URL (with `tls`). */
  ldapsUrl?: string;
  /** PEM file of the CA that signed the server's certificate (with `tls`). */
  caFile?: string;
  dir: string;
  /** Kills slapd at once (SIGKILL): a server that dies mid-read. */
  kill(): void;
  /** Stops slapd and removes its directory. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

function run(command: string, args: string[], what: string): void {
  const result = spawnSync(command, args, { encoding: 'utf8' });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}): ${result.error?.message ?? result.stderr.slice(-2000)}`,
    );
  }
}

async function makeCertificates(dir: string): Promise<{ ca: string; cert: string; key: string }> {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca.key');
  const key = join(dir, 'server.key');
  const csr = join(dir, 'server.csr');
  const cert = join(dir, 'server.pem');
  const ext = join(dir, 'server.ext');
  await writeFile(ext, 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      caKey,
      '-out',
      ca,
      '-days',
      '2',
      '-subj',
      '/CN=umapi-kit test CA',
    ],
    'making the test CA',
  );
  run(
    'openssl',
    ['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=127.0.0.1'],
    'making the server key',
  );
  run(
    'openssl',
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '2',
      '-extfile',
      ext,
    ],
    'signing the server certificate',
  );
  return { ca, cert, key };
}

export async function startSlapd(options: SlapdOptions): Promise<Slapd> {
  const dir = await mkdtemp(join(tmpdir(), 'umapi-slapd-'));
  try {
    const data = join(dir, 'data');
    run('mkdir', ['-p', data], 'making the data folder');
    const port = await freePort();
    const tls = options.tls === true ? await makeCertificates(dir) : undefined;
    const tlsPort = tls === undefined ? undefined : await freePort();
    const conf = join(dir, 'slapd.conf');
    await writeFile(
      conf,
      [
        'include /etc/ldap/schema/core.schema',
        'include /etc/ldap/schema/cosine.schema',
        'include /etc/ldap/schema/nis.schema',
        'include /etc/ldap/schema/inetorgperson.schema',
        `pidfile ${join(dir, 'slapd.pid')}`,
        'modulepath /usr/lib/ldap',
        'moduleload back_mdb',
        `sizelimit ${options.sizeLimit === undefined ? 'unlimited' : `size.soft=${String(options.sizeLimit)} size.hard=${String(options.sizeLimit)} size.pr=noEstimate size.prtotal=${String(options.sizeLimit)}`}`,
        ...(tls === undefined
          ? []
          : [
              `TLSCACertificateFile ${tls.ca}`,
              `TLSCertificateFile ${tls.cert}`,
              `TLSCertificateKeyFile ${tls.key}`,
            ]),
        'database mdb',
        'maxsize 1073741824',
        'suffix "dc=example,dc=com"',
        `rootdn "${SLAPD_ADMIN_DN}"`,
        `rootpw ${SLAPD_ADMIN_PASSWORD}`,
        `directory ${data}`,
        'index objectClass eq',
        'index uid,cn,mail eq',
        'index member,uniqueMember,memberUid,seeAlso eq',
        '',
      ].join('\n'),
    );
    const ldif = join(dir, 'data.ldif');
    await writeFile(
      ldif,
      [
        'dn: dc=example,dc=com',
        'objectClass: dcObject',
        'objectClass: organization',
        'o: Example',
        'dc: example',
        '',
        `dn: ${SLAPD_READER_DN}`,
        'objectClass: organizationalRole',
        'objectClass: simpleSecurityObject',
        'cn: reader',
        `userPassword: ${SLAPD_READER_PASSWORD}`,
        '',
        options.ldif,
      ].join('\n'),
    );
    run('slapadd', ['-q', '-f', conf, '-l', ldif], 'loading the LDIF (slapadd)');
    const urls = [`ldap://127.0.0.1:${String(port)}/`];
    if (tlsPort !== undefined) urls.push(`ldaps://127.0.0.1:${String(tlsPort)}/`);
    const child = spawn('slapd', ['-d', '0', '-f', conf, '-h', urls.join(' ')], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    child.stderr.on('data', (chunk: Buffer) => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    });
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => {
        resolve();
      });
    });
    await waitForPort(port, child, { name: 'slapd', log: () => log, withinMs: 15_000, everyMs: 50 });
    if (tlsPort !== undefined)
      await waitForPort(tlsPort, child, { name: 'slapd', log: () => log, withinMs: 15_000, everyMs: 50 });
    const slapd: Slapd = {
      url: `ldap://127.0.0.1:${String(port)}`,
      dir,
      kill() {
        child.kill('SIGKILL');
      },
      async stop() {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
    if (tlsPort !== undefined && tls !== undefined) {
      slapd.ldapsUrl = `ldaps://127.0.0.1:${String(tlsPort)}`;
      slapd.caFile = tls.ca;
    }
    return slapd;
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
