import type { Action, ExecuteOptions, ExecuteResult } from './actions/types.js';
import type { Group, Listing, User, UserListOptions } from './queries/types.js';

export interface GetUserOptions {
  /** Needed when the user string is a username that is not an email. */
  domain?: string;
  signal?: AbortSignal;
}

export interface GroupListOptions {
  signal?: AbortSignal;
}

/**
 * What executes actions on an org and reads its users and groups. `UmapiClient` is one; the CLI and the sync
 * package take this interface, so tests and other programs can hand them anything that behaves the same.
 */
export interface UmapiService {
  readonly orgId: string;
  /** Sends actions (an array or a stream) and returns one outcome per action; a partial failure is a result. */
  execute(
    actions: Iterable<Action> | AsyncIterable<Action>,
    options?: ExecuteOptions,
  ): Promise<ExecuteResult>;
  readonly users: {
    /** Every user of the org (or of a group), streamed page by page; never silently short. */
    list(options?: UserListOptions): Listing<User>;
    /** One user, or null when there is none. */
    get(user: string, options?: GetUserOptions): Promise<User | null>;
  };
  readonly groups: {
    list(options?: GroupListOptions): Listing<Group>;
  };
}
