import { existsSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';

describe('TLS', () => {
  it('serves HTTPS with a generated self-signed certificate for 127.0.0.1', async () => {
    const emulator = await startEmulator({ tls: true, seed: 'none' });
    try {
      expect(emulator.statusUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/status$/);
      expect(emulator.caCertPem).toContain('BEGIN CERTIFICATE');
      expect(readFileSync(emulator.caCertPath ?? '', 'utf8')).toBe(emulator.caCertPem);
      const body = await new Promise<string>((resolve, reject) => {
        const req = request(emulator.statusUrl, { ca: emulator.caCertPem }, (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            resolve(text);
          });
        });
        req.on('error', reject);
        req.end();
      });
      expect(JSON.parse(body)).toMatchObject({ state: 'LIVE' });
    } finally {
      await emulator.close();
    }
    expect(existsSync(emulator.caCertPath ?? '')).toBe(false);
  });
});
