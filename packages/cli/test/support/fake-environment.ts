import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { executeTotals } from '../../../../test-support/execute-totals.js';
import type {
  Action,
  ActionOutcome,
  ExecuteOptions,
  ExecuteResult,
  Group,
  Listing,
  Page,
  User,
} from '@umapi-kit/client';
import type { CliEnvironment, UmapiPort } from '@umapi-kit/cli';

/** A text sink that keeps what was written. */
export class MemorySink {
  text = '';
  isTTY: boolean;
  constructor(isTTY = false) {
    this.isTTY = isTTY;
  }
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

export function listingOf<T>(items: readonly T[]): Listing<T> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* items;
    },
    async *pages(): AsyncIterable<Page<T>> {
      yield { page: 0, lastPage: true, requestId: 'r', attempts: 1, items: [...items] };
    },
    async toArray() {
      return [...items];
    },
  };
}

export interface FakeClientOptions {
  users?: User[];
  groups?: Group[];
  /** Decides each action's outcome (default: succeeded). */
  outcome?: (action: Action, index: number) => Partial<ActionOutcome>;
}

export class FakeClient implements UmapiPort {
  readonly orgId = 'ABC123@AdobeOrg';
  readonly executed: { actions: Action[]; options: ExecuteOptions | undefined }[] = [];
  readonly listCalls: unknown[] = [];
  tokenRequests = 0;
  private readonly options: FakeClientOptions;

  constructor(options: FakeClientOptions = {}) {
    this.options = options;
  }

  /** Every command entry sent, in wire format. */
  get wire(): unknown[] {
    return this.executed.flatMap((call) => call.actions.map((action) => action.toWire()));
  }

  async execute(
    input: Iterable<Action> | AsyncIterable<Action>,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult> {
    const actions: Action[] = [];
    for await (const action of input) actions.push(action);
    this.executed.push({ actions, options });
    const testOnly = options?.testOnly === true;
    const outcomes: ActionOutcome[] = actions.map((action, index) => {
      const outcome: ActionOutcome = {
        index,
        action,
        status: testOnly ? 'succeededInTestMode' : 'succeeded',
        errors: [],
        warnings: [],
        delivery: 'answered',
        reconciled: false,
        ...this.options.outcome?.(action, index),
      };
      options?.onOutcome?.(outcome);
      return outcome;
    });
    const failed = outcomes.filter((outcome) => outcome.status === 'failed').length;
    return {
      testOnly,
      outcomes,
      totals: executeTotals({
        actions: actions.length,
        succeeded: testOnly ? 0 : actions.length - failed,
        failed,
        succeededInTestMode: testOnly ? actions.length - failed : 0,
        requests: 1,
      }),
    };
  }

  readonly users = {
    list: (options?: unknown): Listing<User> => {
      this.listCalls.push(options);
      return listingOf(this.options.users ?? []);
    },
    get: async (user: string): Promise<User | null> =>
      this.options.users?.find((candidate) => candidate.email === user || candidate.username === user) ??
      null,
  };

  readonly groups = {
    list: (): Listing<Group> => listingOf(this.options.groups ?? []),
  };

  async getAccessToken(): Promise<{ accessToken: string; expiresAt: number }> {
    this.tokenRequests++;
    return { accessToken: 'eyJ-secret-access-token', expiresAt: Date.parse('2030-01-01T12:00:00Z') };
  }

  async status(): Promise<unknown> {
    return { build: '1', version: '2.1.54', state: 'LIVE' };
  }
}

/** The org lock folder of the tests in this process. */
export const TEST_LOCK_DIR = join(tmpdir(), `umapi-kit-test-locks-${String(process.pid)}`);

export interface TestEnvironment extends CliEnvironment {
  stdout: MemorySink;
  stderr: MemorySink;
}

/** An environment with a fake client and complete OAuth settings in the environment variables. */
export function testEnvironment(client: UmapiPort, overrides: Partial<CliEnvironment> = {}): TestEnvironment {
  return {
    stdout: new MemorySink(),
    stderr: new MemorySink(),
    env: {
      UMAPI_ORG_ID: 'ABC123@AdobeOrg',
      UMAPI_CLIENT_ID: 'client-id',
      UMAPI_CLIENT_SECRET: 'p8e-very-secret-value',
      // Tests never write the machine's lock folder (/run/lock/umapi-kit).
      UMAPI_LOCK_DIR: TEST_LOCK_DIR,
      // Tests plan the same org many times a minute: the page-0 guard is off unless a test turns it on.
      UMAPI_FULL_READ_INTERVAL: '0',
    },
    cwd: '/nonexistent-umapi-test-folder',
    homeDir: '/nonexistent-umapi-test-home',
    clock: { now: () => Date.parse('2030-01-01T10:00:00Z') },
    createClient: async () => client,
    ...overrides,
  } as TestEnvironment;
}
