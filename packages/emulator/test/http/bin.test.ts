import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, field, startBin } from '../support/bin-process.js';
import { demoClaims, signJwt } from '../support/emulator-fixtures.js';

describe('umapi-emulator bin', () => {
  it('prints working credentials, writes the config and key, and stops cleanly on SIGTERM', async () => {
    const bin = await startBin(['--port', '0', '--seed', 'demo']);
    const output = bin.output;
    let configFile = '';
    let exitCode: number | null;
    try {
      const imsUrl = field(output, 'IMS base URL');
      const umapiUrl = field(output, 'UMAPI base URL');
      const orgId = field(output, 'Org id');
      const clientId = field(output, 'Client id');
      const clientSecret = field(output, 'Client secret');
      const technicalAccountId = field(output, 'Technical account');
      const keyPath = field(output, 'Private key');
      const configPath = field(output, 'Config file');
      configFile = configPath;
      expect(imsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(field(output, 'Admin token')).toMatch(/^[0-9a-f]{48}$/);

      const token = await fetch(`${imsUrl}/ims/token/v2`, {
        method: 'POST',
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: clientId,
          client_secret: clientSecret,
        }),
      });
      expect(token.status).toBe(200);

      expect(statSync(keyPath).mode & 0o777).toBe(0o600);
      const privateKeyPem = readFileSync(keyPath, 'utf8');
      const host = new URL(imsUrl).host;
      const demo = { orgId, clientId, technicalAccountId } as Parameters<typeof demoClaims>[0];
      const jwt = signJwt(privateKeyPem, demoClaims(demo, Date.now(), host));
      const exchanged = await fetch(`${imsUrl}/ims/exchange/jwt`, {
        method: 'POST',
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret, jwt_token: jwt }),
      });
      expect(exchanged.status).toBe(200);
      const accessToken = ((await exchanged.json()) as { access_token: string }).access_token;
      const users = await fetch(`${umapiUrl}/users/${orgId}/0`, {
        headers: { Authorization: `Bearer ${accessToken}`, 'X-Api-Key': clientId },
      });
      expect(users.status).toBe(200);

      const config = readFileSync(configPath, 'utf8');
      expect(config).toContain(`[server]\nscheme = http\nhost = ${host}\nendpoint = /v2/usermanagement\n`);
      expect(config).toContain(`ims_host = ${host}\nims_endpoint_jwt = /ims/exchange/jwt\n`);
      expect(config).toContain(`org_id = ${orgId}\napi_key = ${clientId}\nclient_secret = ${clientSecret}\n`);
      expect(config).toContain(`priv_key_filename = ${keyPath}`);
    } finally {
      exitCode = await bin.stop();
    }
    expect(exitCode).toBe(0);
    expect(configFile).not.toBe('');
    expect(existsSync(configFile)).toBe(false);
  });

  it('exits 2 with a message naming the flag for bad arguments', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', BIN, '--seed', 'lots'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) =>
      child.once('exit', (c) => {
        resolve(c);
      }),
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--seed: expected demo or none, got "lots"');
  });
});
