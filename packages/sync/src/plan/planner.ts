import { checkUserFields, isEmail, isKnownIdentityType } from '@umapi-kit/client';
import type { AccountBinding } from '../state/state-store.js';
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
import { additionalGroupMappings } from './additional-groups.js';
import { missingMappedGroups } from './auto-create-groups.js';
import { selectDirectoryUsers } from './directory-selection.js';
import { holdDestructive } from './safety-limits.js';
import type { SyncRules } from './sync-rules.js';
import { keepWritableGroupChanges, type UnwritableGroups } from './unwritable-groups.js';

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

/** How a directory user found its Adobe account. */
export type MatchedBy = 'anchor' | 'username' | 'email';

export interface PlannerOptions {
  /** Each anchor's bound Adobe account, from the state store. */
  anchors?: ReadonlyMap<string, AccountBinding>;
  /** Directory users of the last successful run, for the `max_directory_drop` guard. */
  previousDirectoryUsers?: number | undefined;
  /** Groups whose membership UMAPI refuses to change (from the org's group listing): changes become problems. */
  unwritableGroups?: UnwritableGroups | undefined;
  /** The org's group names (any case), for `auto_create`: mapped groups missing from it are created first. */
  existingGroups?: ReadonlySet<string> | undefined;
}

/**
 * The diff engine. Holds the directory in memory (indexed by anchor binding, by email and by username + domain)
 * and takes the Adobe users one at a time, so the Adobe side can stream from a listing. Pure: no I/O, no clock.
 */
export class Planner {
  readonly #directory: readonly DirectoryUser[];
  readonly #rules: SyncRules;
  readonly #options: PlannerOptions;
  /** How each directory user was matched (undefined: not yet). */
  readonly #matchedBy: (MatchedBy | 'duplicate' | undefined)[];
  /** The Adobe account each matched directory user was matched to. */
  readonly #matchedAccount = new Map<number, AdobeUser>();
  /** `a|email` for Adobe IDs, `e|email` for Enterprise/Federated IDs → directory index. */
  readonly #byEmail = new Map<string, number>();
  /** `username|domain` of Enterprise/Federated IDs → directory index. */
  readonly #byUsername = new Map<string, number>();
  /** The accounts anchors are bound to (by email key and by `username|domain`) → directory index. */
  readonly #byBinding = new Map<string, number>();
  /** Lower-cased directory group → Adobe groups it maps to. */
  readonly #mapping = new Map<string, string[]>();
  /** Lower-cased Adobe group names any mapping targets. */
  readonly #mapped = new Set<string>();
  readonly #excludedGroups: Set<string>;
  readonly #updates: PlanEntry[] = [];
  /** Directory index → its update entry. */
  readonly #updateOf = new Map<number, PlanEntry>();
  readonly #adobeOnly: AdobeOnlyUser[] = [];
  readonly #problems: { email: string; message: string }[] = [];
  /** How many Adobe accounts hold each email (`a|`/`e|` + email); kept current as the plan moves emails. */
  readonly #held = new Map<string, number>();
  /** The entry whose success frees an email (an email change away from it, or a removal) → its id. */
  readonly #freedBy = new Map<string, string>();
  /** Update entry id → the account's email before the update (for entries that change the email). */
  readonly #oldEmail = new Map<string, string>();
  #read = 0;
  #excluded = 0;
  #unchanged = 0;
  #plan: Plan | undefined;

  constructor(directoryUsers: readonly DirectoryUser[], rules: SyncRules, options: PlannerOptions = {}) {
    directoryUsers = selectDirectoryUsers(directoryUsers, rules);
    this.#directory = directoryUsers;
    this.#rules = rules;
    this.#options = options;
    this.#matchedBy = new Array<MatchedBy | 'duplicate' | undefined>(directoryUsers.length);
    this.#excludedGroups = new Set(rules.excludeAdobeGroups.map(lower));
    for (const { directoryGroup, adobeGroups } of [
      ...rules.groups,
      ...additionalGroupMappings(rules, directoryUsers),
    ]) {
      const key = lower(directoryGroup);
      const targets = this.#mapping.get(key) ?? [];
      for (const group of adobeGroups) {
        if (!targets.some((existing) => lower(existing) === lower(group))) targets.push(group);
        this.#mapped.add(lower(group));
      }
      this.#mapping.set(key, targets);
    }
    directoryUsers.forEach((user, index) => {
      this.#index(user, index);
    });
  }

