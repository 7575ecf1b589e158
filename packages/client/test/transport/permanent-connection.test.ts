import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionError, UmapiClient, oauthServerToServer } from '@umapi-kit/client';

/** A plain HTTP server behind an https:// URL: TLS cannot start, and no retry can fix that. */
let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((resolve) => {
    if (server === undefined) resolve();
    else
      server.close(() => {
        resolve();
      });
  });
  server = undefined;
});

async function plainHttp(): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer((_request, response) => {
    response.end('{}');
  });
  server.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `https://127.0.0.1:${String(port)}`, connections: () => connections };
}

describe('a connection no retry can fix', () => {
  it('fails at once, without the retries and back-off a lost connection gets', async () => {
    const { url, connections } = await plainHttp();
    const client = new UmapiClient({
      orgId: '12345@AdobeOrg',
      credentials: oauthServerToServer({ clientId: 'c', clientSecret: 'not-a-real-secret', imsUrl: url }),
      endpoint: `${url}/v2/usermanagement`,
      pacing: false,
      retry: { firstDelayMs: 10_000, randomMaxMs: 0 },
    });
    const started = Date.now();
    const error = await client.users.get('someone@example.com').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect((error as ConnectionError).permanent).toBe(true);
    expect((error as ConnectionError).message).toMatch(/wrong version number|WRONG_VERSION_NUMBER/i);
    // One try: no 10 s back-off was waited, one connection was made.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(connections()).toBe(1);
  });
});
