import type { DirectoryUser } from '../types.js';
import type { SyncRules } from './sync-rules.js';

/**
 * The directory users a run takes part with (`--users mapped|group G1,G2`, `--user-filter REGEX`): the others
 * are left out as if the directory did not list them, as the User Sync Tool does.
 */
export function selectDirectoryUsers(
  users: readonly DirectoryUser[],
  rules: SyncRules,
): readonly DirectoryUser[] {
  const selection = rules.directorySelection;
  if (selection === undefined) return users;
  const { groups, userFilter } = selection;
  if (groups === undefined && userFilter === undefined) return users;
  const wanted =
    groups === undefined
      ? undefined
      : new Set(
          (groups === 'mapped' ? rules.groups.map((mapping) => mapping.directoryGroup) : groups).map(
            (group) => group.toLowerCase(),
          ),
        );
  return users.filter((user) => {
    if (wanted !== undefined && !user.groups.some((group) => wanted.has(group.toLowerCase()))) return false;
    if (userFilter !== undefined && !userFilter.test(user.username ?? user.email)) return false;
    return true;
  });
}