  #index(user: DirectoryUser, index: number): void {
    const binding = user.id === undefined ? undefined : this.#options.anchors?.get(user.id);
    const keys: [Map<string, number>, string][] = [];
    if (binding !== undefined && binding.missing !== true) {
      // Bound: found through its account alone, whatever its email and username are now.
      keys.push([this.#byBinding, emailKey(binding.type, binding.email)]);
      if (binding.username !== undefined && binding.domain !== undefined) {
        keys.push([this.#byBinding, usernameKey(binding.username, binding.domain)]);
      }
    } else {
      const type = this.#typeOf(user);
      const domain = user.domain ?? emailDomain(user.email);
      const username = explicitUsername(type, user);
      // A directory user with its own username is found by username + domain (so an email change is an update),
      // and, when that username is email-shaped, by email too (UMAPI moves an email-type username with the
      // email); one without is found by email, or by the email-shaped username Adobe gives such accounts.
      if (type === 'adobeID') keys.push([this.#byEmail, emailKey('adobeID', user.email)]);
      else if (username !== undefined) {
        keys.push([this.#byUsername, usernameKey(username, domain)]);
        if (isEmail(username)) keys.push([this.#byEmail, emailKey(type, user.email)]);
      } else {
        keys.push([this.#byEmail, emailKey(type, user.email)]);
        keys.push([this.#byUsername, usernameKey(user.email, domain)]);
      }
    }
    if (keys.some(([map, key]) => map.has(key))) {
      this.#problems.push({
        email: user.email,
        message: 'has the same email, username or anchor as an earlier directory user; the first one wins',
      });
      this.#matchedBy[index] = 'duplicate';
      return;
    }
    for (const [map, key] of keys) map.set(key, index);
  }

  addAdobeUser(user: AdobeUser): void {
    if (this.#plan !== undefined) throw new Error('Planner: addAdobeUser after finish()');
    this.#read += 1;
    const found = this.#match(user);
    const claimed = found !== undefined && this.#claim(found);
    if (this.#isExcluded(user)) {
      this.#excluded += 1;
      this.#hold(emailKey(user.type, user.email), 1);
      if (found !== undefined && claimed) this.#matchedBy[found.index] = found.by;
      return;
    }
    if (found === undefined || !claimed) {
      this.#addAdobeOnly(user);
      return;
    }
    const { index } = found;
    this.#matchedBy[index] = found.by;
    this.#matchedAccount.set(index, slimAccount(user));
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
    const entry = this.#entry('update', target, wanted);
    if (attributes !== undefined) entry.attributes = attributes;
    if (attributes?.email !== undefined) this.#oldEmail.set(entry.id, user.email);
    if (add.length > 0) entry.addGroups = add;
    if (remove.length > 0) entry.removeGroups = remove;
    if (wanted.id !== undefined) entry.bindAs = bindingAfter(user, attributes);
    this.#updates.push(entry);
    this.#updateOf.set(index, entry);
  }

  /**
   * Takes the directory user for this match when nothing took it yet, and when its username matches
   * where an earlier account matched only its email (an SSO username names the person; the email may be an
   * address another account still carries); the earlier account is then Adobe-only after all. False: it is
   * taken already.
   */
  #claim(found: { index: number; by: MatchedBy }): boolean {
    const earlier = this.#matchedBy[found.index];
    if (earlier === undefined) return true;
    if (found.by !== 'username' || earlier !== 'email') return false;
    const previous = this.#matchedAccount.get(found.index);
    this.#matchedBy[found.index] = undefined;
    // An excluded account matched by email stays as it is; a managed one gives up its entry.
    if (previous === undefined) return true;
    this.#matchedAccount.delete(found.index);
    const entry = this.#updateOf.get(found.index);
    if (entry === undefined) this.#unchanged -= 1;
    else {
      this.#updateOf.delete(found.index);
      this.#updates.splice(this.#updates.indexOf(entry), 1);
      this.#oldEmail.delete(entry.id);
    }
    this.#hold(emailKey(previous.type, previous.email), -1);
    this.#addAdobeOnly(previous);
    return true;
  }

  /** The plan. Calling it again returns the same plan (the first call decides it). */
  finish(): Plan {
    this.#plan ??= this.#decide();
    return this.#plan;
  }

  /** How each directory user was matched, by index (undefined: not matched). For `explain`. */
  matchOf(index: number): MatchedBy | undefined {
    const by = this.#matchedBy[index];
    return by === 'duplicate' ? undefined : by;
  }

  /**
   * What the state store should record after this plan: the anchors of matched directory users bound to the
   * accounts they matched, as they are now (entries that rename an account re-bind it when they succeed), and
   * the anchors whose bound account did not show up marked `missing` (so they never find another account that
   * takes its address later). Only what differs from the bindings the planner was given.
   */
  bindings(): [string, AccountBinding][] {
    this.finish();
    const known = this.#options.anchors;
    const out: [string, AccountBinding][] = [];
    for (const [index, account] of this.#matchedAccount) {
      const anchor = this.#directory[index]?.id;
      if (anchor === undefined) continue;
      const binding = bindingAfter(account, undefined);
      if (!sameBinding(known?.get(anchor), binding)) out.push([anchor, binding]);
    }
    if (this.#rules.strategy !== 'sync') return out;
    this.#directory.forEach((user, index) => {
      if (user.id === undefined || this.#matchedBy[index] === 'anchor') return;
      const binding = known?.get(user.id);
      if (binding === undefined || binding.missing === true || this.#matchedAccount.has(index)) return;
      out.push([user.id, { ...binding, missing: true }]);
    });
    return out;
  }

  /**
   * An anchored directory user whose bound account did not show up, but an unmatched account carries its email
   * (or username): the account was renamed and the new name not yet bound (a run stopped between the rename and
   * the binding). It is that user's account.
   */
  #matchRenamedAnchors(): void {
    let found: RenamedAccountFinder | undefined;
    this.#directory.forEach((user, index) => {
      if (this.#matchedBy[index] !== undefined || user.id === undefined) return;
      const bound = this.#options.anchors?.get(user.id);
      if (bound === undefined || bound.missing === true) return;
      const type = this.#typeOf(user);
      const username = explicitUsername(type, user);
      const domain = user.domain ?? emailDomain(user.email);
      // Indexed once, on the first user that needs it: a scan of the Adobe-only users per anchored user would be
      // quadratic (thousands of vanished accounts against thousands of Adobe-only users).
      found ??= new RenamedAccountFinder(this.#adobeOnly);
      const record = found.take(
        emailKey(type, user.email),
        username === undefined ? undefined : usernameKey(username, domain),
      );
      if (record === undefined) return;
      this.#hold(emailKey(record.type, record.email), -1);
      this.#read -= 1;
      this.#byBinding.set(emailKey(record.type, record.email), index);
      this.addAdobeUser(record);
    });
    found?.removeTaken(this.#adobeOnly);
  }

  #decide(): Plan {
    this.#matchRenamedAnchors();
    // Order matters: Adobe-only changes first (a removed account frees its email), then updates (which may move
    // an email), then creates.
    const adobeOnly = this.#adobeOnlyEntries().filter(([, entry]) => this.#writable(entry));
    const adobeOnlyEntries = adobeOnly.map(([, entry]) => entry);
    const updates = this.#updates.filter((entry) => this.#writable(entry));
    const directoryUsers = this.#directory.length;
    const safety = holdDestructive(adobeOnlyEntries, updates, this.#rules, {
      adobeUsersConsidered: this.#read - this.#excluded,
      directoryUsers,
      previousDirectoryUsers: this.#options.previousDirectoryUsers,
    });
    for (const [account, entry] of adobeOnly) {
      if (entry.held !== undefined || (entry.kind !== 'remove-from-org' && entry.kind !== 'delete-account'))
        continue;
      // A removal frees its email for a later update or create (a held one does not: it may never run).
      const freed = emailKey(account.target.type, account.record.email);
      this.#hold(freed, -1);
      this.#freedBy.set(freed, entry.id);
    }
    const entries: PlanEntry[] = [...adobeOnlyEntries, ...this.#orderEmailChanges(updates)];
    this.#directory.forEach((user, index) => {
      if (this.#matchedBy[index] !== undefined) return;
      const entry = this.#createEntry(user);
      if (entry !== undefined && this.#writable(entry)) entries.push(entry);
    });
    const adobeOnlyUsers = this.#adobeOnly.map(({ record, target }): AdobeOnlyUserRecord => {
      const out: AdobeOnlyUserRecord = { type: target.type, email: record.email };
      if (record.username !== undefined) out.username = record.username;
      if (record.domain !== undefined) out.domain = record.domain;
      return out;
    });
    let matched = 0;
    let matchedByAnchor = 0;
    for (const [index, by] of this.#matchedBy.entries()) {
      if (by === undefined || by === 'duplicate' || !this.#matchedAccount.has(index)) continue;
      matched += 1;
      if (by === 'anchor') matchedByAnchor += 1;
    }
    const createGroups = missingMappedGroups(this.#mappedNames(), this.#rules, this.#options.existingGroups);
    for (const name of createGroups.refused) {
      this.#problems.push({
        email: `group ${name}`,
        message: `mapped group "${name}" is not in the org and cannot be created (a name starting with _ is Adobe's own)`,
      });
    }
    const plan: Plan = {
      format: PLAN_FORMAT,
      version: PLAN_VERSION,
      kind: 'sync-plan',
      strategy: this.#rules.strategy,
      adobeOnlyUserAction: this.#rules.adobeOnlyUserAction,
      exclusions: {
        identityTypes: [...this.#rules.excludeIdentityTypes],
        adobeGroups: [...this.#rules.excludeAdobeGroups],
        users: this.#rules.excludeUsers.map((pattern) => pattern.source),
      },
      entries,
      ...(createGroups.create.length === 0 ? {} : { createGroups: createGroups.create }),
      adobeOnlyUsers,
      problems: this.#problems,
      stats: {
        directoryUsers,
        mergedRows: 0,
        matchedByAnchor,
        adobeUsersRead: this.#read,
        adobeUsersExcluded: this.#excluded,
        matched,
        unchanged: this.#unchanged,
        adobeOnly: this.#adobeOnly.length,
      },
    };
    if (safety !== undefined) plan.safety = safety;
    return plan;
  }

  /** Drops the group changes UMAPI would refuse (as problems); false when nothing is left to do. */
  #writable(entry: PlanEntry): boolean {
    return keepWritableGroupChanges(entry, this.#options.unwritableGroups, this.#problems);
  }

  #hold(key: string, delta: number): void {
    this.#held.set(key, (this.#held.get(key) ?? 0) + delta);
  }

  /**
   * Orders email-changing updates so each moves onto an address already freed (in rounds, so chains like
   * A→B, B→C work), and makes each wait (`after`) for the entry that frees its address. A change onto an address
   * another account keeps (or a swap) leaves the email out and says why.
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
        const old = emailKey(entry.target.type, this.#oldEmail.get(entry.id) ?? '');
        this.#hold(old, -1);
        this.#hold(wanted, 1);
        this.#dependOn(entry, wanted);
        this.#freedBy.set(old, entry.id);
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
      if (entry.bindAs !== undefined)
        entry.bindAs = { ...entry.bindAs, email: this.#oldEmail.get(entry.id) ?? '' };
      if (
        entry.attributes !== undefined ||
        entry.addGroups !== undefined ||
        entry.removeGroups !== undefined
      ) {
        ordered.push(entry);
      } else this.#unchanged += 1;
    }
    return ordered;
  }

  /** The entry waits for the one that frees the address it takes, if any. */
  #dependOn(entry: PlanEntry, wantedEmail: string): void {
    const freer = this.#freedBy.get(wantedEmail);
    if (freer !== undefined && freer !== entry.id) entry.after = [...(entry.after ?? []), freer];
  }

  #typeOf(user: DirectoryUser): IdentityType {
    return user.type ?? this.#rules.defaultIdentityType;
  }

  #match(user: AdobeUser): { index: number; by: MatchedBy } | undefined {
    const byBinding =
      this.#byBinding.get(emailKey(user.type, user.email)) ??
      (user.username !== undefined && user.domain !== undefined
        ? this.#byBinding.get(usernameKey(user.username, user.domain))
        : undefined);
    if (byBinding !== undefined) return { index: byBinding, by: 'anchor' };
    if (user.type === 'adobeID') {
      const index = this.#byEmail.get(emailKey('adobeID', user.email));
      return index === undefined ? undefined : { index, by: 'email' };
    }
    if (user.username !== undefined && user.domain !== undefined) {
      const byName = this.#byUsername.get(usernameKey(user.username, user.domain));
      if (byName !== undefined) return { index: byName, by: 'username' };
    }
    const index = this.#byEmail.get(emailKey(user.type, user.email));
    return index === undefined ? undefined : { index, by: 'email' };
  }

  #isExcluded(user: AdobeUser): boolean {
    // `unknown`, or a type Adobe adds later: never touched.
    if (!isKnownIdentityType(user.type)) return true;
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
      const value = attribute === 'username' ? explicitUsername(user.type, wanted) : wanted[attribute];
      if (value === undefined) continue;
      const current = attribute === 'username' ? (user.username ?? user.email) : user[attribute];
      const differs =
        attribute === 'email' || attribute === 'username'
          ? lower(value) !== lower(current ?? '')
          : value !== current;
      if (differs) changed[attribute] = value;
    }
    return Object.keys(changed).length === 0 ? undefined : changed;
  }

  #createEntry(user: DirectoryUser): PlanEntry | undefined {
    // exclude_unmapped_users: a directory user no mapping gives a group is not created.
    if (this.#rules.directorySelection?.excludeUnmapped === true && this.#desiredGroups(user).size === 0) {
      return undefined;
    }
    const type = this.#typeOf(user);
    const binding = user.id === undefined ? undefined : this.#options.anchors?.get(user.id);
    if (binding !== undefined) {
      const gone = `anchor ${user.id ?? ''} was bound to ${binding.email}, which is no longer in the org`;
      if (this.#rules.missingAnchoredAccount === 'report') {
        this.#problems.push({
          email: user.email,
          message: `${gone}; not created again (missing_account: report)`,
        });
        return undefined;
      }
      this.#problems.push({ email: user.email, message: `${gone}; it is created again` });
    }
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
    const wantedEmail = emailKey(type, user.email);
    if ((this.#held.get(wantedEmail) ?? 0) > 0) {
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
    const username = explicitUsername(type, user);
    const domain = user.domain ?? emailDomain(user.email);
    const target: EntryTarget =
      username === undefined
        ? { user: user.email, type }
        : isEmail(username)
          ? { user: username, type }
          : { user: username, domain, type };
    if (this.#rules.joinByGroups === true) {
      // A trustee org cannot create a user of a domain it trusts: adding the user to its groups brings it in.
      const desired = [...this.#desiredGroups(user).values()];
      if (!this.#rules.processGroups || desired.length === 0) return undefined;
      const join = this.#entry('update', target);
      join.addGroups = desired;
      return join;
    }
    const entry = this.#entry('create', target, user);
    this.#dependOn(entry, wantedEmail);
    this.#hold(wantedEmail, 1);
    const attributes: EntryAttributes = { email: user.email };
    if (user.firstname !== undefined) attributes.firstname = user.firstname;
    if (user.lastname !== undefined) attributes.lastname = user.lastname;
    if (country !== undefined) attributes.country = country;
    entry.attributes = attributes;
    entry.createOption = this.#rules.updateUserInfo ? 'updateIfAlreadyExists' : 'ignoreIfAlreadyExists';
    if (user.id !== undefined) {
      entry.bindAs = { type, email: user.email };
      if (username !== undefined) {
        entry.bindAs.username = username;
        entry.bindAs.domain = domain;
      }
    }
    if (this.#rules.processGroups) {
      const desired = [...this.#desiredGroups(user).values()];
      if (desired.length > 0) entry.addGroups = desired;
      if (this.#rules.strategy === 'push') {
        // Push never reads Adobe state: also remove every other mapped group the account might hold, except
        // excluded ones (push must never reach into an excluded group such as _org_admin).
        const keep = new Set(desired.map(lower));
        const others = this.#mappedNames().filter(
          (group) => !keep.has(lower(group)) && !this.#excludedGroups.has(lower(group)),
        );
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

  #adobeOnlyEntries(): [AdobeOnlyUser, PlanEntry][] {
    if (this.#rules.strategy === 'push') return [];
    const action = this.#rules.adobeOnlyUserAction;
    const entries: [AdobeOnlyUser, PlanEntry][] = [];
    for (const adobeOnly of this.#adobeOnly) {
      // limits.group_removals_only: the action reaches only Adobe-only users who hold a mapped group.
      if (this.#rules.groupRemovalsOnly === true && adobeOnly.mappedGroups.length === 0) continue;
      let entry: PlanEntry | undefined;
      if (action === 'preserve' || action === 'write-file') {
        if (!this.#rules.processGroups || adobeOnly.mappedGroups.length === 0) continue;
        entry = this.#entry('remove-mapped-groups', adobeOnly.target);
        entry.removeGroups = adobeOnly.mappedGroups;
      } else if (action === 'remove-adobe-groups') {
        if ((adobeOnly.record.groups ?? []).length === 0) continue;
        entry = this.#entry('remove-all-groups', adobeOnly.target);
      } else if (action === 'remove') {
        entry = this.#entry('remove-from-org', adobeOnly.target);
      } else if (action === 'delete') {
        entry = this.#entry('delete-account', adobeOnly.target);
      }
      if (entry === undefined) continue;
      entry.accountGroups = [...(adobeOnly.record.groups ?? [])];
      entries.push([adobeOnly, entry]);
    }
    return entries;
  }

  #entry(kind: EntryKind, target: EntryTarget, wanted?: DirectoryUser): PlanEntry {
    const entry: PlanEntry = { id: entryId(kind, target), kind, target };
    if (wanted?.id !== undefined) entry.anchor = wanted.id;
    return entry;
  }
}

/**
 * Finds Adobe-only accounts by email key or `username|domain`, the first one in listing order as a scan would,
 * and takes each at most once (taken accounts leave the Adobe-only list at the end, in one pass).
 */
class RenamedAccountFinder {
  readonly #byEmail = new Map<string, number[]>();
  readonly #byUsername = new Map<string, number[]>();
  readonly #taken: boolean[];
  readonly #records: AdobeUser[];
  #anyTaken = false;

  constructor(adobeOnly: readonly AdobeOnlyUser[]) {
    this.#records = adobeOnly.map(({ record }) => record);
    this.#taken = new Array<boolean>(adobeOnly.length).fill(false);
    this.#records.forEach((record, at) => {
      push(this.#byEmail, emailKey(record.type, record.email), at);
      if (record.username !== undefined && record.domain !== undefined) {
        push(this.#byUsername, usernameKey(record.username, record.domain), at);
      }
    });
  }

  /** The first untaken account with this email key or this `username|domain` (if given), now taken. */
  take(email: string, username: string | undefined): AdobeUser | undefined {
    const byEmail = this.#first(this.#byEmail.get(email));
    const byUsername = username === undefined ? undefined : this.#first(this.#byUsername.get(username));
    const at =
      byEmail === undefined ? byUsername : byUsername === undefined ? byEmail : Math.min(byEmail, byUsername);
    if (at === undefined) return undefined;
    this.#taken[at] = true;
    this.#anyTaken = true;
    return this.#records[at];
  }

  /** Drops the taken accounts from `adobeOnly` (the list this finder was made from), keeping the order. */
  removeTaken(adobeOnly: AdobeOnlyUser[]): void {
    if (!this.#anyTaken) return;
    let kept = 0;
    for (let at = 0; at < adobeOnly.length; at += 1) {
      const entry = adobeOnly[at];
      if (entry !== undefined && this.#taken[at] !== true) adobeOnly[kept++] = entry;
    }
    adobeOnly.length = kept;
  }

  #first(positions: number[] | undefined): number | undefined {
    if (positions === undefined) return undefined;
    // Each list is in listing order; a taken position is dropped once it leads its list.
    while (positions.length > 0 && this.#taken[positions[0] ?? 0] === true) positions.shift();
    return positions[0];
  }
}

function push(map: Map<string, number[]>, key: string, at: number): void {
  const positions = map.get(key);
  if (positions === undefined) map.set(key, [at]);
  else positions.push(at);
}

function emailKey(type: IdentityType | 'unknown', email: string): string {
  return `${type === 'adobeID' ? 'a' : 'e'}|${lower(email)}`;
}

function usernameKey(username: string, domain: string): string {
  return `${lower(username)}|${lower(domain)}`;
}

/** A directory user's own username, when it has one that is not its email (never for Adobe IDs). */
function explicitUsername(type: IdentityType | 'unknown', user: DirectoryUser): string | undefined {
  if (type === 'adobeID' || user.username === undefined) return undefined;
  return lower(user.username) === lower(user.email) ? undefined : user.username;
}

function sameBinding(a: AccountBinding | undefined, b: AccountBinding): boolean {
  return (
    a !== undefined &&
    a.missing !== true &&
    a.type === b.type &&
    lower(a.email) === lower(b.email) &&
    lower(a.username ?? '') === lower(b.username ?? '') &&
    lower(a.domain ?? '') === lower(b.domain ?? '')
  );
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
/**
 * The fields of an account the planner keeps for later (its binding, or its groups should a later account take
 * its directory user): a listing's users carry many more, which a million kept accounts would hold in memory.
 */
function slimAccount(user: AdobeUser): AdobeUser {
  const slim: AdobeUser = { email: user.email, type: user.type };
  if (user.username !== undefined) slim.username = user.username;
  if (user.domain !== undefined) slim.domain = user.domain;
  if (user.firstname !== undefined) slim.firstname = user.firstname;
  if (user.lastname !== undefined) slim.lastname = user.lastname;
  if (user.country !== undefined) slim.country = user.country;
  if (user.groups !== undefined) slim.groups = user.groups;
  return slim;
}

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

/**
 * The account as UMAPI will name it after an update: the new email; the new username, or, for an email-type
 * username (one equal to the old email), the new email too, since UMAPI moves such a username with the email.
 */
function bindingAfter(user: AdobeUser, attributes: EntryAttributes | undefined): AccountBinding {
  const type = user.type === 'unknown' ? 'federatedID' : user.type;
  const email = attributes?.email ?? user.email;
  const emailTypeUsername = user.username === undefined || lower(user.username) === lower(user.email);
  const username = attributes?.username ?? (emailTypeUsername ? email : user.username);
  const binding: AccountBinding = { type, email };
  if (username !== undefined && lower(username) !== lower(email)) {
    binding.username = username;
    if (user.domain !== undefined) binding.domain = user.domain;
  }
  return binding;
}

/** Plans a sync. Pure: the same inputs always give the same plan. Push strategy ignores `adobeUsers`. */
export function plan(
  directoryUsers: readonly DirectoryUser[],
  adobeUsers: Iterable<AdobeUser>,
  rules: SyncRules,
  options: PlannerOptions = {},
): Plan {
  const planner = new Planner(directoryUsers, rules, options);
  if (rules.strategy === 'sync') for (const user of adobeUsers) planner.addAdobeUser(user);
  return planner.finish();
}

/** `plan` with the Adobe side streamed (e.g. straight from `client.users.list()`). */
export async function planFromStream(
  directoryUsers: readonly DirectoryUser[],
  adobeUsers: AsyncIterable<AdobeUser>,
  rules: SyncRules,
  options: PlannerOptions = {},
): Promise<Plan> {
  const planner = new Planner(directoryUsers, rules, options);
  if (rules.strategy === 'sync') for await (const user of adobeUsers) planner.addAdobeUser(user);
  return planner.finish();
}
