import { describe, expect, it } from 'vitest';
import {
  ActionError,
  execute,
  GroupAction,
  splitCommand,
  UnavailableError,
  UserAction,
  type Action,
  type RequestOptions,
} from '@umapi-kit/client';
import { allCompleted, FakeRequester } from './fake-requester.js';

const groups = (n: number): string[] => Array.from({ length: n }, (_, i) => `G${i + 1}`);
const users = (n: number): UserAction[] =>
  Array.from({ length: n }, (_, i) => new UserAction(`u${i}@example.com`).addToGroups(['A']));
const bodyOf = (call: RequestOptions | undefined): { user?: string; do: Record<string, unknown>[] }[] =>
  call?.body as { user?: string; do: Record<string, unknown>[] }[];

describe('splitCommand', () => {
  it('splits lists longer than 10 into steps and more than 10 steps into entries with the same root', () => {
    const wire = new UserAction('jdoe', { domain: 'example.com' }).addToGroups(groups(25)).toWire();
    const [entry] = splitCommand(wire);
    expect(entry?.wire.do).toHaveLength(3);
    expect(entry?.wire.do[2]).toEqual({ add: { group: ['G21', 'G22', 'G23', 'G24', 'G25'] } });
    expect(entry?.originalSteps).toEqual([0, 0, 0]);

    const many = new UserAction('a@example.com');
    for (let i = 0; i < 12; i += 1) many.addToGroups([`G${i}`]);
    const entries = splitCommand(many.toWire());
    expect(entries.map((e) => e.wire.do.length)).toEqual([10, 2]);
    expect(entries[1]?.wire).toMatchObject({ user: 'a@example.com' });
    expect(entries[1]?.originalSteps).toEqual([10, 11]);
  });
});

