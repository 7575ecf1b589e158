import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { runCli } from '@umapi-kit/cli';
import { createUmapiClient } from '../../src/context/create-client.js';
import { MemorySink } from '../support/fake-environment.js';

/** `--credential-pool FILE`: the CLI sends as several integrations of the org, against the emulator in process. */
const ORG = 'CAFE0123456789ABCDEF0001@AdobeOrg';
const dir = mkdtempSync(join(tmpdir(), 'umapi-pool-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

async function start(): Promise<Emulator> {
  emulator = await startEmulator({
    listen: false,
    seed: 'none',
    limits: 'off',
    orgs: [
      {
        orgId: ORG,
        clientId: 'main-client',
        clientSecret: 'main-secret-value',
        extraClients: [
          { clientId: 'pool-client-2', clientSecret: 'pool-secret-two' },
          { clientId: 'pool-client-3', clientSecret: 'pool-secret-three' },
        ],
        enterpriseDomains: ['pool.example.net'],
      },
    ],
  });
  return emulator;
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

async function umapi(em: Emulator, args: string[], env: Record<string, string> = {}) {
  const stdout = new MemorySink();
  const stderr = new MemorySink();
  const code = await runCli(args, {
    stdout,
    stderr,
    env: {
      UMAPI_ORG_ID: ORG,
      UMAPI_CLIENT_ID: 'main-client',
      UMAPI_CLIENT_SECRET: 'main-secret-value',
      UMAPI_URL: em.umapiUrl,
      UMAPI_IMS_URL: em.imsUrl,
      UMAPI_LOCK_DIR: join(dir, 'locks'),
      XDG_STATE_HOME: join(dir, 'state'),
      ...env,
    },
    cwd: dir,
    homeDir: dir,
    fetch: em.fetch,
    createClient: createUmapiClient,
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

const pool = [
  'integrations:',
  '  - client_id: pool-client-2',
  '    client_secret_env: POOL_SECRET_2',
  '  - client_id: pool-client-3',
  `    client_secret_file: ${join(dir, 'secret-3')}`,
].join('\n');

describe('--credential-pool', () => {
  it('sends as every integration of the pool, with secrets from the environment and a file', async () => {
    const em = await start();
    write('secret-3', 'pool-secret-three\n');
    const poolFile = write('pool.yml', pool);
    const rows = ['email,firstname,lastname,country,type'];
    for (let i = 0; i < 60; i += 1)
      rows.push(`p${String(i)}@pool.example.net,Pool,${String(i)},US,enterpriseID`);
    const csv = write('people.csv', `${rows.join('\n')}\n`);
    const run = await umapi(
      em,
      ['users', 'import', csv, '--credential-pool', poolFile, '--yes', '--no-pacing'],
      {
        POOL_SECRET_2: 'pool-secret-two',
      },
    );
    expect(run.stderr).not.toContain('pool-secret');
    expect(run.code).toBe(0);
    expect(em.snapshot(ORG).users).toHaveLength(60);
    const senders = new Set(
      em
        .requestLog()
        .filter((e) => e.path.includes('/action/'))
        .map((e) => e.clientId),
    );
    expect([...senders].sort()).toEqual(['main-client', 'pool-client-2', 'pool-client-3']);
  });

  it('refuses a secret written in the pool file, naming file, line and key, and printing no secret', async () => {
    const em = await start();
    const poolFile = write(
      'inline.yml',
      'integrations:\n  - client_id: pool-client-2\n    client_secret: pool-secret-two\n',
    );
    const run = await umapi(em, ['users', 'list', '--credential-pool', poolFile]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      `${poolFile}:3: integrations[0].client_secret: a secret is never written in the pool file`,
    );
    expect(run.stderr).not.toContain('pool-secret-two');
  });

  it('says which environment variable is not set, and refuses an integration named twice', async () => {
    const em = await start();
    const poolFile = write('pool-env.yml', pool);
    write('secret-3', 'pool-secret-three\n');
    const missing = await umapi(em, ['users', 'list', '--credential-pool', poolFile]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      `${poolFile}:3: integrations[0].client_secret_env: POOL_SECRET_2 is not set`,
    );
    const twice = write(
      'twice.yml',
      'integrations:\n  - client_id: main-client\n    client_secret_env: POOL_SECRET_2\n',
    );
    const again = await umapi(em, ['users', 'list'], { UMAPI_CREDENTIAL_POOL: twice, POOL_SECRET_2: 'x' });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--credential-pool names an integration twice');
  });
});
