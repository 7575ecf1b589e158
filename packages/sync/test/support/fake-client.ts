import { executeTotals } from '../../../../test-support/execute-totals.js';
import type {
  Action,
  ActionOutcome,
  ExecuteOptions,
  ExecuteResult,
  Group,
  Listing,
  UmapiService,
  User,
} from '@umapi-kit/client';
import type { PlanEntry } from '../../src/index.js';
import { applyToModel, type ModelUser } from './umapi-model.js';

/** A fake client over the UMAPI model: applies each action's plan entry, can fail entries or crash mid-run. */
export class FakeClient implements UmapiService {
  readonly orgId = '12345@AdobeOrg';
  state: ModelUser[];
  readonly sent: string[] = [];
  readonly gets: string[] = [];
  /** Throw after this many actions were pulled (the last one applied or not, per `applyBeforeCrash`). */
  crashAfter: number | undefined;
  applyBeforeCrash = true;
  failIds = new Set<string>();
  /** Entries whose answer is lost (failed, `maybe-applied`), by id: whether the server applied them anyway. */
  lostAnswers = new Map<string, boolean>();

  constructor(
    state: ModelUser[],
    private readonly entries: Map<string, PlanEntry>,
  ) {
    this.state = state;
  }

  async execute(
    actions: Iterable<Action> | AsyncIterable<Action>,
    options: ExecuteOptions = {},
  ): Promise<ExecuteResult> {
    let index = 0;
    for await (const action of actions) {
      const id = action.requestId ?? '';
      const entry = this.entries.get(id);
      if (entry === undefined) throw new Error(`unknown entry ${id}`);
      action.toWire();
      this.sent.push(id);
      const crashing = this.crashAfter !== undefined && this.sent.length >= this.crashAfter;
      const lost = this.lostAnswers.get(id);
      this.lostAnswers.delete(id);
      const failing = this.failIds.has(id) || lost !== undefined;
      if ((!failing || lost === true) && options.testOnly !== true && (!crashing || this.applyBeforeCrash))
        this.state = applyToModel(this.state, [entry]);
      if (crashing) throw new Error('simulated crash');
      const outcome: ActionOutcome = {
        index: index++,
        action,
        status: failing ? 'failed' : options.testOnly === true ? 'succeededInTestMode' : 'succeeded',
        errors: [],
        warnings: [],
        delivery: lost !== undefined ? 'maybe-applied' : 'answered',
        reconciled: false,
      };
      if (lost !== undefined) {
        outcome.errorCode = 'ConnectionError';
        outcome.message = 'socket hang up';
      } else if (failing) {
        outcome.errorCode = 'error.user.nonexistent';
        outcome.message = 'User does not exist';
      }
      options.onOutcome?.(outcome);
    }
    return {
      testOnly: options.testOnly ?? false,
      outcomes: [],
      totals: executeTotals({
        actions: index,
        succeeded: index,
        failed: 0,
        succeededInTestMode: 0,
        requests: Math.ceil(index / 10),
      }),
    };
  }

  readonly groups = {
    list: (): Listing<Group> => {
      throw new Error('the applier lists no groups');
    },
  };

  readonly users = {
    list: (): Listing<User> => {
      throw new Error('the applier lists no users');
    },
    get: (userString: string, options: { domain?: string } = {}): Promise<User | null> => {
      this.gets.push(userString);
      const lower = userString.toLowerCase();
      const found = this.state.find((user) =>
        options.domain !== undefined
          ? user.username.toLowerCase() === lower &&
            user.domain.toLowerCase() === options.domain.toLowerCase()
          : user.email.toLowerCase() === lower,
      );
      return Promise.resolve(found === undefined ? null : { ...found, groups: [...found.groups] });
    },
  };
}