describe('execute', () => {
  it('packs 25 actions into requests of 10, 10 and 5 and reports each as succeeded', async () => {
    const requester = new FakeRequester(allCompleted);
    const result = await execute(requester, users(25));
    expect(requester.calls.map((c) => bodyOf(c).length)).toEqual([10, 10, 5]);
    expect(requester.calls[0]).toMatchObject({
      method: 'POST',
      path: '/action/12345%40AdobeOrg',
      endpointClass: 'action',
      retryAmbiguous: true,
    });
    expect(requester.calls[0]?.query).toBeUndefined();
    expect(result.outcomes.map((o) => o.index)).toEqual(Array.from({ length: 25 }, (_, i) => i));
    expect(result.totals).toMatchObject({ actions: 25, succeeded: 25, failed: 0, requests: 3 });
  });

  it('maps an error in the 11th group of a 25-group add back to the right action and step', async () => {
    const requester = new FakeRequester(() => ({
      body: {
        completed: 1,
        notCompleted: 1,
        result: 'partial',
        // entry 1 = second action; sent steps: create(0), add G1-10 (1), add G11-20 (2), add G21-25 (3)
        errors: [
          { index: 1, step: 2, errorCode: 'error.group.not_found', message: 'Group G11 was not found' },
        ],
        warnings: [{ index: 0, step: 0, warningCode: 'warning.command.deprecated', message: 'old' }],
      },
    }));
    const first = new UserAction('a@example.com').addToGroups(['A']);
    const second = new UserAction('b@example.com').createAdobeId().addToGroups(groups(25));
    const result = await execute(requester, [first, second]);
    expect(bodyOf(requester.calls[0])[1]?.do).toHaveLength(4);
    expect(result.outcomes[0]).toMatchObject({
      status: 'succeeded',
      warnings: [{ code: 'warning.command.deprecated' }],
    });
    expect(result.outcomes[1]).toMatchObject({
      index: 1,
      action: second,
      status: 'failed',
      errorCode: 'error.group.not_found',
      message: 'Group G11 was not found',
      step: 1,
      errors: [{ step: 1, stepName: 'add' }],
    });
    expect(result.totals).toMatchObject({ succeeded: 1, failed: 1 });
  });

  it('keeps the entries of a split action in one request and maps steps of the second entry', async () => {
    const requester = new FakeRequester(() => ({
      body: { result: 'partial', errors: [{ index: 9, step: 1, errorCode: 'error.x', message: 'bad' }] },
    }));
    const long = new UserAction('long@example.com');
    for (let i = 0; i < 12; i += 1) long.addToGroups([`G${i}`]);
    const result = await execute(requester, [...users(8), long]);
    // 8 single entries + 2 entries = 10 would fit; here 8 + 2 = 10 so one request
    expect(requester.calls.map((c) => bodyOf(c).length)).toEqual([10]);
    expect(result.outcomes[8]).toMatchObject({ status: 'failed', step: 11 });
    const requester2 = new FakeRequester(allCompleted);
    await execute(requester2, [...users(9), long]);
    expect(requester2.calls.map((c) => bodyOf(c).length)).toEqual([9, 2]);
  });

  it('sends ?testOnly=true in test mode and counts succeededInTestMode', async () => {
    const requester = new FakeRequester(() => ({
      body: {
        completed: 0,
        completedInTestMode: 2,
        result: 'partial',
        errors: [{ index: 1, step: 0, errorCode: 'error.user.email.invalid', message: 'bad' }],
      },
    }));
    const result = await execute(requester, users(3), { testOnly: true });
    expect(requester.calls[0]?.query).toEqual({ testOnly: 'true' });
    expect(result.testOnly).toBe(true);
    expect(result.outcomes.map((o) => o.status)).toEqual([
      'succeededInTestMode',
      'failed',
      'succeededInTestMode',
    ]);
    expect(result.totals).toMatchObject({ succeeded: 0, succeededInTestMode: 2, failed: 1 });
  });

  it('reconciles "already done" errors after an ambiguous send as our own earlier success', async () => {
    const requester = new FakeRequester((options) => {
      if (options.method === 'GET') {
        return options.path.endsWith('/new@example.com')
          ? { body: { result: 'success', user: { email: 'new@example.com', type: 'federatedID' } } }
          : { status: 404, body: { result: 'error.user.not_found' } };
      }
      return {
        ambiguous: true,
        attempts: 2,
        totalRetryDelayMs: 3000,
        body: {
          result: 'error',
          errors: [
            { index: 0, step: 0, errorCode: 'error.user.already_in_org', message: 'exists' },
            { index: 1, step: 0, errorCode: 'error.usergroup.already_exists', message: 'exists' },
            { index: 2, step: 0, errorCode: 'error.usergroup.not_found', message: 'gone' },
            { index: 3, step: 0, errorCode: 'error.user.nonexistent', message: 'no old' },
            { index: 4, step: 0, errorCode: 'error.user.nonexistent', message: 'no old' },
            { index: 5, step: 0, errorCode: 'error.group.not_found', message: 'really bad' },
          ],
        },
      };
    });
    const result = await execute(requester, [
      new UserAction('a@example.com').createEnterpriseId({ firstname: 'A', lastname: 'B' }),
      new GroupAction('G').create(),
      new GroupAction('H').delete(),
      new UserAction('old@example.com').update({ email: 'new@example.com' }),
      new UserAction('old2@example.com').update({ email: 'missing@example.com' }),
      new UserAction('c@example.com').addToGroups(['Nope']),
    ]);
    expect(result.outcomes.map((o) => o.status)).toEqual([
      'succeeded',
      'succeeded',
      'succeeded',
      'succeeded',
      'failed',
      'failed',
    ]);
    expect(result.outcomes.every((o) => o.reconciled)).toBe(true);
    expect(requester.calls.filter((c) => c.method === 'GET').map((c) => c.path)).toEqual([
      '/organizations/12345%40AdobeOrg/users/new@example.com',
      '/organizations/12345%40AdobeOrg/users/missing@example.com',
    ]);
    expect(result.totals).toMatchObject({ requests: 2, retries: 1, totalRetryDelayMs: 3000 });
  });

  it('does not reconcile the same errors when the send was not ambiguous', async () => {
    const requester = new FakeRequester(() => ({
      body: {
        result: 'error',
        errors: [{ index: 0, step: 0, errorCode: 'error.user.already_in_org', message: 'x' }],
      },
    }));
    const result = await execute(requester, [
      new UserAction('a@example.com').createAdobeId({ option: 'errorIfAlreadyExists' }),
    ]);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', reconciled: false });
  });

  it('marks the actions of a request that failed in transport as failed and keeps going', async () => {
    const requester = new FakeRequester((options, call) => {
      if (call === 0) {
        throw new UnavailableError('UMAPI unavailable after 4 attempts (last status 503)', {
          attempts: 4,
          elapsedMs: 1,
          totalRetryDelayMs: 90,
        });
      }
      return allCompleted(options);
    });
    const result = await execute(requester, users(15), { concurrency: 1 });
    expect(
      result.outcomes.slice(0, 10).every((o) => o.status === 'failed' && o.errorCode === 'UnavailableError'),
    ).toBe(true);
    expect(result.outcomes[0]?.message).toContain('unavailable');
    // No answer came for them: the server may or may not have applied them.
    expect(result.outcomes.slice(0, 10).every((o) => o.unanswered === true)).toBe(true);
    expect(result.outcomes.slice(10).every((o) => o.status === 'succeeded')).toBe(true);
    expect(result.outcomes.slice(10).some((o) => 'unanswered' in o)).toBe(false);
    expect(result.totals).toMatchObject({
      failed: 10,
      succeeded: 5,
      requests: 5,
      retries: 3,
      totalRetryDelayMs: 90,
    });
  });

  it('fails every action of a request-level error without per-entry errors', async () => {
    const requester = new FakeRequester(() => ({
      body: { result: 'error.command.malformed', message: 'Malformed' },
    }));
    const result = await execute(requester, users(2));
    expect(result.outcomes.map((o) => o.errorCode)).toEqual([
      'error.command.malformed',
      'error.command.malformed',
    ]);
    // The server answered (it refused): a definite failure, not an unknown outcome.
    expect(result.outcomes.some((o) => 'unanswered' in o)).toBe(false);
  });

  it('throws ActionError carrying the result when throwOnError is set', async () => {
    const requester = new FakeRequester(() => ({
      body: { result: 'error', errors: [{ index: 0, step: 0, errorCode: 'error.x', message: 'bad' }] },
    }));
    const error = await execute(requester, users(1), { throwOnError: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ActionError);
    expect((error as ActionError).result.totals.failed).toBe(1);
  });

  it('streams an async iterable lazily with bounded requests in flight', async () => {
    let pulled = 0;
    const releases: (() => void)[] = [];
    const requester = new FakeRequester(
      (options) =>
        new Promise((resolve) => {
          releases.push(() => {
            resolve(allCompleted(options));
          });
        }),
    );
    async function* source(): AsyncGenerator<Action> {
      for (let i = 0; i < 1000; i += 1) {
        pulled += 1;
        yield new UserAction(`u${i}@example.com`).addToGroups(['A']);
      }
    }
    const seen: number[] = [];
    const running = execute(requester, source(), {
      concurrency: 2,
      collectOutcomes: false,
      onOutcome: (o) => seen.push(o.index),
    });
    for (let i = 0; i < 5; i += 1) await new Promise((r) => setImmediate(r));
    // two requests in flight, a third being filled: never the whole input
    expect(requester.inFlight).toBe(2);
    expect(pulled).toBeLessThanOrEqual(31);
    while (seen.length < 1000) {
      releases.shift()?.();
      await new Promise((r) => setImmediate(r));
    }
    const result = await running;
    expect(requester.maxInFlight).toBe(2);
    expect(result.outcomes).toEqual([]);
    expect(result.totals).toMatchObject({ actions: 1000, succeeded: 1000, requests: 100 });
  });

  it('stops on abort and reports what is known', async () => {
    const controller = new AbortController();
    const requester = new FakeRequester((options, call) => {
      if (call === 1) controller.abort(new Error('user pressed ctrl-c'));
      return allCompleted(options);
    });
    const result = await execute(requester, users(50), { concurrency: 1, signal: controller.signal });
    expect(requester.calls).toHaveLength(2);
    expect(result.totals.succeeded).toBe(20);
    expect(result.outcomes.filter((o) => o.status === 'succeeded')).toHaveLength(20);
    const stopped = result.outcomes.filter((o) => o.status === 'failed');
    expect(stopped.length).toBeGreaterThan(0);
    expect(stopped.every((o) => o.errorCode === 'client.aborted' && o.unanswered === true)).toBe(true);
  });

  it('refuses a bad concurrency', async () => {
    await expect(execute(new FakeRequester(allCompleted), [], { concurrency: 0 })).rejects.toThrow(
      /concurrency/,
    );
  });
});
