import type { IdentityType } from '../types.js';

export const PLAN_FORMAT = 'umapi-kit/sync-plan';
export const PLAN_VERSION = 1;

/**
 * `create` (with its groups), `update` (attributes and/or mapped group changes of a matched user), and the
 * Adobe-only policies: `remove-mapped-groups` (preserve), `remove-all-groups`, `remove-from-org`, `delete-account`.
 */
export type EntryKind =
  'create' | 'update' | 'remove-mapped-groups' | 'remove-all-groups' | 'remove-from-org' | 'delete-account';

export const ENTRY_KINDS: readonly EntryKind[] = [
  'create',
  'update',
  'remove-mapped-groups',
  'remove-all-groups',
  'remove-from-org',
  'delete-account',
];

/** Which account an entry acts on, as the wire names it. */
export interface EntryTarget {
  /** Email, or a username when `domain` is set. */
  user: string;
  domain?: string;
  type: IdentityType;
}

export interface EntryAttributes {
  email?: string;
  username?: string;
  firstname?: string;
  lastname?: string;
  /** Create only. */
  country?: string;
}

/** One command for one user. Plain data: converts to a client `Action` at apply time. */
export interface PlanEntry {
  /** Stable across runs for the same change to the same user. */
  id: string;
  kind: EntryKind;
  target: EntryTarget;
  /** `create`: the new account's fields; `update`: only the changed attributes. */
  attributes?: EntryAttributes;
  /** `create`: `updateIfAlreadyExists` when update_user_info is on, else `ignoreIfAlreadyExists`. */
  createOption?: 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists';
  addGroups?: string[];
  removeGroups?: string[];
}

export interface AdobeOnlyUserRecord {
  type: IdentityType;
  email: string;
  username?: string;
  domain?: string;
}

export interface PlanStats {
  directoryUsers: number;
  adobeUsersRead: number;
  adobeUsersExcluded: number;
  matched: number;
  unchanged: number;
  adobeOnly: number;
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  kind: 'sync-plan';
  strategy: 'sync' | 'push';
  adobeOnlyUserAction: string;
  entries: PlanEntry[];
  /** Adobe users with no directory match that are not excluded (for `write-file`). */
  adobeOnlyUsers: AdobeOnlyUserRecord[];
  /** Set when the Adobe-only part was skipped because of `max_adobe_only_users`. */
  safetyLimit?: { limit: number; adobeOnly: number; message: string };
  /** Directory users that could not be planned (e.g. a Federated ID with no country). */
  problems: { email: string; message: string }[];
  stats: PlanStats;
}
