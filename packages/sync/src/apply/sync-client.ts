import type { Action, ExecuteOptions, ExecuteResult, User } from '@umapi-kit/client';

/** What the applier needs from a client. `UmapiClient` satisfies it; tests pass a fake. */
export interface SyncClient {
  execute(
    actions: Iterable<Action> | AsyncIterable<Action>,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult>;
  readonly users: {
    get(userString: string, options?: { domain?: string; signal?: AbortSignal }): Promise<User | null>;
  };
}
