import { generateKeyPairSync } from 'node:crypto';
import { ConnectionError, oauthServerToServer, UmapiClient, UnavailableError } from '@umapi-kit/client';
import { REDACTED, Redactor, redactError, redactFields, redactText } from '../../src/redact.js';
import { describe, expect, it } from 'vitest';
import { errorText } from '../support/capture-logger.js';
import { FakeClock } from '../support/fake-clock.js';

const JWT =
  'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJPUkcxQEFkb2JlT3JnIiwiZXhwIjoxfQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtMTIzNDU2Nzg5MA';

describe('redaction', () => {
  it('removes bearer tokens, JWTs, PEM keys and secret parameters from text', () => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const text = redactText(
      `Authorization: Bearer abc.def-123 jwt=${JWT} key ${pem} url https://ims/x?client_secret=s3cr3t&client_id=ok {"access_token":"tok123"}`,
    );
    expect(text).not.toContain('abc.def-123');
    expect(text).not.toContain(JWT.slice(0, 30));
    expect(text).not.toContain('PRIVATE KEY');
    expect(text).not.toContain('s3cr3t');
    expect(text).not.toContain('tok123');
    expect(text).toContain('client_id=ok');
    expect(text).toContain(`Bearer ${REDACTED}`);
  });

  it('replaces secret-named fields and known values', () => {
    const redactor = new Redactor();
    redactor.add('known-value-42');
    expect(
      redactor.fields({ clientSecret: 'x', Authorization: 'y', note: 'has known-value-42', count: 3 }),
    ).toEqual({
      clientSecret: REDACTED,
      Authorization: REDACTED,
      note: `has ${REDACTED}`,
      count: 3,
    });
    expect(redactFields({ nested: { private_key: 'k' } })).toEqual({ nested: { private_key: REDACTED } });
  });

  it('copies an error chain with every message redacted, keeping name and code', () => {
    const inner = Object.assign(new Error('connect failed for https://h/?client_secret=abc123'), {
      code: 'ECONNRESET',
    });
    const copy = redactError(new TypeError('fetch failed', { cause: inner }));
    expect(copy.name).toBe('TypeError');
    expect((copy.cause as Error & { code: string }).code).toBe('ECONNRESET');
    expect(errorText(copy)).not.toContain('abc123');
  });

  it('keeps secrets in a fetch failure cause chain out of the client error', async () => {
    const leakyFetch: typeof fetch = (input) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      if (url.includes('/ims/')) {
        return Promise.resolve(Response.json({ access_token: 'token-xyz-789', expires_in: 3600 }));
      }
      return Promise.reject(
        new TypeError('fetch failed', {
          cause: Object.assign(new Error(`socket hang up calling ${url}?client_secret=leak-me-please`), {
            code: 'ECONNRESET',
          }),
        }),
      );
    };
    const clock = new FakeClock();
    const client = new UmapiClient({
      orgId: '12345ABC@AdobeOrg',
      credentials: oauthServerToServer({
        clientId: 'c',
        clientSecret: 'leak-me-please',
        fetch: leakyFetch,
        clock,
      }),
      fetch: leakyFetch,
      clock,
      maxRetries: 1,
    });
    const error = await client
      .request({ method: 'GET', path: '/groups/x/0', endpointClass: 'groupRead' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as UnavailableError).lastError).toBeInstanceOf(ConnectionError);
    expect((error as Error).message).toContain('ECONNRESET');
    const text = errorText(error);
    expect(text).not.toContain('leak-me-please');
    expect(text).not.toContain('token-xyz-789');
  });
});
