import type { PlanEntry, PlanSafety } from './plan-types.js';
import type { SyncRules, Threshold } from './sync-rules.js';

const DESTRUCTIVE: ReadonlySet<PlanEntry['kind']> = new Set([
  'remove-from-org',
  'delete-account',
  'remove-all-groups',
]);

/** Entries that take an account out of the org, delete it, or take every group from it. */
export function isDestructive(entry: PlanEntry): boolean {
  return DESTRUCTIVE.has(entry.kind);
}

export interface SafetyCounts {
  /** Adobe users read, less the excluded ones: what a percentage threshold is a share of. */
  adobeUsersConsidered: number;
  directoryUsers: number;
  /** Directory users of the last successful run (undefined: no earlier run). */
  previousDirectoryUsers?: number | undefined;
}

function limitOf(threshold: Threshold, considered: number): { limit: number; text: string } {
  if ('count' in threshold) return { limit: threshold.count, text: String(threshold.count) };
  const limit = Math.floor((considered * threshold.percent) / 100);
  return { limit, text: `${String(threshold.percent)} % of ${String(considered)} read = ${String(limit)}` };
}

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${String(count)} ${count === 1 ? one : many}`;

/**
 * The circuit breakers: too many destructive entries (`max_deletions`), too many mapped-group removals
 * (`max_group_removals`), or a directory that read empty or shrank too much since the last successful run
 * (`max_directory_drop`). A tripped breaker holds its entries (`held` with the reason); nothing else changes.
 * Returns what was held and why, or undefined when nothing was.
 */
export function holdDestructive(
  adobeOnlyEntries: readonly PlanEntry[],
  updates: readonly PlanEntry[],
  rules: SyncRules,
  counts: SafetyCounts,
): PlanSafety | undefined {
  const destructive = adobeOnlyEntries.filter(isDestructive);
  const reasons: string[] = [];
  const hold = (entries: readonly PlanEntry[], reason: string): void => {
    let held = 0;
    for (const entry of entries) {
      if (entry.held !== undefined) continue;
      entry.held = { reason };
      held += 1;
    }
    if (held > 0) reasons.push(`${String(held)} held: ${reason}`);
  };

  if (destructive.length > 0) {
    const { directoryUsers, previousDirectoryUsers } = counts;
    if (directoryUsers === 0) {
      hold(destructive, 'the directory read returned no users');
    } else if (previousDirectoryUsers !== undefined && previousDirectoryUsers > 0) {
      const drop = ((previousDirectoryUsers - directoryUsers) / previousDirectoryUsers) * 100;
      if (drop > rules.maxDirectoryDrop.percent) {
        hold(
          destructive,
          `the directory shrank from ${String(previousDirectoryUsers)} to ${String(directoryUsers)} users since the ` +
            `last successful run (${drop.toFixed(1)} %, more than max_directory_drop ${String(rules.maxDirectoryDrop.percent)} %)`,
        );
      }
    }
    const { limit, text } = limitOf(rules.maxDeletions, counts.adobeUsersConsidered);
    if (destructive.length > limit) {
      hold(
        destructive,
        `${plural(destructive.length, 'destructive change')} (removals, deletions, all groups taken) exceed ` +
          `max_deletions ${text}`,
      );
    }
  }

  if (rules.maxGroupRemovals !== undefined) {
    const removing = [...adobeOnlyEntries, ...updates].filter(
      (entry) => (entry.removeGroups?.length ?? 0) > 0,
    );
    const removals = removing.reduce((sum, entry) => sum + (entry.removeGroups?.length ?? 0), 0);
    const { limit, text } = limitOf(rules.maxGroupRemovals, counts.adobeUsersConsidered);
    if (removals > limit) {
      hold(removing, `${plural(removals, 'group removal')} exceed max_group_removals ${text}`);
    }
  }
  if (reasons.length === 0) return undefined;
  const held = [...adobeOnlyEntries, ...updates].filter((entry) => entry.held !== undefined).length;
  return { held, reasons };
}
