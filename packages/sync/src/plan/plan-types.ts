import type { AccountBinding } from '../state/state-store.js';
import type { IdentityType } from '../types.js';

export const PLAN_FORMAT = 'umapi-kit/sync-plan';
export const PLAN_VERSION = 2;

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
  /** Stable across runs for the same change to the same user (`org:id` for a secondary org's entry). */
  id: string;
  /** Multi-org: the secondary org (its short name) the entry is sent to; the primary's entries have none. */
  org?: string;
  kind: EntryKind;
  target: EntryTarget;
  /** `create`: the new account's fields; `update`: only the changed attributes. */
  attributes?: EntryAttributes;
  /**
   * `create`: `updateIfAlreadyExists` when update_user_info is on, else `ignoreIfAlreadyExists`; an import row
   * with `on_conflict: error` asks for `errorIfAlreadyExists` (a create that fails when the account exists).
   */
  createOption?: 'ignoreIfAlreadyExists' | 'updateIfAlreadyExists' | 'errorIfAlreadyExists';
  addGroups?: string[];
  removeGroups?: string[];
  /** The directory user's immutable id, when the source has one (bound to the account once applied). */
  anchor?: string;
  /** The account's groups when planned (Adobe-only entries): what the exclusions are checked against at apply. */
  accountGroups?: string[];
  /** A destructive entry the safety limits hold back: never applied without `--release-held`. */
  held?: { reason: string };
  /** The account as it will be named after this entry (what its anchor is bound to once it succeeds). */
  bindAs?: AccountBinding;
  /** Entries that must succeed first: the ones that free the email this entry takes. */
  after?: string[];
}

export interface AdobeOnlyUserRecord {
  /** A secondary org's name (multi-org); the primary's users have none. */
  org?: string;
  type: IdentityType;
  email: string;
  username?: string;
  domain?: string;
}

export interface PlanStats {
  directoryUsers: number;
  /** Directory rows merged into an earlier row of the same user (`duplicate_rows: merge`). */
  mergedRows: number;
  /** Directory rows skipped as invalid (their first 1,000 are in `skippedRows`). */
  skippedRows?: number;
  /** Directory users matched through their anchor. */
  matchedByAnchor: number;
  adobeUsersRead: number;
  adobeUsersExcluded: number;
  matched: number;
  unchanged: number;
  adobeOnly: number;
}

/** The exclusions a plan was made with, checked again against every entry at apply time. */
export interface PlanExclusions {
  identityTypes: IdentityType[];
  adobeGroups: string[];
  /** Regular-expression sources, matched case-insensitively against the whole email and username. */
  users: string[];
}

/** Where a plan came from, for the reviewer and for the apply's checks. */
export interface PlanOrigin {
  orgId: string;
  /** ISO time the plan was made. */
  createdAt: string;
  /** `user@host` that made it. */
  createdBy: string;
  /** SHA-256 of the sync configuration's text. */
  configFingerprint: string;
  /** SHA-256 over the directory users as read. */
  directoryFingerprint: string;
  /** The state store the plan is signed with (its key signs `digest`). */
  stateLocation: string;
  /** A plan older than this is refused by apply (milliseconds). */
  maxAgeMs: number;
}

/** Why destructive entries are held, and how many. */
export interface PlanSafety {
  held: number;
  reasons: string[];
}

export interface Plan {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  kind: 'sync-plan';
  strategy: 'sync' | 'push';
  adobeOnlyUserAction: string;
  origin?: PlanOrigin;
  exclusions: PlanExclusions;
  entries: PlanEntry[];
  /**
   * `group_sync_options.auto_create`: mapped user groups the org does not have, created (if missing still)
   * before any entry is applied.
   */
  createGroups?: string[];
  /** Adobe users with no directory match that are not excluded (for `write-file`). */
  adobeOnlyUsers: AdobeOnlyUserRecord[];
  /** Set when the safety limits hold destructive entries back. */
  safety?: PlanSafety;
  /** Directory users that could not be planned (e.g. a Federated ID with no country). */
  problems: { email: string; message: string }[];
  /**
   * Directory rows that were skipped as invalid when the plan was made, with where they are (the first 1,000;
   * `stats.skippedRows` counts them all). Their users are in no entry: a reviewer needs to see them.
   */
  skippedRows?: { source: string; line: number; column?: string; message: string }[];
  stats: PlanStats;
  /**
   * Multi-org: each secondary org's id and figures. Its entries carry `org`; they come before the primary's, so
   * secondaries are changed before the primary removes anyone.
   */
  orgs?: { name: string; orgId: string; stats: PlanStats; safety?: PlanSafety; createGroups?: string[] }[];
  /** HMAC-SHA-256 over everything else, with the state store's key: an edited plan does not verify. */
  digest?: string;
}
