import fc from 'fast-check';
import { UserAction, type IdentityType } from '@umapi-kit/client';
import {
  ADOBE_ONLY_ACTIONS,
  defaultRules,
  type AccountBinding,
  type SyncRules,
  type Threshold,
  type UpdateAttribute,
} from '../../../src/index.js';

/**
 * Random sync scenarios for the demo org of the emulator: a set of people, each with an Adobe account before the
 * run (or not) and a directory row after it (or not). People move their email onto addresses others give up
 * (chains), rename their username, keep an email-shaped SSO username that is not their email, appear twice in
 * the directory, or lose the account their anchor was bound to.
 */

/** How a person signs in: the shape of the account's username. */
export type Login =
  | 'enterprise' // Enterprise ID: the username is the email
  | 'federated-email' // Federated ID whose username is its email (UMAPI moves it with the email)
  | 'federated-name' // Federated ID with a non-email username, addressed by username + domain
  | 'federated-sso' // Federated ID with an email-shaped username that is not its email
  | 'adobe'; // Adobe ID (owned by the person: never updated)

export const DOMAIN: Record<Login, string> = {
  enterprise: 'example.com',
  'federated-email': 'fed.example.com',
  'federated-name': 'fed.example.com',
  'federated-sso': 'fed.example.com',
  adobe: 'gmail.com',
};

export const TYPE: Record<Login, IdentityType> = {
  enterprise: 'enterpriseID',
  'federated-email': 'federatedID',
  'federated-name': 'federatedID',
  'federated-sso': 'federatedID',
  adobe: 'adobeID',
};

/** Directory groups and the Adobe groups they map to; D9 maps to nothing. */
export const MAPPING = [
  { directoryGroup: 'D0', adobeGroups: ['Designers'] },
  { directoryGroup: 'D1', adobeGroups: ['Developers', 'Designers'] },
  { directoryGroup: 'D2', adobeGroups: ['Creative Cloud 1'] },
];
const ADOBE_GROUPS = ['Designers', 'Developers', 'Creative Cloud 1', 'Marketing', 'TestGroup1'];
const DIRECTORY_GROUPS = ['D0', 'D1', 'D2', 'D9'];

/** The demo org's own users: always excluded, so every run also checks that excluded accounts stay untouched. */
export const DEMO_USERS = /(?:ada|ben|cleo|dan|eve|fay|gus|hal|ivy)\..*/i;

export interface Account {
  slot: number;
  groups: string[];
  firstname: string;
  /** The anchor is bound to this account, but it is not in the org (deleted outside the sync). */
  vanished: boolean;
}

export interface Row {
  slot: number;
  renameUsername: boolean;
  /** Write the username column (for email-type logins: the email itself). */
  usernameColumn: boolean;
  groups: string[];
  firstname: string;
  /** A second row of the same person with these groups (merged by `duplicate_rows: merge`). */
  duplicateGroups: string[] | undefined;
}

export interface Person {
  index: number;
  login: Login;
  before: Account | undefined;
  after: Row | undefined;
}

export interface RuleChoices {
  updateUserInfo: boolean;
  updateUsername: boolean;
  adobeOnlyUserAction: SyncRules['adobeOnlyUserAction'];
  excludeAdobeIds: boolean;
  excludeGroup: boolean;
  excludeFirstSlot: boolean;
  maxDeletions: Threshold;
  missingAnchoredAccount: SyncRules['missingAnchoredAccount'];
}

export interface Scenario {
  people: Person[];
  anchors: boolean;
  rules: RuleChoices;
  /** Directory users of the run before (for the directory-drop guard), when anchors say there was one. */
  previousDirectoryUsers: number | undefined;
}

const SLOTS = 9;

const person = fc.record({
  login: fc.constantFrom<Login>('enterprise', 'federated-email', 'federated-name', 'federated-sso', 'adobe'),
  hasBefore: fc.boolean(),
  hasAfter: fc.integer({ min: 0, max: 5 }).map((n) => n > 0),
  vanished: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  beforeGroups: fc.subarray(ADOBE_GROUPS, { maxLength: 3 }),
  afterGroups: fc.subarray(DIRECTORY_GROUPS, { maxLength: 3 }),
  beforeFirst: fc.constantFrom('Ann', 'Bo'),
  afterFirst: fc.constantFrom('Ann', 'Bo'),
  moveEmail: fc.integer({ min: 0, max: 2 }).map((n) => n > 0),
  renameUsername: fc.boolean(),
  usernameColumn: fc.boolean(),
  duplicate: fc
    .tuple(fc.integer({ min: 0, max: 7 }), fc.subarray(DIRECTORY_GROUPS, { minLength: 1, maxLength: 2 }))
    .map(([n, groups]) => (n === 0 ? groups : undefined)),
});

