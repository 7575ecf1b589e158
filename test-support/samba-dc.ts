/**
 * A real Active Directory domain controller for tests: Debian's Samba, provisioned in a temp directory
 * (`samba-tool domain provision --targetdir`, no DNS, only the LDAP service), listening on 127.0.0.1 only, with
 * the test's entries added by `ldbadd` before it starts. Samba's LDAP ports (389, 636, 3268, 3269) cannot be
 * moved, so one such DC runs per machine at a time; a port in use is an error. If provisioning or starting fails,
 * `startSambaDc` throws and the test fails.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForPort } from './wait-for-port.js';

export const SAMBA_BASE_DN = 'DC=umapi,DC=test';
export const SAMBA_ADMIN = 'Administrator@umapi.test';
export const SAMBA_ADMIN_PASSWORD = 'Adm1n-Pass-42!';

export interface SambaDc {
  url: string;
  dir: string;
  /** Samba's own rendering of an entry's objectGUID (ldbsearch on the database). */
  objectGuidOf(sAMAccountName: string): string;
  stop(): Promise<void>;
}

function run(command: string, args: string[], what: string): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.error !== undefined || result.status !== 0) {
    throw new Error(
      `${what} failed (${command} ${args.join(' ')}): ${result.error?.message ?? (result.stderr + result.stdout).slice(-2000)}`,
    );
  }
  return result.stdout;
}

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => {
      resolve(false);
    });
    server.listen(port, '127.0.0.1', () => {
      server.close(() => {
        resolve(true);
      });
    });
  });
}

export async function startSambaDc(options: { ldif: string }): Promise<SambaDc> {
  for (const port of [389, 636, 3268, 3269]) {
    if (!(await portFree(port))) {
      throw new Error(
        `127.0.0.1:${String(port)} is in use: another Samba DC or LDAP server runs on this machine`,
      );
    }
  }
  const dir = await mkdtemp(join(tmpdir(), 'umapi-samba-'));
  let child: ChildProcess | undefined;
  try {
    const target = join(dir, 'dc');
    run(
      'samba-tool',
      [
        'domain',
        'provision',
        `--targetdir=${target}`,
        '--realm=UMAPI.TEST',
        '--domain=UMAPITEST',
        `--adminpass=${SAMBA_ADMIN_PASSWORD}`,
        '--server-role=dc',
        '--dns-backend=NONE',
        '--use-rfc2307',
        '--host-ip=127.0.0.1',
        '--option=interfaces = 127.0.0.1',
        '--option=bind interfaces only = yes',
        '--option=server services = ldap',
      ],
      'provisioning the Samba AD DC',
    );
    const conf = join(target, 'etc/smb.conf');
    const text = await readFile(conf, 'utf8');
    // Simple binds over plain ldap:// (the tests bind on 127.0.0.1), logs in the temp directory.
    await writeFile(
      conf,
      text.replace(
        '[global]\n',
        `[global]\n\tldap server require strong auth = no\n\tlog file = ${join(dir, 'log.%m')}\n`,
      ),
    );
    const ldif = join(dir, 'data.ldif');
    await writeFile(ldif, options.ldif);
    // ldbadd stops at the first entry it cannot add, yet exits 0: its count is checked instead.
    const added = run(
      'ldbadd',
      ['-H', join(target, 'private/sam.ldb'), ldif],
      'adding the test entries (ldbadd)',
    );
    const expected = (options.ldif.match(/^dn: /gm) ?? []).length;
    const count = /Added (\d+) records/.exec(added)?.[1];
    if (count !== String(expected)) {
      throw new Error(`ldbadd added ${count ?? 'no'} of ${String(expected)} entries: ${added.slice(-2000)}`);
    }
    const started = spawn('samba', ['-i', '-s', conf], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = started;
    let log = '';
    const keep = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    };
    started.stdout.on('data', keep);
    started.stderr.on('data', keep);
    const exited = new Promise<void>((resolve) => {
      started.once('exit', () => {
        resolve();
      });
    });
    await waitForPort(389, started, { name: 'samba', log: () => log, withinMs: 60_000, everyMs: 100 });
    return {
      url: 'ldap://127.0.0.1:389',
      dir,
      objectGuidOf(name) {
        const out = run(
          'ldbsearch',
          ['-H', join(target, 'private/sam.ldb'), `(sAMAccountName=${name})`, 'objectGUID'],
          'reading an objectGUID (ldbsearch)',
        );
        const match = /^objectGUID: (\S+)$/m.exec(out);
        if (match?.[1] === undefined) throw new Error(`no objectGUID for ${name}: ${out}`);
        return match[1];
      },
      async stop() {
        // samba forks workers; they share the process group started here.
        if (started.exitCode === null && started.signalCode === null && started.pid !== undefined) {
          process.kill(-started.pid, 'SIGTERM');
        }
        await exited;
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    if (child?.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
