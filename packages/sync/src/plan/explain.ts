import { isKnownIdentityType, type GetUserOptions, type User } from '@umapi-kit/client';
import type { AccountBinding } from '../state/state-store.js';
import type { AdobeUser, DirectoryUser } from '../types.js';
import type { PlanEntry } from './plan-types.js';
import { Planner } from './planner.js';
import type { SyncRules } from './sync-rules.js';

/** One step of an explanation: what was looked at, what was found, and why it matters. */
export interface ExplainStep {
  step: string;
  found: boolean;
  detail: string;
}

export interface Explanation {
  query: string;
  steps: ExplainStep[];
  directoryUser?: DirectoryUser;
  adobeUser?: AdobeUser;
  /** The entry the next plan would make for this user, if any. */
  entry?: PlanEntry;
  /** Why the next plan makes no entry, when it makes none. */
  noEntryBecause?: string;
}

export interface ExplainInputs {
  directory: readonly DirectoryUser[];
  rules: SyncRules;
  anchors: ReadonlyMap<string, AccountBinding>;
  /** Reads one Adobe account (null: none), as `UmapiService.users.get`. */
  getUser(user: string, options?: GetUserOptions): Promise<User | null>;
}

const lower = (value: string): string => value.toLowerCase();

function who(user: { email: string; username?: string | undefined; domain?: string | undefined }): string {
  return user.username !== undefined && lower(user.username) !== lower(user.email)
    ? `${user.email} (username ${user.username}${user.domain === undefined ? '' : ` in ${user.domain}`})`
    : user.email;
}

/**
 * Explains what the next sync would do for one user, reading only that user's Adobe account (by anchor binding,
 * by username and domain, by email), never the whole org: whether the user is in the directory, how it matches
 * an account (or why not), which of its groups map where, whether an exclusion protects the account, and the
 * entry the plan would make, or why none. The deletion circuit breaker is decided over the whole org, so it is
 * not applied here (the step says so).
 */
export async function explainUser(query: string, inputs: ExplainInputs): Promise<Explanation> {
  const { directory, rules, anchors } = inputs;
  const steps: ExplainStep[] = [];
  const q = lower(query.trim());
  const rows = directory.filter(
    (user) =>
      lower(user.email) === q ||
      (user.username !== undefined && lower(user.username) === q) ||
      user.id === query,
  );
  const directoryUser = rows[0];
  steps.push(
    directoryUser === undefined
      ? {
          step: 'directory',
          found: false,
          detail: `no directory user has the email, username or id "${query}"`,
        }
      : {
          step: 'directory',
          found: true,
          detail:
            `${who(directoryUser)}, ${directoryUser.type ?? `${rules.defaultIdentityType} (the default identity type)`}` +
            (directoryUser.id === undefined ? ', no anchor' : `, anchor ${directoryUser.id}`) +
            (rows.length > 1 ? `; ${String(rows.length - 1)} other row(s) also match "${query}"` : ''),
        },
  );
  if (directoryUser !== undefined) {
    const mapped: string[] = [];
    const unmapped: string[] = [];
    for (const group of directoryUser.groups) {
      const targets = rules.groups
        .filter((mapping) => lower(mapping.directoryGroup) === lower(group))
        .flatMap((mapping) => mapping.adobeGroups);
      if (targets.length === 0) unmapped.push(group);
      else mapped.push(`${group} → ${targets.join(', ')}`);
    }
    steps.push({
      step: 'groups',
      found: mapped.length > 0,
      detail:
        directoryUser.groups.length === 0
          ? 'the directory lists no groups for this user'
          : [
              mapped.length > 0 ? `mapped: ${mapped.join('; ')}` : 'none of its groups is mapped',
              unmapped.length > 0 ? `not mapped (ignored): ${unmapped.join(', ')}` : '',
            ]
              .filter((part) => part !== '')
              .join('; ') + (rules.processGroups ? '' : ' (process_groups is off: groups are not changed)'),
    });
  }

  const account = await findAccount(query, directoryUser, inputs, steps);
  if (account !== undefined) {
    const excluded = exclusionReason(account, rules);
    steps.push(
      excluded === undefined
        ? { step: 'exclusions', found: false, detail: 'no exclusion rule protects this account' }
        : { step: 'exclusions', found: true, detail: `${excluded}: the sync never touches it` },
    );
  }

  const planner = new Planner(
    directoryUser === undefined ? [] : [directoryUser],
    {
      ...rules,
      // The circuit breaker counts the whole org's changes; one user alone cannot trip it.
      maxDeletions: { count: Number.MAX_SAFE_INTEGER },
      maxGroupRemovals: undefined,
    },
    { anchors },
  );
  if (account !== undefined && rules.strategy === 'sync') planner.addAdobeUser(account);
  const plan = planner.finish();
  steps.push({
    step: 'safety limits',
    found: false,
    detail:
      'a destructive entry can still be held by max_deletions, max_group_removals or max_directory_drop, which ' +
      'are decided over the whole org by `sync plan`',
  });
  const entry = plan.entries[0];
  const explanation: Explanation = { query, steps };
  if (directoryUser !== undefined) explanation.directoryUser = directoryUser;
  if (account !== undefined) explanation.adobeUser = account;
  if (entry !== undefined) {
    explanation.entry = entry;
    return explanation;
  }
  const problem = plan.problems[0];
  explanation.noEntryBecause =
    problem !== undefined
      ? problem.message
      : account !== undefined && exclusionReason(account, rules) !== undefined
        ? 'the account is excluded'
        : directoryUser === undefined && account === undefined
          ? 'the user is neither in the directory nor in the org'
          : directoryUser === undefined
            ? `the account is Adobe-only and adobe_only_user_action is ${rules.adobeOnlyUserAction}, which changes nothing for it`
            : account === undefined
              ? 'no entry'
              : 'the account already matches the directory (nothing to change)';
  return explanation;
}