const ruleChoices: fc.Arbitrary<RuleChoices> = fc.record({
  updateUserInfo: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  updateUsername: fc.boolean(),
  adobeOnlyUserAction: fc.constantFrom(...ADOBE_ONLY_ACTIONS),
  excludeAdobeIds: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  excludeGroup: fc.boolean(),
  excludeFirstSlot: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  maxDeletions: fc.oneof(
    { weight: 3, arbitrary: fc.constant<Threshold>({ count: 1000 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 }).map((count): Threshold => ({ count })) },
    { weight: 1, arbitrary: fc.constant<Threshold>({ percent: 30 }) },
  ),
  missingAnchoredAccount: fc.constantFrom<RuleChoices['missingAnchoredAccount']>('create', 'report'),
});

/**
 * Up to seven people. Email slots are unique among the accounts before and among the rows after (one address,
 * one person), so a person who moves takes either a free address or one another person gives up.
 */
export const scenarios: fc.Arbitrary<Scenario> = fc
  .record({
    people: fc.array(person, { minLength: 1, maxLength: 7 }),
    beforeSlots: fc.shuffledSubarray(
      Array.from({ length: SLOTS }, (_, i) => i),
      { minLength: SLOTS, maxLength: SLOTS },
    ),
    afterSlots: fc.shuffledSubarray(
      Array.from({ length: SLOTS }, (_, i) => i),
      { minLength: SLOTS, maxLength: SLOTS },
    ),
    anchors: fc.boolean(),
    rules: ruleChoices,
    previousRun: fc.boolean(),
  })
  .map(({ people, beforeSlots, afterSlots, anchors, rules, previousRun }) => {
    const built = people.map((p, index): Person => {
      const beforeSlot = beforeSlots[index] ?? index;
      const hasBefore = p.hasBefore || !p.hasAfter;
      const before: Account | undefined = hasBefore
        ? {
            slot: beforeSlot,
            groups: p.beforeGroups,
            firstname: p.beforeFirst,
            // Only an anchored person can have a binding to an account that is gone.
            vanished: anchors && p.hasAfter && p.vanished,
          }
        : undefined;
      // Adobe IDs belong to the person: a different address is a different person, so they never move.
      const moves = p.moveEmail && p.login !== 'adobe';
      const after: Row | undefined = p.hasAfter
        ? {
            slot: hasBefore && !moves ? beforeSlot : (afterSlots[index] ?? index),
            renameUsername: p.renameUsername,
            usernameColumn: p.usernameColumn,
            groups: p.afterGroups,
            firstname: p.afterFirst,
            duplicateGroups: p.duplicate,
          }
        : undefined;
      return { index, login: p.login, before, after };
    });
    return {
      people: dedupeAfterSlots(built),
      anchors,
      rules,
      previousDirectoryUsers: anchors && previousRun ? built.filter((p) => p.before).length : undefined,
    };
  });

/**
 * One address, one directory row: those who keep their address keep it; a mover whose new address is already
 * someone's row leaves the directory (becomes Adobe-only), and a person left with nothing is dropped.
 */
function dedupeAfterSlots(people: Person[]): Person[] {
  const taken = new Set<string>();
  for (const p of people) {
    if (p.after !== undefined && p.before?.slot === p.after.slot) taken.add(emailOf(p, p.after.slot));
  }
  for (const p of people) {
    if (p.after === undefined || p.before?.slot === p.after.slot) continue;
    const email = emailOf(p, p.after.slot);
    if (taken.has(email)) p.after = undefined;
    else taken.add(email);
  }
  return people.filter((p) => p.before !== undefined || p.after !== undefined);
}

export function emailOf(p: Pick<Person, 'login'>, slot: number): string {
  return `p${String(slot)}@${DOMAIN[p.login]}`;
}

/** The account's username before the run, when it is not its email. */
export function usernameBefore(p: Person): string | undefined {
  if (p.login === 'federated-name') return `n${String(p.index)}`;
  if (p.login === 'federated-sso') return `sso${String(p.index)}@fed.example.com`;
  return undefined;
}

