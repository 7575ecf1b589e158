/**
 * What to do with an action whose answer was lost (it was sent; the server may or may not have applied it). One
 * rule for every caller, `execute` after a timeout as much as a sync resume after a crash: an entry whose steps
 * all end in the same state when repeated is sent again (unless the caller asks for it to be read back too);
 * any other is read back — the target account itself, under the address it had, or under its new email only when
 * nothing else can have that address — compared with what it wanted, and only its missing steps are sent. Nothing
 * is ever re-sent blind, and the transport never re-sends an action on its own (see the retry policy).
 */
import type { User } from '../queries/types.js';
import type { ActionStep, WireCommand } from './types.js';

/** How the rule reads the org: one account (null: none), and whether a user group exists. */
export interface OrgReader {
  user(user: string, options: { domain?: string; signal?: AbortSignal }): Promise<User | null>;
  groupExists(name: string, signal?: AbortSignal): Promise<boolean>;
}

export type Resolution =
  /** Read back: every step is in effect. */
  | { kind: 'applied' }
  /**
   * Send `command` (the whole entry, or the steps from `fromStep` on, addressed as the account is now called).
   * `readBack` says whether the account was read to decide it.
   */
  | { kind: 'resend'; command: WireCommand; fromStep: number; readBack: boolean }
  /** Neither repeatable nor readable back: the outcome stays unknown. */
  | { kind: 'unknown'; reason: string };

export interface ResolveOptions {
  /**
   * Read back idempotent entries too instead of sending them again: a caller that must apply each entry exactly
   * once (the sync applier, whose lost answers are read back together from one listing) sets it.
   */
  readIdempotent?: boolean;
  /**
   * The caller knows that no other account had the entry's new email when it was sent (the sync planner saw it
   * free, or made it wait for the entries that free it). Then an account found under the new email, with nothing
   * left under the old address, is the target moved there. Without it, that case stays unknown: the account may
   * be the one whose address made the update fail.
   */
  newAddressWasFree?: boolean;
}

const lower = (value: string): string => value.toLowerCase();

function stepOf(step: ActionStep): [string, unknown] {
  return Object.entries(step)[0] ?? ['', undefined];
}

function hasOption(body: unknown): boolean {
  const option = (body as { option?: unknown } | null)?.option;
  return option === 'ignoreIfAlreadyExists' || option === 'updateIfAlreadyExists';
}

/** Whether repeating the step leaves the same state as doing it once (and the same answer). */
function isIdempotentStep(command: WireCommand, step: ActionStep): boolean {
  const [name, body] = stepOf(step);
  switch (name) {
    case 'addAdobeID':
    case 'createEnterpriseID':
    case 'createFederatedID':
    case 'createUserGroup':
      return hasOption(body);
    case 'update': {
      // A new email (or username) changes what `user` addresses: the same entry sent again finds no one.
      const fields = (body ?? {}) as Record<string, unknown>;
      if (fields['username'] !== undefined) return false;
      return fields['email'] === undefined || (command.user !== undefined && command.domain !== undefined);
    }
    case 'updateUserGroup':
      return (body as { name?: unknown } | null)?.name === undefined;
    case 'add':
    case 'remove':
      // Adding a member twice, or removing one that is gone, is not an error.
      return true;
    case 'removeFromOrg':
      // "Always reported as success, even if the user does not exist" (umapi-api.md §4.3).
      return true;
    default:
      return false;
  }
}

export function isIdempotent(command: WireCommand): boolean {
  return command.do.every((step) => isIdempotentStep(command, step));
}

/** Whether `state` (the account as read back; null when absent) shows the step in effect. */
function stepApplied(step: ActionStep, state: User | null): boolean {
  const [name, body] = stepOf(step);
  if (name === 'removeFromOrg') return state === null;
  if (state === null) return false;
  const groups = new Set((state.groups ?? []).map(lower));
  const fields = (body ?? {}) as Record<string, unknown>;
  switch (name) {
    case 'addAdobeID':
    case 'createEnterpriseID':
    case 'createFederatedID':
      return ['firstname', 'lastname'].every(
        (key) => typeof fields[key] !== 'string' || state[key] === fields[key],
      );
    case 'update':
      return ['email', 'username', 'firstname', 'lastname'].every((key) => {
        const wanted = fields[key];
        if (typeof wanted !== 'string') return true;
        const have = state[key];
        if (typeof have !== 'string') return false;
        return key === 'email' || key === 'username' ? lower(have) === lower(wanted) : have === wanted;
      });
    case 'add': {
      const wanted = fields['group'];
      return Array.isArray(wanted) && wanted.every((group) => groups.has(lower(String(group))));
    }
    case 'remove': {
      if (body === 'all') return [...groups].every((group) => group === '_org_admin');
      const wanted = fields['group'];
      return Array.isArray(wanted) && wanted.every((group) => !groups.has(lower(String(group))));
    }
    default:
      return false;
  }
}

