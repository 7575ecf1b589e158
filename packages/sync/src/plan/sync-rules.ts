import type { IdentityType } from '../types.js';

export const ADOBE_ONLY_ACTIONS = [
  'preserve',
  'exclude',
  'write-file',
  'remove-adobe-groups',
  'remove',
  'delete',
] as const;
export type AdobeOnlyUserAction = (typeof ADOBE_ONLY_ACTIONS)[number];

export const UPDATE_ATTRIBUTES = ['firstname', 'lastname', 'email', 'username'] as const;
export type UpdateAttribute = (typeof UPDATE_ATTRIBUTES)[number];

export interface GroupMapping {
  directoryGroup: string;
  adobeGroups: string[];
}

/** A count, or a percentage of the Adobe users read (minus excluded ones). */
export type Threshold = { count: number } | { percent: number };

/** Everything the planner decides by (what a sync config resolves to). */
export interface SyncRules {
  groups: GroupMapping[];
  /** Identity type of directory users whose row names none. */
  defaultIdentityType: IdentityType;
  /** Country for new users whose row names none (Enterprise IDs fall back to `UD`). */
  defaultCountry?: string | undefined;
  excludeIdentityTypes: IdentityType[];
  excludeAdobeGroups: string[];
  /** Full-match regexes on the Adobe user's email and username. */
  excludeUsers: RegExp[];
  updateUserInfo: boolean;
  updateAttributes: UpdateAttribute[];
  /** Add and remove mapped groups (default true). */
  processGroups: boolean;
  adobeOnlyUserAction: AdobeOnlyUserAction;
  /**
   * The deletion circuit breaker (`limits.max_deletions`, User Sync Tool alias `max_adobe_only_users`): more
   * destructive entries than this (removals from the org, account deletions, removals from every group) and all
   * of them are held.
   */
  maxDeletions: Threshold;
  /** `limits.max_group_removals`: more mapped-group removals than this and every entry removing groups is held. */
  maxGroupRemovals?: Threshold | undefined;
  /**
   * `limits.max_directory_drop`: a directory that shrank by more than this share since the last successful run
   * (or read empty) holds every destructive entry. Default 20 %.
   */
  maxDirectoryDrop: { percent: number };
  /** An anchored directory user whose bound account is gone from Adobe: `create` it again, or only `report`. */
  missingAnchoredAccount: 'create' | 'report';
  strategy: 'sync' | 'push';
  /** `directory_users.additional_groups` (applied to the directory's group names before planning). */
  additionalGroups?: AdditionalGroupRule[] | undefined;
  /** `group_sync_options.auto_create`: mapped Adobe groups missing from the org are created first (not in push). */
  autoCreateGroups?: boolean | undefined;
  /** `limits.group_removals_only`: only Adobe-only users holding mapped groups get the Adobe-only action. */
  groupRemovalsOnly?: boolean | undefined;
  adobeUsers?: AdobeUserScope | undefined;
  /**
   * A trustee org (a secondary connector with `trusted: true`): a directory user it lacks is added to its mapped
   * groups (which brings the user in) instead of created, as UMAPI refuses creates in a trusted domain.
   */
  joinByGroups?: boolean | undefined;
  directorySelection?: DirectorySelection | undefined;
}

export function defaultRules(overrides: Partial<SyncRules> = {}): SyncRules {
  return {
    groups: [],
    defaultIdentityType: 'federatedID',
    excludeIdentityTypes: [],
    excludeAdobeGroups: [],
    excludeUsers: [],
    updateUserInfo: false,
    updateAttributes: ['firstname', 'lastname', 'email'],
    processGroups: true,
    adobeOnlyUserAction: 'preserve',
    maxDeletions: { count: 200 },
    maxDirectoryDrop: { percent: 20 },
    missingAnchoredAccount: 'create',
    strategy: 'sync',
    ...overrides,
  };
}

/** `directory_users.additional_groups`: directory groups matching `source` (whole name) also map to `target`. */
export interface AdditionalGroupRule {
  /** Anchored: it matches the whole group name. */
  source: RegExp;
  /** The expression as the configuration gives it. */
  sourceText?: string;
  /** With `\1`-style references to `source`'s capture groups. */
  target: string;
}

/** Which Adobe users a sync reads (`--adobe-users`): all, those in mapped groups, or those in the named groups. */
export type AdobeUserScope = { kind: 'all' } | { kind: 'mapped' } | { kind: 'groups'; groups: string[] };

/** Which directory users take part (`--users`, `--user-filter`, `exclude_unmapped_users`). */
export interface DirectorySelection {
  /** Only users in a mapped directory group (`--users mapped`), or in these directory groups (`--users group`). */
  groups?: 'mapped' | string[] | undefined;
  /** Whole-match, case-insensitive, on the username (the email when the row has none) (`--user-filter`). */
  userFilter?: RegExp | undefined;
  /** Directory users no mapping gives an Adobe group are not created (`exclude_unmapped_users`). */
  excludeUnmapped?: boolean | undefined;
}
