import { checkUserFields, isEmail } from '@umapi-kit/client';
import type { AdobeUser, DirectoryUser, IdentityType } from '../types.js';
import { entryId } from './entry-id.js';
import {
  PLAN_FORMAT,
  PLAN_VERSION,
  type AdobeOnlyUserRecord,
  type EntryAttributes,
  type EntryKind,
  type EntryTarget,
  type Plan,
  type PlanEntry,
} from './plan-types.js';
import type { SyncRules } from './sync-rules.js';

const lower = (value: string): string => value.toLowerCase();

function emailDomain(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

/** An Adobe account no directory user matches. */
interface AdobeOnlyUser {
  record: AdobeUser;
  target: EntryTarget;
  /** Mapped groups the user is in (for `preserve`). */
  mappedGroups: string[];
}

/**
 * The diff engine. Holds the directory in memory (indexed by email and by username + domain) and takes the
 * Adobe users one at a time, so the Adobe side can stream from a listing. Pure: no I/O, no clock.
 */
export class Planner {
  readonly #directory: readonly DirectoryUser[];
  readonly #rules: SyncRules;
  readonly #matched: Uint8Array;
  /** `a|email` for Adobe IDs, `e|email` for Enterprise/Federated IDs → directory index. */
  readonly #byEmail = new Map<string, number>();
  /** `username|domain` of Enterprise/Federated IDs → directory index. */
  readonly #byUsername = new Map<string, number>();
  /** Lower-cased directory group → Adobe groups it maps to. */
  readonly #mapping = new Map<string, string[]>();
  /** Lower-cased Adobe group names any mapping targets. */
  readonly #mapped = new Set<string>();
  readonly #excludedGroups: Set<string>;
  readonly #updates: PlanEntry[] = [];
  readonly #adobeOnly: AdobeOnlyUser[] = [];
  readonly #problems: { email: string; message: string }[] = [];
  /** How many Adobe accounts hold each email (`a|`/`e|` + email); kept current as the plan moves emails. */
  readonly #held = new Map<string, number>();
  /** Update entry id → the account's email before the update (for entries that change the email). */
  readonly #oldEmail = new Map<string, string>();
  #read = 0;
  #plan: Plan | undefined;
  #excluded = 0;
  #matchedCount = 0;
  #unchanged = 0;

  constructor(directoryUsers: readonly DirectoryUser[], rules: SyncRules) {
    this.#directory = directoryUsers;
    this.#rules = rules;
    this.#matched = new Uint8Array(directoryUsers.length);
    this.#excludedGroups = new Set(rules.excludeAdobeGroups.map(lower));
    for (const { directoryGroup, adobeGroups } of rules.groups) {
      const key = lower(directoryGroup);
      const targets = this.#mapping.get(key) ?? [];
      for (const group of adobeGroups) {
        if (!targets.some((existing) => lower(existing) === lower(group))) targets.push(group);
        this.#mapped.add(lower(group));
      }
      this.#mapping.set(key, targets);
    }
    directoryUsers.forEach((user, index) => {
      const type = this.#typeOf(user);
      const domain = user.domain ?? emailDomain(user.email);
      const explicitUsername =
        type !== 'adobeID' && user.username !== undefined && lower(user.username) !== lower(user.email);
      // A directory user with its own username is found by username + domain only (so an email change is an
      // update); one without is found by email, or by the email-shaped username Adobe gives such accounts.
      const keys: [Map<string, number>, string][] =
        type === 'adobeID'
          ? [[this.#byEmail, `a|${lower(user.email)}`]]
          : explicitUsername
            ? [[this.#byUsername, `${lower(user.username ?? '')}|${lower(domain)}`]]
            : [
                [this.#byEmail, `e|${lower(user.email)}`],
                [this.#byUsername, `${lower(user.email)}|${lower(domain)}`],
              ];
      if (keys.some(([index, key]) => index.has(key))) {
        this.#problems.push({
          email: user.email,
          message: 'has the same email or username as an earlier directory user; the first one wins',
        });
        this.#matched[index] = 1;
        return;
      }
      for (const [map, key] of keys) map.set(key, index);
    });
  }

  addAdobeUser(user: AdobeUser): void {
    if (this.#plan !== undefined) throw new Error('Planner: addAdobeUser after finish()');
    this.#read += 1;
    const index = this.#match(user);
    if (this.#isExcluded(user)) {
      this.#excluded += 1;
      this.#hold(emailKey(user.type, user.email), 1);
      if (index !== undefined) this.#matched[index] = 1;
      return;
    }
    if (index === undefined || this.#matched[index] === 1) {
      this.#addAdobeOnly(user);
      return;
    }
    this.#matched[index] = 1;
    this.#matchedCount += 1;
    const wanted = this.#directory[index];
    if (wanted === undefined) return;
    const attributes = this.#changedAttributes(wanted, user);
    this.#hold(emailKey(user.type, user.email), 1);
    const { add, remove } = this.#groupChanges(wanted, user.groups ?? []);
    if (attributes === undefined && add.length === 0 && remove.length === 0) {
      this.#unchanged += 1;
      return;
    }
    const target = adobeTarget(user);
    if (target === undefined) return;
    const entry = this.#entry('update', target);
    if (attributes !== undefined) entry.attributes = attributes;
    if (attributes?.email !== undefined) this.#oldEmail.set(entry.id, user.email);
    if (add.length > 0) entry.addGroups = add;
    if (remove.length > 0) entry.removeGroups = remove;
    this.#updates.push(entry);
  }

  /** The plan. Calling it again returns the same plan (the first call decides it). */
  finish(): Plan {
    this.#plan ??= this.#decide();
    return this.#plan;
  }

  #decide(): Plan {
    // Order matters: Adobe-only changes first (a removed account frees its email), then updates (which may move
    // an email), then creates.
    const entries: PlanEntry[] = [];
    const adobeOnlyEntries = this.#adobeOnlyEntries();
    const limit = this.#limit();
    const limitExceeded = adobeOnlyEntries.length > 0 && this.#adobeOnly.length > limit;
    const removed = new Set<string>();
    if (!limitExceeded) {
      for (const entry of adobeOnlyEntries) entries.push(entry);
      for (const entry of adobeOnlyEntries) {
        if (entry.kind === 'remove-from-org' || entry.kind === 'delete-account') removed.add(entry.id);
      }
    }
    for (const adobeOnly of this.#adobeOnly) {
      const removalIds = [
        entryId('remove-from-org', adobeOnly.target),
        entryId('delete-account', adobeOnly.target),
      ];
      if (removalIds.some((id) => removed.has(id)))
        this.#hold(emailKey(adobeOnly.target.type, adobeOnly.record.email), -1);
    }
    for (const entry of this.#orderEmailChanges(this.#updates)) entries.push(entry);
    this.#directory.forEach((user, index) => {
      if (this.#matched[index] === 1) return;
      const entry = this.#createEntry(user);
      if (entry !== undefined) entries.push(entry);
    });
    const adobeOnlyUsers = this.#adobeOnly.map(({ record, target }): AdobeOnlyUserRecord => {
      const out: AdobeOnlyUserRecord = { type: target.type, email: record.email };
      if (record.username !== undefined) out.username = record.username;
      if (record.domain !== undefined) out.domain = record.domain;
      return out;
    });
    const plan: Plan = {
      format: PLAN_FORMAT,
      version: PLAN_VERSION,
      kind: 'sync-plan',
      strategy: this.#rules.strategy,
      adobeOnlyUserAction: this.#rules.adobeOnlyUserAction,
      entries,
      adobeOnlyUsers,
      problems: this.#problems,
      stats: {
        directoryUsers: this.#directory.length,
        adobeUsersRead: this.#read,
        adobeUsersExcluded: this.#excluded,
        matched: this.#matchedCount,
        unchanged: this.#unchanged,
        adobeOnly: this.#adobeOnly.length,
      },
    };
    if (limitExceeded) {
      plan.safetyLimit = {
        limit,
        adobeOnly: this.#adobeOnly.length,
        message:
          `${String(this.#adobeOnly.length)} Adobe-only users exceed max_adobe_only_users (${String(limit)}): ` +
          `their "${this.#rules.adobeOnlyUserAction}" changes were left out; every other change is planned`,
      };
    }
    return plan;
  }

  #hold(key: string, delta: number): void {
    this.#held.set(key, (this.#held.get(key) ?? 0) + delta);
  }

  /**
   * Orders email-changing updates so each moves onto an address already freed (in rounds, so chains like
   * A→B, B→C work); a change onto an address another account keeps (or a swap) leaves the email out and says why.
   */
  #orderEmailChanges(updates: readonly PlanEntry[]): PlanEntry[] {
    const ordered: PlanEntry[] = [];
    let waiting: PlanEntry[] = [];
    for (const entry of updates) {
      if (entry.attributes?.email !== undefined && this.#oldEmail.has(entry.id)) waiting.push(entry);
      else ordered.push(entry);
    }
    let progress = true;
    while (waiting.length > 0 && progress) {
      progress = false;
      const next: PlanEntry[] = [];
      for (const entry of waiting) {
        const wanted = emailKey(entry.target.type, entry.attributes?.email ?? '');
        if ((this.#held.get(wanted) ?? 0) > 0) {
          next.push(entry);
          continue;
        }
        this.#hold(emailKey(entry.target.type, this.#oldEmail.get(entry.id) ?? ''), -1);
        this.#hold(wanted, 1);
        ordered.push(entry);
        progress = true;
      }
      waiting = next;
    }
    for (const entry of waiting) {
      const attributes = entry.attributes ?? {};
      this.#problems.push({
        email: attributes.email ?? '',
        message: `cannot move ${this.#oldEmail.get(entry.id) ?? ''} to this email: another Adobe account keeps it`,
      });
      const rest = { ...attributes };
      delete rest.email;
      if (Object.keys(rest).length > 0) entry.attributes = rest;
      else delete entry.attributes;
      if (
        entry.attributes === undefined &&
        entry.addGroups === undefined &&
        entry.removeGroups === undefined
      ) {
        this.#unchanged += 1;
      } else {
        ordered.push(entry);
      }
    }
    return ordered;
  }

  #typeOf(user: DirectoryUser): IdentityType {
    return user.type ?? this.#rules.defaultIdentityType;
  }

  #match(user: AdobeUser): number | undefined {
    if (user.type === 'adobeID') return this.#byEmail.get(`a|${lower(user.email)}`);
    if (user.username !== undefined && user.domain !== undefined) {
      const byName = this.#byUsername.get(`${lower(user.username)}|${lower(user.domain)}`);
      if (byName !== undefined) return byName;
    }
    return this.#byEmail.get(`e|${lower(user.email)}`);
  }

  #isExcluded(user: AdobeUser): boolean {
    if (user.type === 'unknown') return true;
    if (this.#rules.excludeIdentityTypes.includes(user.type)) return true;
    if (user.groups?.some((group) => this.#excludedGroups.has(lower(group))) === true) return true;
    return this.#rules.excludeUsers.some(
      (pattern) =>
        fullMatch(pattern, user.email) || (user.username !== undefined && fullMatch(pattern, user.username)),
    );
  }

  #desiredGroups(user: DirectoryUser): Map<string, string> {
    const desired = new Map<string, string>();
    for (const group of user.groups) {
      for (const target of this.#mapping.get(lower(group)) ?? []) desired.set(lower(target), target);
    }
    return desired;
  }

  #groupChanges(user: DirectoryUser, current: readonly string[]): { add: string[]; remove: string[] } {
    if (!this.#rules.processGroups) return { add: [], remove: [] };
    const desired = this.#desiredGroups(user);
    const have = new Set(current.map(lower));
    const add = [...desired].filter(([key]) => !have.has(key)).map(([, name]) => name);
    const remove = current.filter((group) => this.#mapped.has(lower(group)) && !desired.has(lower(group)));
    return { add, remove };
  }

  #changedAttributes(wanted: DirectoryUser, user: AdobeUser): EntryAttributes | undefined {
    if (!this.#rules.updateUserInfo || user.type === 'adobeID') return undefined;
    const changed: EntryAttributes = {};
    for (const attribute of this.#rules.updateAttributes) {
      const value = wanted[attribute];
      if (value === undefined) continue;
      const current = user[attribute];
      const differs =
        attribute === 'email' || attribute === 'username'
          ? lower(value) !== lower(current ?? '')
          : value !== current;
      if (differs) changed[attribute] = value;
    }
    return Object.keys(changed).length === 0 ? undefined : changed;
  }

  #createEntry(user: DirectoryUser): PlanEntry | undefined {
    const type = this.#typeOf(user);
    let country = user.country ?? this.#rules.defaultCountry;
    if (country === undefined && type === 'enterpriseID') country = 'UD';
    // The client's own rules for a create, so that what the plan holds, apply can send.
    const problems = checkUserFields(
      type,
      {
        email: user.email,
        ...(user.firstname === undefined ? {} : { firstname: user.firstname }),
        ...(user.lastname === undefined ? {} : { lastname: user.lastname }),
        ...(country === undefined ? {} : { country }),
      },
      'create',
    );
    if (problems.length > 0) {
      const kind =
        type === 'adobeID' ? 'an Adobe ID' : type === 'enterpriseID' ? 'an Enterprise ID' : 'a Federated ID';
      this.#problems.push({
        email: user.email,
        message:
          `cannot be created as ${kind}: ` +
          problems
            .map((problem) =>
              problem.field === 'country' && problem.rule === 'required'
                ? 'country is required: set it in the directory or default_country_code'
                : `${problem.field} ${problem.detail}`,
            )
            .join('; '),
      });
      return undefined;
    }
    if ((this.#held.get(emailKey(type, user.email)) ?? 0) > 0) {
      this.#problems.push({
        email: user.email,
        message:
          'cannot be created: another Adobe account keeps this email (matched to a different directory user, ' +
          'excluded, or Adobe-only)',
      });
      return undefined;
    }
    // A username that is not the email addresses the account: with its domain, or alone when it is
    // email-shaped (an SSO username, umapi-api.md §4.3 createFederatedID's third shape).
    const username =
      type !== 'adobeID' && user.username !== undefined && lower(user.username) !== lower(user.email)
        ? user.username
        : undefined;
    const target: EntryTarget =
      username === undefined
        ? { user: user.email, type }
        : isEmail(username)
          ? { user: username, type }
          : { user: username, domain: user.domain ?? emailDomain(user.email), type };
    const entry = this.#entry('create', target);
    const attributes: EntryAttributes = { email: user.email };
    if (user.firstname !== undefined) attributes.firstname = user.firstname;
    if (user.lastname !== undefined) attributes.lastname = user.lastname;
    if (country !== undefined) attributes.country = country;
    entry.attributes = attributes;
    entry.createOption = this.#rules.updateUserInfo ? 'updateIfAlreadyExists' : 'ignoreIfAlreadyExists';
    if (this.#rules.processGroups) {
      const desired = [...this.#desiredGroups(user).values()];
      if (desired.length > 0) entry.addGroups = desired;
      if (this.#rules.strategy === 'push') {
        // Push never reads Adobe state: also remove every other mapped group the account might hold.
        const keep = new Set(desired.map(lower));
        const others = this.#mappedNames().filter((group) => !keep.has(lower(group)));
        if (others.length > 0) entry.removeGroups = others;
      }
    }
    return entry;
  }

  #mappedNames(): string[] {
    const names = new Map<string, string>();
    for (const targets of this.#mapping.values()) for (const group of targets) names.set(lower(group), group);
    return [...names.values()];
  }

  #addAdobeOnly(user: AdobeUser): void {
    const target = adobeTarget(user);
    if (target === undefined) return;
    const mappedGroups = (user.groups ?? []).filter((group) => this.#mapped.has(lower(group)));
    this.#adobeOnly.push({ record: user, target, mappedGroups });
    this.#hold(emailKey(user.type, user.email), 1);
  }

  #adobeOnlyEntries(): PlanEntry[] {
    if (this.#rules.strategy === 'push') return [];
    const action = this.#rules.adobeOnlyUserAction;
    const entries: PlanEntry[] = [];
    for (const adobeOnly of this.#adobeOnly) {
      if (action === 'preserve' || action === 'write-file') {
        if (!this.#rules.processGroups || adobeOnly.mappedGroups.length === 0) continue;
        const entry = this.#entry('remove-mapped-groups', adobeOnly.target);
        entry.removeGroups = adobeOnly.mappedGroups;
        entries.push(entry);
      } else if (action === 'remove-adobe-groups') {
        if ((adobeOnly.record.groups ?? []).length === 0) continue;
        entries.push(this.#entry('remove-all-groups', adobeOnly.target));
      } else if (action === 'remove') {
        entries.push(this.#entry('remove-from-org', adobeOnly.target));
      } else if (action === 'delete') {
        entries.push(this.#entry('delete-account', adobeOnly.target));
      }
    }
    return entries;
  }

  #limit(): number {
    const limit = this.#rules.maxAdobeOnlyUsers;
    if ('count' in limit) return limit.count;
    return Math.floor(((this.#read - this.#excluded) * limit.percent) / 100);
  }

  #entry(kind: EntryKind, target: EntryTarget): PlanEntry {
    return { id: entryId(kind, target), kind, target };
  }
}

function emailKey(type: IdentityType | 'unknown', email: string): string {
  return `${type === 'adobeID' ? 'a' : 'e'}|${lower(email)}`;
}

function fullMatch(pattern: RegExp, value: string): boolean {
  pattern.lastIndex = 0;
  const match = pattern.exec(value);
  return match !== null && match.index === 0 && match[0].length === value.length;
}

/**
 * How to address an existing Adobe account on the wire: by username + domain when its username is not an email,
 * else by its email (umapi-api.md §4.3: a username never identifies a user on its own).
 */
function adobeTarget(user: AdobeUser): EntryTarget | undefined {
  if (user.type === 'unknown') return undefined;
  if (
    user.type !== 'adobeID' &&
    user.username !== undefined &&
    user.domain !== undefined &&
    lower(user.username) !== lower(user.email) &&
    !isEmail(user.username)
  ) {
    return { user: user.username, domain: user.domain, type: user.type };
  }
  return { user: user.email, type: user.type };
}

/** Plans a sync. Pure: the same inputs always give the same plan. Push strategy ignores `adobeUsers`. */
export function plan(
  directoryUsers: readonly DirectoryUser[],
  adobeUsers: Iterable<AdobeUser>,
  rules: SyncRules,
): Plan {
  const planner = new Planner(directoryUsers, rules);
  if (rules.strategy === 'sync') for (const user of adobeUsers) planner.addAdobeUser(user);
  return planner.finish();
}

/** `plan` with the Adobe side streamed (e.g. straight from `client.users.list()`). */
export async function planFromStream(
  directoryUsers: readonly DirectoryUser[],
  adobeUsers: AsyncIterable<AdobeUser>,
  rules: SyncRules,
): Promise<Plan> {
  const planner = new Planner(directoryUsers, rules);
  if (rules.strategy === 'sync') for await (const user of adobeUsers) planner.addAdobeUser(user);
  return planner.finish();
}
