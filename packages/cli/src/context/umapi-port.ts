import type {
  Action,
  ExecuteOptions,
  ExecuteResult,
  Group,
  Listing,
  User,
  UserListOptions,
} from '@umapi-kit/client';

/**
 * What the command handlers use of a UMAPI client. `UmapiClient` satisfies it structurally; tests pass a fake.
 */
export interface UmapiPort {
  readonly orgId: string;
  /** Streams: actions are pulled as requests are filled, so a journal can mark each one as it goes. */
  execute(
    actions: Iterable<Action> | AsyncIterable<Action>,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult>;
  readonly users: {
    list(options?: UserListOptions): Listing<User>;
    get(user: string, options?: { domain?: string; signal?: AbortSignal }): Promise<User | null>;
  };
  readonly groups: {
    list(options?: { signal?: AbortSignal }): Listing<Group>;
  };
  getAccessToken(signal?: AbortSignal): Promise<{ accessToken: string; expiresAt: number | Date }>;
  status(signal?: AbortSignal): Promise<unknown>;
}
