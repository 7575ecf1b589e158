import type { SyncRules } from './sync-rules.js';

/**
 * `group_sync_options.auto_create`: the mapped Adobe groups the org does not have. They are created before the
 * plan's entries (which add users to them). Not in push mode (nothing is compared) nor without group processing,
 * as the User Sync Tool does; names starting with `_` are Adobe's own (product profiles' admin groups) and are
 * refused instead.
 */
export function missingMappedGroups(
  mapped: readonly string[],
  rules: SyncRules,
  existing: ReadonlySet<string> | undefined,
): { create: string[]; refused: string[] } {
  if (
    rules.autoCreateGroups !== true ||
    rules.strategy !== 'sync' ||
    !rules.processGroups ||
    existing === undefined
  ) {
    return { create: [], refused: [] };
  }
  const have = new Set([...existing].map((name) => name.toLowerCase()));
  const missing = mapped.filter((name) => !have.has(name.toLowerCase()));
  return {
    create: missing.filter((name) => !name.startsWith('_')),
    refused: missing.filter((name) => name.startsWith('_')),
  };
}
