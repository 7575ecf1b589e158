import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SMTPServer } from 'smtp-server';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { parseSyncConfig, SyncConfigError } from '@umapi-kit/sync';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';
import { umapiInFolder } from '../support/umapi-in-folder.js';

/**
 * `notify:` in the sync config, against a real webhook receiver and a real SMTP server on 127.0.0.1: what they
 * receive, when (on: failure | held | always), and that a notifier that cannot be reached is a warning only.
 */
interface Received {
  path: string;
  body: Record<string, unknown>;
}
interface Mail {
  from: string;
  to: string[];
  data: string;
  user: string;
  password: string;
}

const SMTP_PASSWORD = 'smtp-pass-w0rd-for-the-test';
let emulator: Emulator;
let hooks: Server;
let smtp: SMTPServer;
let hookUrl = '';
let smtpPort = 0;
let closedPort = 0;
let dir = '';
const received: Received[] = [];
const mails: Mail[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  hooks = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      received.push({ path: request.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
      response.writeHead(request.url === '/broken' ? 500 : 200).end('ok');
    });
  });
  await new Promise<void>((done) => hooks.listen(0, '127.0.0.1', done));
  hookUrl = `http://127.0.0.1:${String((hooks.address() as AddressInfo).port)}`;
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, session, callback) {
      (session as unknown as { credentials: [string, string] }).credentials = [
        auth.username ?? '',
        auth.password ?? '',
      ];
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      let data = '';
      stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
      stream.on('end', () => {
        const [user, password] = (session as unknown as { credentials?: [string, string] }).credentials ?? [
          '',
          '',
        ];
        mails.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data,
          user,
          password,
        });
        callback();
      });
    },
  });
  await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  // A port nothing listens on: bound, then closed.
  const spare = createServer();
  await new Promise<void>((done) => spare.listen(0, '127.0.0.1', done));
  closedPort = (spare.address() as AddressInfo).port;
  await new Promise<void>((done) => {
    spare.close(() => {
      done();
    });
  });
});
afterAll(async () => {
  await emulator.close();
  await new Promise<void>((done) => {
    hooks.close(() => {
      done();
    });
  });
  await new Promise<void>((done) => {
    smtp.close(() => {
      done();
    });
  });
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  received.length = 0;
  mails.length = 0;
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-notify-'));
  await writeFile(
    join(dir, 'users.csv'),
    'email,firstname,lastname,country,groups,type\nivy.new@fed.example.com,Ivy,New,US,design,federatedID\n',
  );
});

async function syncWith(notifyYaml: string[], maxAdobeOnlyUsers = 100) {
  await writeFile(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers }) + ['notify:', ...notifyYaml].join('\n') + '\n',
  );
  return umapiInFolder(emulator, dir, ['sync', 'run', '--sync-config', 'sync.yml', '--yes', '--json'], {
    env: { SMTP_PASSWORD, HOOK_URL: `${hookUrl}/from-env` },
  });
}

describe('notify', () => {
  it('posts to webhooks and mails over SMTP; an unreachable notifier is a warning and the sync still exits 0', async () => {
    const run = await syncWith([
      '  webhooks:',
      `    - url: ${hookUrl}/always`,
      '      on: always',
      '    - url_env: HOOK_URL',
      '      on: always',
      `    - url: ${hookUrl}/failure-only`,
      '      on: failure',
      `    - url: http://127.0.0.1:${String(closedPort)}/nobody`,
      '      on: always',
      `    - url: ${hookUrl}/broken`,
      '      on: always',
      '  email:',
      '    host: 127.0.0.1',
      `    port: ${String(smtpPort)}`,
      '    security: none',
      '    user: alerts',
      '    password_env: SMTP_PASSWORD',
      '    from: umapi@example.com',
      '    to: [admins@example.com, oncall@example.com]',
      '    on: always',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(received.map((hook) => hook.path).sort()).toEqual(['/always', '/broken', '/from-env']);
    const body = received.find((hook) => hook.path === '/always')?.body ?? {};
    expect(body['text']).toMatch(
      /^umapi sync of C0FFEE0123456789ABCDEF01@AdobeOrg on .*: ok: \d+ of \d+ entries succeeded/,
    );
    expect(body).toMatchObject({ org: 'C0FFEE0123456789ABCDEF01@AdobeOrg', outcome: 'ok', exitCode: 0 });
    expect((body['counts'] as Record<string, number>)['failed']).toBe(0);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      from: 'umapi@example.com',
      to: ['admins@example.com', 'oncall@example.com'],
    });
    expect(mails[0]?.user).toBe('alerts');
    expect(mails[0]?.password).toBe(SMTP_PASSWORD);
    expect(mails[0]?.data).toContain('Subject: umapi sync ok: C0FFEE0123456789ABCDEF01@AdobeOrg');
    expect(mails[0]?.data).toContain('outcome: ok (exit 0)');
    expect(run.stderr).toMatch(
      /warning: could not send the webhook alert \(.*sync\.yml: notify\.webhooks\[3\]\): fetch failed: .*ECONNREFUSED/,
    );
    expect(run.stderr).toMatch(
      /warning: could not send the webhook alert \(.*notify\.webhooks\[4\]\): the webhook answered HTTP 500/,
    );
    expect(run.stderr).not.toContain(SMTP_PASSWORD);
  });

  it('held entries reach on: held and on: always targets, not on: failure', async () => {
    const run = await syncWith(
      [
        '  webhooks:',
        ...['failure', 'held', 'always'].flatMap((on) => [`    - url: ${hookUrl}/${on}`, `      on: ${on}`]),
      ],
      0,
    );
    expect(run.code, run.stderr).toBe(5);
    expect(received.map((hook) => hook.path).sort()).toEqual(['/always', '/held']);
    expect(received[0]?.body).toMatchObject({ outcome: 'held', exitCode: 5 });
  });

  it('a server without STARTTLS is refused when security is starttls: the password is never sent in the clear', async () => {
    const run = await syncWith([
      '  email:',
      '    host: 127.0.0.1',
      `    port: ${String(smtpPort)}`,
      '    user: alerts',
      '    password_env: SMTP_PASSWORD',
      '    from: umapi@example.com',
      '    to: admins@example.com',
      '    on: always',
    ]);
    expect(run.code).toBe(0);
    expect(mails).toEqual([]);
    expect(run.stderr).toMatch(/warning: could not send the email alert \(.*notify\.email\)/);
  });

  it('refuses a password written in the config, naming file, line and key', () => {
    const text = `${demoSyncYaml({ maxAdobeOnlyUsers: 1 })}notify:\n  email:\n    host: mail\n    user: a\n    password: hunter22\n    from: a@b.c\n    to: d@e.f\n    on: failure\n`;
    expect(() => parseSyncConfig(text, 'sync.yml')).toThrow(SyncConfigError);
    expect(() => parseSyncConfig(text, 'sync.yml')).toThrow(
      /^sync\.yml:\d+: notify\.email\.password: a password is not written in the config: use password_env/,
    );
    const onMissing = `${demoSyncYaml({ maxAdobeOnlyUsers: 1 })}notify:\n  webhooks:\n    - url: https://hooks.example.com/x\n      on: sometimes\n`;
    expect(() => parseSyncConfig(onMissing, 'sync.yml')).toThrow(
      /notify\.webhooks\[0\]\.on: must be one of failure, held, always/,
    );
  });
});
