import type { User } from '@umapi-kit/client';
import type { PlanEntry } from '../plan/plan-types.js';
import type { SyncClient } from './sync-client.js';

const lower = (value: string): string => value.toLowerCase();

async function readBack(entry: PlanEntry, client: SyncClient, signal?: AbortSignal): Promise<User | null> {
  const { target } = entry;
  const options: { domain?: string; signal?: AbortSignal } = {};
  if (target.domain !== undefined) options.domain = target.domain;
  if (signal !== undefined) options.signal = signal;
  const user = await client.users.get(target.user, options);
  const newEmail = entry.attributes?.email;
  if (user !== null || newEmail === undefined || target.domain !== undefined) return user;
  // An update that changed the email: the account now answers to the new address.
  return client.users.get(newEmail, signal === undefined ? {} : { signal });
}

/** Whether an Adobe user (null: absent) is in the state the entry wanted. */
export function entryIsApplied(entry: PlanEntry, user: User | null): boolean {
  switch (entry.kind) {
    case 'remove-from-org':
    case 'delete-account':
      return user === null;
    case 'remove-all-groups':
      return user === null || (user.groups ?? []).length === 0;
    case 'remove-mapped-groups':
      return user === null || !hasAny(user, entry.removeGroups ?? []);
    case 'create':
    case 'update': {
      if (user === null) return false;
      const groups = new Set((user.groups ?? []).map(lower));
      if ((entry.addGroups ?? []).some((group) => !groups.has(lower(group)))) return false;
      if (hasAny(user, entry.removeGroups ?? [])) return false;
      if (entry.kind === 'create') return true;
      const attributes = entry.attributes ?? {};
      for (const key of ['email', 'username', 'firstname', 'lastname'] as const) {
        const wanted = attributes[key];
        if (wanted === undefined) continue;
        const have = user[key];
        if (typeof have !== 'string') return false;
        if (key === 'email' || key === 'username' ? lower(have) !== lower(wanted) : have !== wanted)
          return false;
      }
      return true;
    }
  }
}

function hasAny(user: User, groups: readonly string[]): boolean {
  const have = new Set((user.groups ?? []).map(lower));
  return groups.some((group) => have.has(lower(group)));
}

/** Reads the entry's user back and says whether the entry took effect. */
export async function reconcileEntry(
  entry: PlanEntry,
  client: SyncClient,
  signal?: AbortSignal,
): Promise<boolean> {
  return entryIsApplied(entry, await readBack(entry, client, signal));
}
