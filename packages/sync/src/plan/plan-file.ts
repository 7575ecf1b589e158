import {
  ENTRY_KINDS,
  PLAN_FORMAT,
  PLAN_VERSION,
  type EntryKind,
  type Plan,
  type PlanEntry,
} from './plan-types.js';

export type PlanCounts = Record<EntryKind, number> & { groupAdds: number; groupRemovals: number };

export function countEntries(plan: Plan): PlanCounts {
  const counts = { groupAdds: 0, groupRemovals: 0 } as PlanCounts;
  for (const kind of ENTRY_KINDS) counts[kind] = 0;
  for (const entry of plan.entries) {
    counts[entry.kind] += 1;
    counts.groupAdds += entry.addGroups?.length ?? 0;
    counts.groupRemovals += entry.removeGroups?.length ?? 0;
  }
  return counts;
}

/** One line describing an entry, e.g. `update jdoe@example.com: lastname=Doe; +[Design]; -[Sales]`. */
export function describeEntry(entry: PlanEntry): string {
  const who =
    entry.target.domain === undefined ? entry.target.user : `${entry.target.user} (${entry.target.domain})`;
  const parts: string[] = [];
  if (entry.attributes !== undefined) {
    parts.push(
      Object.entries(entry.attributes)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', '),
    );
  }
  if (entry.addGroups !== undefined) parts.push(`+[${entry.addGroups.join(', ')}]`);
  if (entry.removeGroups !== undefined) parts.push(`-[${entry.removeGroups.join(', ')}]`);
  return `${entry.kind} ${entry.target.type} ${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** A readable summary: counts by kind, then the first `firstN` changes of each kind, warnings and problems. */
export function summarizePlan(plan: Plan, options: { firstN?: number } = {}): string {
  const firstN = options.firstN ?? 5;
  const counts = countEntries(plan);
  const { stats } = plan;
  const lines = [
    `Sync plan (${plan.strategy}): ${String(plan.entries.length)} commands`,
    `  directory users ${String(stats.directoryUsers)}, Adobe users read ${String(stats.adobeUsersRead)} ` +
      `(excluded ${String(stats.adobeUsersExcluded)}, matched ${String(stats.matched)}, unchanged ` +
      `${String(stats.unchanged)}, Adobe-only ${String(stats.adobeOnly)})`,
    `  group additions ${String(counts.groupAdds)}, group removals ${String(counts.groupRemovals)}`,
  ];
  for (const kind of ENTRY_KINDS) {
    if (counts[kind] === 0) continue;
    lines.push(`${kind}: ${String(counts[kind])}`);
    const some = plan.entries.filter((entry) => entry.kind === kind).slice(0, firstN);
    for (const entry of some) lines.push(`  ${describeEntry(entry)}`);
    if (counts[kind] > some.length) lines.push(`  … and ${String(counts[kind] - some.length)} more`);
  }
  if (plan.safetyLimit !== undefined) lines.push(`WARNING: ${plan.safetyLimit.message}`);
  for (const problem of plan.problems) lines.push(`skipped ${problem.email}: ${problem.message}`);
  return lines.join('\n');
}

export function planToJson(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** Parses a plan file, checking the format and version and the shape of every entry. */
export function parsePlan(text: string, source = 'plan'): Plan {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not valid JSON (${(error as Error).message})`);
  }
  const plan = value as Partial<Plan> | null;
  if (typeof plan !== 'object' || plan === null || plan.format !== PLAN_FORMAT) {
    throw new Error(`${source}: not a sync plan (expected "format": "${PLAN_FORMAT}")`);
  }
  if (plan.version !== PLAN_VERSION) {
    throw new Error(
      `${source}: plan version ${String(plan.version)} is not supported (expected ${String(PLAN_VERSION)})`,
    );
  }
  if (!Array.isArray(plan.entries)) throw new Error(`${source}: "entries" must be a list`);
  const ids = new Set<string>();
  plan.entries.forEach((entry: Partial<PlanEntry>, index) => {
    const where = `${source}: entries[${String(index)}]`;
    if (typeof entry.id !== 'string' || entry.id === '')
      throw new Error(`${where}.id must be a non-empty string`);
    if (ids.has(entry.id)) throw new Error(`${where}.id "${entry.id}" appears twice`);
    ids.add(entry.id);
    if (entry.kind === undefined || !ENTRY_KINDS.includes(entry.kind)) {
      throw new Error(`${where}.kind must be one of ${ENTRY_KINDS.join(', ')}`);
    }
    if (typeof entry.target?.user !== 'string' || typeof entry.target.type !== 'string') {
      throw new Error(`${where}.target must be { user, type, domain? }`);
    }
  });
  return plan as Plan;
}
