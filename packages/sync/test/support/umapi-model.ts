import type { AdobeUser, PlanEntry } from '../../src/index.js';

/** A tiny in-memory model of what UMAPI does with the commands a plan holds (for property tests). */
export type ModelUser = Required<Pick<AdobeUser, 'email' | 'type'>> & {
  username: string;
  domain: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  groups: string[];
};

const lower = (value: string): string => value.toLowerCase();

export function findUser(users: ModelUser[], entry: PlanEntry): ModelUser | undefined {
  const { target } = entry;
  if (target.domain !== undefined) {
    return users.find(
      (user) =>
        user.type !== 'adobeID' &&
        lower(user.username) === lower(target.user) &&
        lower(user.domain) === lower(target.domain ?? ''),
    );
  }
  const adobeId = target.type === 'adobeID';
  return users.find(
    (user) => (user.type === 'adobeID') === adobeId && lower(user.email) === lower(target.user),
  );
}

function addGroups(user: ModelUser, groups: readonly string[] = []): void {
  for (const group of groups)
    if (!user.groups.some((g) => lower(g) === lower(group))) user.groups.push(group);
}

function removeGroups(user: ModelUser, groups: readonly string[] = []): void {
  user.groups = user.groups.filter((g) => !groups.some((group) => lower(group) === lower(g)));
}

/** Applies entries in order; returns the new state (the input is not changed). */
export function applyToModel(state: readonly ModelUser[], entries: readonly PlanEntry[]): ModelUser[] {
  let users = state.map((user) => ({ ...user, groups: [...user.groups] }));
  for (const entry of entries) {
    let user = findUser(users, entry);
    const attributes = entry.attributes ?? {};
    switch (entry.kind) {
      case 'create': {
        if (user === undefined) {
          const email = attributes.email ?? entry.target.user;
          user = {
            type: entry.target.type,
            email,
            username: entry.target.domain !== undefined ? entry.target.user : email,
            domain: entry.target.domain ?? email.slice(email.indexOf('@') + 1),
            groups: [],
          };
          if (attributes.firstname !== undefined) user.firstname = attributes.firstname;
          if (attributes.lastname !== undefined) user.lastname = attributes.lastname;
          if (attributes.country !== undefined) user.country = attributes.country;
          users.push(user);
        } else if (entry.createOption === 'updateIfAlreadyExists') {
          if (attributes.firstname !== undefined) user.firstname = attributes.firstname;
          if (attributes.lastname !== undefined) user.lastname = attributes.lastname;
        }
        addGroups(user, entry.addGroups);
        removeGroups(user, entry.removeGroups);
        break;
      }
      case 'update':
        if (user === undefined) throw new Error(`update of a missing user ${entry.target.user}`);
        if (attributes.email !== undefined) user.email = attributes.email;
        if (attributes.username !== undefined) user.username = attributes.username;
        if (attributes.firstname !== undefined) user.firstname = attributes.firstname;
        if (attributes.lastname !== undefined) user.lastname = attributes.lastname;
        addGroups(user, entry.addGroups);
        removeGroups(user, entry.removeGroups);
        break;
      case 'remove-mapped-groups':
        if (user !== undefined) removeGroups(user, entry.removeGroups);
        break;
      case 'remove-all-groups':
        if (user !== undefined) user.groups = [];
        break;
      case 'remove-from-org':
      case 'delete-account':
        // "Always reported as success, even if the user does not exist" (umapi-api.md §4.3).
        if (user !== undefined) users = users.filter((other) => other !== user);
        break;
    }
  }
  return users;
}
