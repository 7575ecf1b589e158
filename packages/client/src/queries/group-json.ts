import type { Group } from './types.js';

/**
 * One group of a `/groups` page as the client hands it out: every field the server sent is kept (unknown ones
 * and unknown `type`s included, since Adobe adds both with a few weeks' notice), and the few the client reasons
 * about are read leniently: `isReadOnly` as a boolean whether it comes as `true` or `"true"` (the deprecated
 * user-groups endpoint sent strings), `memberCount` and `groupId` as numbers when sent as digit strings.
 */
export function groupFromJson(raw: unknown): Group {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { groupName: '', type: 'UNKNOWN', unreadable: raw };
  }
  const group = { ...(raw as Record<string, unknown>) };
  if (typeof group['groupName'] !== 'string') group['groupName'] = '';
  if (typeof group['type'] !== 'string') group['type'] = 'UNKNOWN';
  const readOnly = group['isReadOnly'];
  if (typeof readOnly === 'string') {
    const lower = readOnly.trim().toLowerCase();
    if (lower === 'true' || lower === 'false') group['isReadOnly'] = lower === 'true';
  }
  for (const key of ['memberCount', 'groupId']) {
    const value = group[key];
    if (typeof value === 'string' && /^\d+$/.test(value.trim())) group[key] = Number(value);
  }
  return group as Group;
}
