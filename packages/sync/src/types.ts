/** Shared shapes of the sync package: directory users and Adobe users as the planner sees them. */
import type { IdentityType } from '@umapi-kit/client';

export type { IdentityType };

/** One person as the directory describes them. `groups` are directory group names (before mapping). */
export interface DirectoryUser {
  email: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  groups: string[];
  type?: IdentityType;
  username?: string;
  domain?: string;
  /** The source's immutable id for the person (CSV/JSONL column `id`; LDAP objectGUID or entryUUID). */
  id?: string;
}

/**
 * An Adobe user as the planner needs it (a structural subset of the client's `User`, so listings can be passed
 * straight in). `type: 'unknown'` users are never touched.
 */
export interface AdobeUser {
  email: string;
  username?: string | undefined;
  domain?: string | undefined;
  type: IdentityType | 'unknown';
  firstname?: string | undefined;
  lastname?: string | undefined;
  country?: string | undefined;
  groups?: string[] | undefined;
}