/** The directory's username for the person after the run, when it is not the email. */
export function usernameAfter(p: Person): string | undefined {
  if (p.after === undefined) return undefined;
  if (p.login === 'federated-name') return `${p.after.renameUsername ? 'm' : 'n'}${String(p.index)}`;
  if (p.login === 'federated-sso') {
    return `sso${p.after.renameUsername ? 'x' : ''}${String(p.index)}@fed.example.com`;
  }
  return undefined;
}

export function anchorOf(p: Person): string {
  return `id-${String(p.index)}`;
}

/** The actions that put each person's account (not the vanished ones) into the org. */
export function seedActions(people: readonly Person[]): UserAction[] {
  const actions: UserAction[] = [];
  for (const p of people) {
    if (p.before === undefined || p.before.vanished) continue;
    const email = emailOf(p, p.before.slot);
    const fields = { email, firstname: p.before.firstname, lastname: 'L', country: 'US' };
    const username = usernameBefore(p);
    let action: UserAction;
    if (p.login === 'adobe') action = new UserAction(email).createAdobeId({ email });
    else if (p.login === 'enterprise') action = new UserAction(email).createEnterpriseId(fields);
    else if (username === undefined) action = new UserAction(email).createFederatedId(fields);
    else if (p.login === 'federated-name') {
      action = new UserAction(username, { domain: DOMAIN[p.login] }).createFederatedId(fields);
    } else action = new UserAction(username).createFederatedId(fields);
    if (p.before.groups.length > 0) action.addToGroups(p.before.groups);
    actions.push(action);
  }
  return actions;
}

/** What the run before left in the state store: each anchored person bound to the account they had. */
export function previousBindings(scenario: Scenario): [string, AccountBinding][] {
  if (!scenario.anchors) return [];
  const out: [string, AccountBinding][] = [];
  for (const p of scenario.people) {
    if (p.before === undefined || p.after === undefined) continue;
    const binding: AccountBinding = { type: TYPE[p.login], email: emailOf(p, p.before.slot) };
    const username = usernameBefore(p);
    if (username !== undefined) {
      binding.username = username;
      binding.domain = DOMAIN[p.login];
    }
    out.push([anchorOf(p), binding]);
  }
  return out;
}

function csvCell(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The directory as a CSV file (with an `id` column when anchors are on); duplicate rows come last. */
export function directoryCsv(scenario: Scenario): string {
  const header = ['email', 'firstname', 'lastname', 'country', 'groups', 'type', 'username', 'domain'];
  if (scenario.anchors) header.push('id');
  const lines = [header.join(',')];
  const rowOf = (p: Person, row: Row, groups: string[]): string => {
    const email = emailOf(p, row.slot);
    const username = usernameAfter(p) ?? (row.usernameColumn && p.login !== 'adobe' ? email : '');
    const cells = [
      email,
      row.firstname,
      'L',
      'US',
      groups.join(','),
      TYPE[p.login],
      username,
      p.login === 'federated-name' ? DOMAIN[p.login] : '',
    ];
    if (scenario.anchors) cells.push(anchorOf(p));
    return cells.map(csvCell).join(',');
  };
  const people = scenario.people.filter((p) => p.after !== undefined);
  for (const p of people) if (p.after) lines.push(rowOf(p, p.after, p.after.groups));
  for (const p of people) {
    if (p.after?.duplicateGroups !== undefined) lines.push(rowOf(p, p.after, p.after.duplicateGroups));
  }
  return `${lines.join('\n')}\n`;
}

export function syncRules(choices: RuleChoices): SyncRules {
  const updateAttributes: UpdateAttribute[] = ['firstname', 'lastname', 'email'];
  if (choices.updateUsername) updateAttributes.push('username');
  const excludeUsers = [DEMO_USERS];
  if (choices.excludeFirstSlot) excludeUsers.push(/p0@.+/i);
  return defaultRules({
    groups: MAPPING,
    updateUserInfo: choices.updateUserInfo,
    updateAttributes,
    adobeOnlyUserAction: choices.adobeOnlyUserAction,
    excludeIdentityTypes: choices.excludeAdobeIds ? ['adobeID'] : [],
    excludeAdobeGroups: choices.excludeGroup ? ['TestGroup1'] : [],
    excludeUsers,
    maxDeletions: choices.maxDeletions,
    missingAnchoredAccount: choices.missingAnchoredAccount,
  });
}
