import { describe, expect, it } from 'vitest';
import {
  ActionError,
  BadRequestError,
  GroupAction,
  TimeoutError,
  UnavailableError,
  UserAction,
  type Action,
  type RequestOptions,
} from '@umapi-kit/client';
import { execute } from '../../src/actions/execute.js';
import { splitCommand } from '../../src/actions/split-command.js';
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
    });
    expect(requester.calls[0]?.resendAfter).toBeUndefined();
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

  it('after a lost answer re-sends idempotent entries unread, reads back the others and sends only what is missing', async () => {
    const accounts: Record<string, unknown> = {
      // An account has the email "old" moves to (its change applied, or someone else's); "x" still has its address.
      'new@example.com': { email: 'new@example.com', type: 'federatedID' },
      'x@example.com': { email: 'x@example.com', type: 'federatedID' },
      // The create step of "f" was applied, its group step not.
      'f@example.com': {
        email: 'f@example.com',
        type: 'federatedID',
        firstname: 'F',
        lastname: 'G',
        groups: [],
      },
    };
    const lost = new TimeoutError('POST /action: no answer within 50 ms', 50, { attempts: 1 });
    const requester = new FakeRequester((options, call) => {
      if (options.method === 'GET' && options.path.endsWith('/0/H')) {
        // The group's read-back fails too: its outcome stays unknown.
        throw new UnavailableError('UMAPI is unavailable', {
          service: 'umapi',
          attempts: 4,
          elapsedMs: 1,
          totalRetryDelayMs: 0,
          delivery: 'not-sent',
        });
      }
      if (options.method === 'GET') {
        const user = decodeURIComponent(options.path.split('/').at(-1) ?? '');
        const account = accounts[user];
        return account === undefined
          ? { status: 404, body: { result: 'error.user.not_found' } }
          : { body: { result: 'success', user: account } };
      }
      if (call === 0) throw lost;
      // The re-send: "x" wants an address someone else has.
      const body = options.body as { user: string }[];
      const x = body.findIndex((entry) => entry.user === 'x@example.com');
      return {
        body: {
          result: 'partial',
          errors: [{ index: x, step: 0, errorCode: 'error.user.email.name_in_use', message: 'in use' }],
        },
      };
    });
    const result = await execute(requester, [
      new UserAction('a@example.com').createEnterpriseId({ firstname: 'A', lastname: 'B' }),
      new GroupAction('G').create(),
      new GroupAction('H').delete(),
      new UserAction('old@example.com').update({ email: 'new@example.com' }),
      new UserAction('x@example.com').update({ email: 'taken@example.com' }),
      new UserAction('f@example.com')
        .createFederatedId({ firstname: 'F', lastname: 'G', country: 'US', option: 'errorIfAlreadyExists' })
        .addToGroups(['A']),
    ]);
    expect(result.outcomes.map((o) => [o.status, o.delivery, o.reconciled])).toEqual([
      ['succeeded', 'answered', false],
      ['succeeded', 'answered', false],
      ['failed', 'maybe-applied', false],
      // Nothing under "old" any more, and "new" may be another account's address: unknown, never "succeeded".
      ['failed', 'maybe-applied', false],
      ['failed', 'answered', true],
      ['succeeded', 'answered', true],
    ]);
    expect(result.outcomes[4]).toMatchObject({ errorCode: 'error.user.email.name_in_use' });
    expect(result.outcomes[2]?.message).toContain('could not be read back');
    expect(result.outcomes[3]?.message).toContain('cannot be told apart from another account');
    const posts = requester.calls.filter((c) => c.method === 'POST');
    expect(posts).toHaveLength(2);
    expect(posts[1]?.resendAfter).toBe(lost);
    // Only what is missing goes again: "old" is not sent blind, "f" sends its group step alone.
    expect(bodyOf(posts[1])).toEqual([
      expect.objectContaining({ user: 'a@example.com' }),
      expect.objectContaining({ usergroup: 'G' }),
      expect.objectContaining({ user: 'x@example.com' }),
      { user: 'f@example.com', do: [{ add: { group: ['A'] } }] },
    ]);
    expect(requester.calls.filter((c) => c.method === 'GET').map((c) => c.path.split('/').at(-1))).toEqual([
      'H',
      'old@example.com',
      'new@example.com',
      'x@example.com',
      'f@example.com',
    ]);
    expect(result.totals).toMatchObject({ readBacks: 2, resent: 4, maybeApplied: 2, failed: 3 });
  });

  it('does not reconcile an answered failure', async () => {
    const requester = new FakeRequester(() => ({
      body: {
        result: 'error',
        errors: [{ index: 0, step: 0, errorCode: 'error.user.already_in_org', message: 'x' }],
      },
    }));
    const result = await execute(requester, [
      new UserAction('a@example.com').createAdobeId({ option: 'errorIfAlreadyExists' }),
    ]);
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', delivery: 'answered', reconciled: false });
    expect(requester.calls).toHaveLength(1);
  });

  it('marks the actions of a request that never reached the server as not sent, and keeps going', async () => {
    const requester = new FakeRequester((options, call) => {
      if (call === 0) {
        throw new UnavailableError(
          'UMAPI is unavailable: retries exhausted after 4 attempts (last status 429)',
          {
            service: 'umapi',
            attempts: 4,
            elapsedMs: 1,
            totalRetryDelayMs: 90,
            delivery: 'not-sent',
          },
        );
      }
      return allCompleted(options);
    });
    const result = await execute(requester, users(15), { concurrency: 1 });
    expect(
      result.outcomes.slice(0, 10).every((o) => o.status === 'failed' && o.errorCode === 'UnavailableError'),
    ).toBe(true);
    expect(result.outcomes[0]?.message).toContain('unavailable');
    expect(result.outcomes.slice(0, 10).every((o) => o.delivery === 'not-sent')).toBe(true);
    expect(
      result.outcomes.slice(10).every((o) => o.status === 'succeeded' && o.delivery === 'answered'),
    ).toBe(true);
    expect(result.totals).toMatchObject({
      failed: 10,
      notSent: 10,
      maybeApplied: 0,
      succeeded: 5,
      requests: 5,
      retries: 3,
      totalRetryDelayMs: 90,
    });
  });

  it('takes a definite refusal of the request (400, 403) as answered, never as unknown', async () => {
    const refusal = new BadRequestError('POST /action failed: HTTP 400 (result: error.command.malformed)', {
      status: 400,
      body: { result: 'error.command.malformed' },
      requestId: 'r1',
      method: 'POST',
      path: '/action',
    });
    const requester = new FakeRequester(() => {
      throw refusal;
    });
    const result = await execute(requester, users(2));
    expect(result.outcomes.map((o) => [o.errorCode, o.delivery])).toEqual([
      ['error.command.malformed', 'answered'],
      ['error.command.malformed', 'answered'],
    ]);
    expect(requester.calls).toHaveLength(1);
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
    expect(result.outcomes.every((o) => o.delivery === 'answered')).toBe(true);
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
    // Never sent: safe to send again, nothing to read back.
    expect(stopped.every((o) => o.errorCode === 'client.aborted' && o.delivery === 'not-sent')).toBe(true);
  });

  it('refuses a bad concurrency', async () => {
    await expect(execute(new FakeRequester(allCompleted), [], { concurrency: 0 })).rejects.toThrow(
      /concurrency/,
    );
  });
});

describe('execute stopped while it takes actions from an iterable', () => {
  it('gives the action it took as the stop came an outcome (not sent), so no caller is left waiting for one', async () => {
    const controller = new AbortController();
    const requester = new FakeRequester(allCompleted);
    async function* actions(): AsyncGenerator<UserAction> {
      yield new UserAction('a@example.com').addToGroups(['G']);
      // The stop comes while the second action is being handed over.
      controller.abort();
      yield new UserAction('b@example.com').addToGroups(['G']);
    }
    const result = await execute(requester, actions(), { signal: controller.signal });
    expect(result.outcomes.map((outcome) => [outcome.index, outcome.status, outcome.delivery])).toEqual([
      [0, 'failed', 'not-sent'],
      [1, 'failed', 'not-sent'],
    ]);
    expect(requester.calls).toHaveLength(0);
  });
});
