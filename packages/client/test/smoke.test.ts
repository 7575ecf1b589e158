import { describe, expect, it } from 'vitest';

describe('workspace', () => {
  it('resolves the client package from source', async () => {
    const client = await import('@umapi-kit/client');
    expect(typeof client).toBe('object');
  });
});
