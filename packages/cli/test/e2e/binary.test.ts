import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '@umapi-kit/emulator';
import type { Emulator } from '@umapi-kit/emulator';
import { ensureCliBuilt, runBinary as run } from '../support/cli-binary.js';

let emulator: Emulator;
let dir: string;
let port: string;

function configText(overrides: Record<string, string> = {}): string {
  const demo = emulator.demo!;
  const values: Record<string, string> = {
    scheme: 'http',
    host: `127.0.0.1:${port}`,
    endpoint: '/v2/usermanagement',
    ims_host: `127.0.0.1:${port}`,
    ims_endpoint_jwt: '/ims/exchange/jwt',
    domain: demo.enterpriseDomain,
    fed_domain: demo.federatedDomain,
    org_id: demo.orgId,
    api_key: demo.clientId,
    client_secret: demo.clientSecret,
    tech_acct: demo.technicalAccountId,
    priv_key_filename: 'private.key',
    ...overrides,
  };
  const server = ['scheme', 'host', 'endpoint', 'ims_host', 'ims_endpoint_jwt'];
  const line = (key: string): string => `${key} = ${values[key] ?? ''}`;
  return `[server]\n${server.map(line).join('\n')}\n\n[enterprise]\n${Object.keys(values)
    .filter((key) => !server.includes(key))
    .map(line)
    .join('\n')}\n`;
}

function oauthEnv(): Record<string, string> {
  return {
    ...demoOrgEnv(emulator),
  };
}

const actionRequests = (): number =>
  emulator.requestLog().filter((entry) => entry.path.includes('/action/')).length;

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  port = new URL(emulator.umapiUrl).port;
  dir = await mkdtemp(join(tmpdir(), 'umapi-e2e-'));
  await writeFile(join(dir, 'private.key'), emulator.demo!.privateKeyPem);
  await writeFile(join(dir, 'usermanagement.config'), configText());
}, 120_000);

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('umapi binary against the emulator, usermanagement.config + JWT', () => {
  it('auth token: exchanges a JWT, prints the expiry, never the token or secret', async () => {
    const result = await run(['auth', 'token', '--output', 'table'], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/token obtained with JWT service account for .*; expires \d{4}-/);
    expect(result.stdout + result.stderr).not.toContain(emulator.demo!.clientSecret);
    expect(result.stdout).not.toMatch(/eyJ/);
  });

  it('users create --groups: creates and adds to a user group and a profile in one command', async () => {
    const result = await run(
      [
        'users',
        'create',
        '--type',
        'enterprise',
        'e2e.user@example.com',
        '--first-name',
        'E',
        '--last-name',
        'Two',
        '--country',
        'US',
        '--groups',
        'TestGroup1,Creative Cloud 1',
        '--output',
        'table',
      ],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('created enterprise user and added to TestGroup1, Creative Cloud 1');
    const got = await run(['users', 'get', 'e2e.user@example.com', '--json'], { cwd: dir });
    expect(got.code).toBe(0);
    const user = JSON.parse(got.stdout) as { type: string; groups: string[] };
    expect(user.type).toBe('enterpriseID');
    expect(user.groups).toEqual(expect.arrayContaining(['TestGroup1', 'Creative Cloud 1']));
  });

  it('--test-only changes nothing', async () => {
    const result = await run(
      ['users', 'remove', 'e2e.user@example.com', '--test-only', '--output', 'table'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('test only: nothing was changed');
    expect((await run(['users', 'get', 'e2e.user@example.com', '--json'], { cwd: dir })).code).toBe(0);
  });
});

describe('umapi binary with OAuth settings from the environment', () => {
  it('users list streams JSON lines', async () => {
    const result = await run(['users', 'list'], { cwd: tmpdir(), env: oauthEnv() });
    expect(result.code).toBe(0);
    const emails = result.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { email: string }).email);
    expect(emails).toContain('ada.admin@example.com');
  });

  it('a wrong client secret is an authentication failure (exit 4) that does not echo the secret', async () => {
    const result = await run(['groups', 'list'], {
      cwd: tmpdir(),
      env: { ...oauthEnv(), UMAPI_CLIENT_SECRET: 'p8e-wrong-secret' },
    });
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('authentication failed');
    expect(result.stderr).not.toContain('p8e-wrong-secret');
    expect(result.stderr).not.toContain('    at ');
  });
});

describe('broken inputs: clear message, exit code, nothing sent', () => {
  it('malformed usermanagement.config (exit 2)', async () => {
    await writeFile(join(dir, 'broken.config'), configText().replace('org_id =', 'org_id'));
    const before = emulator.requestLog().length;
    const result = await run(['--config', 'broken.config', 'users', 'list'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.config line \d+: expected 'key = value'/);
    expect(emulator.requestLog().length).toBe(before);
  });

  it('unreadable private key (exit 2)', async () => {
    await writeFile(join(dir, 'nokey.config'), configText({ priv_key_filename: 'missing.key' }));
    const result = await run(['--config', 'nokey.config', 'auth', 'token'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cannot read the private key file');
    expect(result.stderr).toContain('priv_key_filename');
    expect(result.stderr).toContain('no such file');
  });

  it('CSV with a bad row: every problem reported with its line, no action sent (exit 2)', async () => {
    await writeFile(
      join(dir, 'import.csv'),
      'type,user,firstname,lastname,country\nenterprise,good.one@example.com,G,One,US\nenterprise,bad.row@example.com,,Row,USA\n',
    );
    const before = actionRequests();
    const result = await run(['users', 'import', 'import.csv'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('import.csv:3: country');
    expect(result.stderr).toContain('import.csv:3: firstname: required for enterprise users');
    expect(result.stderr).toContain('nothing was sent');
    expect(actionRequests()).toBe(before);
    expect(emulator.snapshot().users.some((user) => user.email === 'good.one@example.com')).toBe(false);
  });

  it('unknown flag (exit 2)', async () => {
    const result = await run(['users', 'list', '--no-such-flag'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--no-such-flag'");
  });

  it('destructive command off a terminal without --yes (exit 2), nothing sent', async () => {
    const before = actionRequests();
    const result = await run(['groups', 'delete', 'TestGroup1'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pass --yes');
    expect(actionRequests()).toBe(before);
  });

  it('umapi demo runs the ten walkthrough tasks and exits 0', async () => {
    const result = await run(['demo'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('All 10 tasks behaved as the walkthrough says.');
    expect(result.stdout.match(/^ {3}ok: /gm)).toHaveLength(10);
  });
});
