import { createHash } from 'node:crypto';
import type { EntryKind, EntryTarget } from './plan-types.js';

/** A stable id for "this kind of change to this account": the same inputs give the same id on every run. */
export function entryId(kind: EntryKind, target: EntryTarget): string {
  const key = [kind, target.type, target.user.toLowerCase(), (target.domain ?? '').toLowerCase()].join('\n');
  return `e-${createHash('sha256').update(key).digest('hex').slice(0, 20)}`;
}