/** Whether a user-group step is in effect, given whether the group exists under its old and new names. */
function groupStepApplied(step: ActionStep, exists: { before: boolean; after: boolean }): boolean {
  const [name] = stepOf(step);
  if (name === 'deleteUserGroup') return !exists.before && !exists.after;
  if (name === 'updateUserGroup') return !exists.before && exists.after;
  if (name === 'createUserGroup') return exists.before || exists.after;
  return false;
}

/**
 * The address of the target after the first `upTo` steps ran: an email update moves a user addressed by email,
 * a rename moves a user group.
 */
function addressAfter(command: WireCommand, upTo: number): string | undefined {
  let target = command.user ?? command.usergroup;
  for (const step of command.do.slice(0, upTo)) {
    const [name, body] = stepOf(step);
    const fields = (body ?? {}) as { email?: unknown; name?: unknown };
    if (name === 'update' && typeof fields.email === 'string' && command.domain === undefined) {
      target = fields.email;
    }
    if (name === 'updateUserGroup' && typeof fields.name === 'string') target = fields.name;
  }
  return target;
}

/** The target as read back, and whether it was found only under the new email the entry gives it. */
interface TargetRead {
  state: User | null;
  /** Found under the new address, not the old one: another account may have that address (see `isTarget`). */
  movedTo?: string;
}

/**
 * Reads the target account: by its address, and, when the entry moves it to a new email and nothing answers to
 * the old address any more, by that email too (the account answers to the new address once the update is in
 * effect, and the old address is then free).
 */
async function readTarget(
  command: WireCommand,
  read: OrgReader,
  signal: AbortSignal | undefined,
): Promise<TargetRead> {
  const options: { domain?: string; signal?: AbortSignal } = {};
  if (command.domain !== undefined) options.domain = command.domain;
  if (signal !== undefined) options.signal = signal;
  const user = command.user ?? '';
  const found = await read.user(user, options);
  if (found !== null) return { state: found };
  const moved = addressAfter(command, command.do.length);
  if (moved === undefined || lower(moved) === lower(user)) return { state: null };
  return { state: await read.user(moved, signal === undefined ? {} : { signal }), movedTo: moved };
}

/** How many leading steps of a user-group entry are in effect (its group read under its old and new name). */
async function appliedGroupSteps(
  command: WireCommand,
  read: OrgReader,
  signal: AbortSignal | undefined,
): Promise<number> {
  const name = command.usergroup ?? '';
  const renamed = addressAfter(command, command.do.length) ?? name;
  const before = await read.groupExists(name, signal);
  const after = renamed === name ? before : await read.groupExists(renamed, signal);
  let applied = 0;
  for (const step of command.do) {
    // Membership steps after a create or rename are idempotent: sending them again is the safe way to finish.
    if (!groupStepApplied(step, { before, after })) break;
    applied += 1;
  }
  return applied;
}

/**
 * Decides what a lost answer means for one entry. Idempotent entries are re-sent without a read. Others are read
 * back: the steps the server runs in order and stops at the first failure, so what is in effect is a prefix of the
 * steps; the rest is sent again (addressed by the new email or group name when that prefix moved it).
 */
export async function resolveLostAnswer(
  command: WireCommand,
  read: OrgReader,
  signal?: AbortSignal,
  options: ResolveOptions = {},
): Promise<Resolution> {
  if (isIdempotent(command) && options.readIdempotent !== true)
    return { kind: 'resend', command, fromStep: 0, readBack: false };
  let applied = 0;
  if (command.user !== undefined) {
    const { state, movedTo } = await readTarget(command, read, signal);
    // An account under the new address is the target moved there only if no other account can have had that
    // address: otherwise it may be the account whose address made the update fail (`error.user.email.name_in_use`).
    if (movedTo !== undefined && state !== null && options.newAddressWasFree !== true) {
      return {
        kind: 'unknown',
        reason:
          `no account answers to ${command.user} any more, and the account with the new email ${movedTo} ` +
          'cannot be told apart from another account that had that address already',
      };
    }
    while (applied < command.do.length && stepApplied(command.do[applied] as ActionStep, state)) applied += 1;
  } else if (command.usergroup !== undefined) {
    applied = await appliedGroupSteps(command, read, signal);
  } else {
    return { kind: 'unknown', reason: 'the entry names neither a user nor a user group' };
  }
  if (applied === command.do.length) return { kind: 'applied' };
  const rest: WireCommand = { ...command, do: command.do.slice(applied) };
  const address = addressAfter(command, applied);
  if (address !== undefined && command.user !== undefined) rest.user = address;
  if (address !== undefined && command.usergroup !== undefined) rest.usergroup = address;
  return { kind: 'resend', command: rest, fromStep: applied, readBack: true };
}
