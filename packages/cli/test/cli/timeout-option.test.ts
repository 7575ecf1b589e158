import { describe, expect, it } from 'vitest';
import { runCli, type ClientHooks } from '@umapi-kit/cli';
import { createUmapiClient } from '../../src/context/create-client.js';
import { FakeClient, testEnvironment } from '../support/fake-environment.js';

describe('--timeout', () => {
  const hooksOf = async (args: string[]): Promise<{ code: number; hooks?: ClientHooks; stderr: string }> => {
    let hooks: ClientHooks | undefined;
    const client = new FakeClient();
    const env = testEnvironment(client, {
      createClient: (_settings, given) => {
        hooks = given;
        return Promise.resolve(client);
      },
    });
    const code = await runCli(args, env);
    return { code, stderr: env.stderr.text, ...(hooks === undefined ? {} : { hooks }) };
  };

  it.each([
    ['30', 30_000],
    ['45s', 45_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1.5', 1500],
  ])('--timeout %s is %d ms per request, handed to the client', async (text, ms) => {
    const run = await hooksOf(['users', 'get', 'ben@example.com', '--timeout', text]);
    // The fake org has no such user (exit 1); the option was read and handed on.
    expect(run.code).not.toBe(2);
    expect(run.hooks?.timeoutMs).toBe(ms);
  });

  it('is the client default when not given', async () => {
    const run = await hooksOf(['users', 'get', 'ben@example.com']);
    expect(run.hooks).toBeDefined();
    expect(run.hooks?.timeoutMs).toBeUndefined();
  });

  it.each(['0', '-5', 'soon', '10h', '2 minutes'])(
    'refuses --timeout %s (exit 2), naming the flag and what it takes',
    async (text) => {
      const run = await hooksOf(['users', 'get', 'ben@example.com', '--timeout', text]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("option '--timeout <duration>' argument");
      expect(run.stderr).toContain('expected a time from 1ms to 60m, such as 30 (seconds), 45s, 500ms or 2m');
      expect(run.hooks).toBeUndefined();
    },
  );

  it('is what the real client gives an attempt before it counts as a timeout', async () => {
    const controller = new AbortController();
    const reasons: string[] = [];
    // A server that never answers: only the timeout ends the attempt (the default, 120 s, outlasts the test).
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => {
          reject(init.signal?.reason as Error);
        });
      });
    const client = await createUmapiClient(
      {
        orgId: 'ABC123@AdobeOrg',
        clientId: 'client-id',
        clientSecret: 'p8e-secret',
        authMethod: 'oauth',
        imsUrl: 'http://127.0.0.1:9/ims',
        umapiUrl: 'http://127.0.0.1:9/umapi',
      },
      {
        logger: {
          error: () => undefined,
          warn: () => undefined,
          info: () => undefined,
          debug: () => undefined,
        },
        onRetry: (event) => {
          reasons.push(event.reason);
          // Stop during the backoff wait: the test needs only the first attempt's end.
          controller.abort();
        },
        signal: controller.signal,
        fetch: (input, init) =>
          String(input instanceof Request ? input.url : input).includes('/ims/')
            ? Promise.resolve(
                Response.json({ access_token: 'tok', token_type: 'bearer', expires_in: 86_399 }),
              )
            : hanging(input, init),
        pacing: false,
        timeoutMs: 50,
      },
    );
    await expect(client.users.get('ben@example.com')).rejects.toThrow();
    expect(reasons).toEqual(['timeout']);
  });
});