/** Looks the account up the ways the planner matches, and records each try. */
async function findAccount(
  query: string,
  user: DirectoryUser | undefined,
  inputs: ExplainInputs,
  steps: ExplainStep[],
): Promise<AdobeUser | undefined> {
  const tries: { how: string; user: string; options?: GetUserOptions }[] = [];
  const binding = user?.id === undefined ? undefined : inputs.anchors.get(user.id);
  if (binding?.missing === true) {
    steps.push({
      step: 'anchor',
      found: false,
      detail: `anchor ${user?.id ?? ''} was bound to ${who(binding)}, which has left the org (matched as if unbound)`,
    });
  } else if (binding !== undefined)
    tries.push({ how: `anchor ${user?.id ?? ''} (bound to ${who(binding)})`, user: binding.email });
  else if (user?.id !== undefined) {
    steps.push({ step: 'anchor', found: false, detail: `anchor ${user.id} is not bound to an account yet` });
  }
  if (user?.username !== undefined && lower(user.username) !== lower(user.email)) {
    tries.push({
      how: 'username and domain',
      user: user.username,
      options: { domain: user.domain ?? user.email.slice(user.email.lastIndexOf('@') + 1) },
    });
  }
  tries.push({ how: 'email', user: user?.email ?? query });
  for (const attempt of tries) {
    const found = await inputs.getUser(attempt.user, attempt.options);
    if (found !== null) {
      steps.push({
        step: 'match',
        found: true,
        detail: `found ${who(found)} (${found.type}) by ${attempt.how}`,
      });
      return found;
    }
    steps.push({
      step: 'match',
      found: false,
      detail: `no account found by ${attempt.how} (${attempt.user})`,
    });
  }
  return undefined;
}

function exclusionReason(account: AdobeUser, rules: SyncRules): string | undefined {
  if (!isKnownIdentityType(account.type))
    return `its identity type ${account.type} is not one the sync knows`;
  if (rules.excludeIdentityTypes.includes(account.type))
    return `${account.type} is an excluded identity type`;
  const groups = new Set((account.groups ?? []).map(lower));
  const group = rules.excludeAdobeGroups.find((name) => groups.has(lower(name)));
  if (group !== undefined) return `it is in ${group}, an excluded Adobe group`;
  const pattern = rules.excludeUsers.find((regex) => {
    for (const value of [account.email, account.username]) {
      if (value === undefined) continue;
      regex.lastIndex = 0;
      const match = regex.exec(value);
      if (match !== null && match.index === 0 && match[0].length === value.length) return true;
    }
    return false;
  });
  return pattern === undefined ? undefined : `it matches exclude_users ${pattern.source}`;
}
