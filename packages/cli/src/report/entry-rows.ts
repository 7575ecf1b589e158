import type { EntryOutcomeRecord, EntryState, PlanEntry } from '@umapi-kit/sync';

/** One entry as the report's table shows it (a plan entry, with its outcome for a run). */
export interface EntryRow {
  kind: string;
  user: string;
  type: string;
  /** Attribute changes, each `field: old → new` (or `field: → new` when the plan does not know the old value). */
  changes: string[];
  addGroups: string[];
  removeGroups: string[];
  held?: string;
  state?: EntryState;
  /** `CODE: message` of a failed, partial or ambiguous entry. */
  error?: string;
}

/** The account an entry acts on as the reviewer knows it: `user`, with `(domain)` for a username. */
export function targetName(entry: Pick<PlanEntry, 'target'>): string {
  return entry.target.domain === undefined
    ? entry.target.user
    : `${entry.target.user} (${entry.target.domain})`;
}

/**
 * The attribute changes of an entry. A create lists the new account's fields; an update knows the old value of
 * the field it is addressed by (the email, or the username of a username-addressed account) and only the new
 * value of the others (the plan keeps only what changes).
 */
export function attributeChanges(entry: PlanEntry): string[] {
  const attributes = entry.attributes ?? {};
  const changes: string[] = [];
  for (const [field, value] of Object.entries(attributes)) {
    if (typeof value !== 'string') continue;
    if (entry.kind === 'create') {
      changes.push(`${field}: ${value}`);
      continue;
    }
    const addressedBy = entry.target.domain === undefined ? 'email' : 'username';
    const old = field === addressedBy ? entry.target.user : '';
    changes.push(`${field}: ${old}${old === '' ? '' : ' '}→ ${value}`);
  }
  return changes;
}

export function planEntryRow(entry: PlanEntry): EntryRow {
  const row: EntryRow = {
    kind: entry.kind,
    user: targetName(entry),
    type: entry.target.type,
    changes: attributeChanges(entry),
    addGroups: entry.addGroups ?? [],
    removeGroups: entry.removeGroups ?? [],
  };
  if (entry.held !== undefined) row.held = entry.held.reason;
  return row;
}

/** A run's entry: the plan entry when it is known (plan or journal), else what the run report keeps of it. */
export function outcomeRow(outcome: EntryOutcomeRecord, entry: PlanEntry | undefined): EntryRow {
  const row: EntryRow =
    entry === undefined
      ? {
          kind: outcome.kind,
          user: outcome.domain === undefined ? outcome.user : `${outcome.user} (${outcome.domain})`,
          type: '',
          changes: [],
          addGroups: [],
          removeGroups: [],
        }
      : planEntryRow(entry);
  row.state = outcome.state;
  if (outcome.heldBecause !== undefined) row.held = outcome.heldBecause;
  const error = [outcome.errorCode, outcome.message].filter((part) => part !== undefined).join(': ');
  if (error !== '') row.error = error;
  return row;
}
