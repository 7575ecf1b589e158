import { describe, expect, it } from 'vitest';
import { AbortError } from '@umapi-kit/client';
import type {
  Action,
  ActionOutcome,
  ExecuteOptions,
  ExecuteResult,
  RetryEvent,
  User,
} from '@umapi-kit/client';
import { runCli } from '@umapi-kit/cli';
import { FakeClient, listingOf, testEnvironment } from '../support/fake-environment.js';
import { retryMessage } from '../../src/output/retry-message.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Finishes the first action, then the user presses Ctrl-C and the client gives up with an AbortError. */
class InterruptedClient extends FakeClient {
  constructor(private readonly controller: AbortController) {
    super();
  }
  override async execute(
    input: Iterable<Action> | AsyncIterable<Action>,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult> {
    let first: Action | undefined;
    for await (const action of input) {
      first = action;
      break;
    }
    if (first === undefined) throw new Error('nothing to send');
    const outcome: ActionOutcome = {
      index: 0,
      action: first,
      status: 'succeeded',
      errors: [],
      warnings: [],
      delivery: 'answered',
      reconciled: false,
    };
    options?.onOutcome?.(outcome);
    this.controller.abort(new Error('interrupted'));
    throw new AbortError('the request was aborted');
  }
}

describe('Ctrl-C', () => {
  it('says what was and was not done, exit 130', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'umapi-int-'));
    await writeFile(
      join(dir, 'rows.csv'),
      'action,user,groups\nupdate,a@example.com,G\nupdate,b@example.com,G\nupdate,c@example.com,G\n',
    );
    const controller = new AbortController();
    const env = testEnvironment(new InterruptedClient(controller), { cwd: dir, signal: controller.signal });
    const code = await runCli(['users', 'import', 'rows.csv'], env);
    expect(code).toBe(130);
    expect(env.stderr.text).toContain(
      'interrupted: 1 of 3 rows finished (1 succeeded, 0 failed); 2 not sent or with their outcome unknown',
    );
    expect(env.stderr.text).toContain('to finish, run: umapi users import rows.csv --resume');
    await rm(dir, { recursive: true });
  });
});

describe('retry messages', () => {
  const event = (overrides: Partial<RetryEvent>): RetryEvent => ({
    attempt: 1,
    maxAttempts: 4,
    delayMs: 38_000,
    reason: 'rate-limited',
    requestId: 'r1',
    endpointClass: 'action',
    ...overrides,
  });

  it('shows the reason, the wait and the next attempt', () => {
    expect(retryMessage(event({ status: 429 }))).toBe('rate limited, waiting 38 s (attempt 2/4)');
    expect(retryMessage(event({ reason: 'server-unavailable', status: 503, delayMs: 500, attempt: 2 }))).toBe(
      'server unavailable (HTTP 503), waiting 0.5 s (attempt 3/4)',
    );
  });

  it('the client retry hook prints the wait on stderr', async () => {
    const client = new FakeClient();
    const originalExecute = client.execute.bind(client);
    const env = testEnvironment(client);
    let hook: ((event: RetryEvent) => void) | undefined;
    env.createClient = async (_settings, hooks) => {
      hook = (retry) => {
        hooks.onRetry(retry);
      };
      return client;
    };
    client.execute = async (actions, options) => {
      hook?.(event({ status: 429 }));
      return originalExecute(actions, options);
    };
    expect(await runCli(['users', 'add-groups', 'a@example.com', 'G1'], env)).toBe(0);
    expect(env.stderr.text).toContain('rate limited, waiting 38 s (attempt 2/4)');
  });
});

describe('Ctrl-C during a listing', () => {
  it('says how many users were written and that the list is incomplete (exit 130)', async () => {
    const controller = new AbortController();
    const client = new FakeClient();
    client.users.list = () => {
      const listing = listingOf<User>([]);
      return {
        ...listing,
        async *[Symbol.asyncIterator]() {
          yield { email: 'a@example.com', type: 'enterpriseID' };
          controller.abort(new Error('interrupted'));
          throw new AbortError('aborted');
        },
      };
    };
    const env = testEnvironment(client, { signal: controller.signal });
    expect(await runCli(['users', 'list'], env)).toBe(130);
    expect(env.stdout.text).toContain('a@example.com');
    expect(env.stderr.text).toContain('interrupted after 1 user: the listing is incomplete');
  });
});
