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
export type AdobeOnlyLimit = { count: number } | { percent: number };

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
  maxAdobeOnlyUsers: AdobeOnlyLimit;
  strategy: 'sync' | 'push';
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
    maxAdobeOnlyUsers: { count: 200 },
    strategy: 'sync',
    ...overrides,
  };
}
