/** Shared shapes of the sync package: directory users, Adobe users as the planner sees them, identity types. */

export type IdentityType = 'adobeID' | 'enterpriseID' | 'federatedID';

export const IDENTITY_TYPES: readonly IdentityType[] = ['adobeID', 'enterpriseID', 'federatedID'];

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

export function isIdentityType(value: unknown): value is IdentityType {
  return typeof value === 'string' && (IDENTITY_TYPES as readonly string[]).includes(value);
}
