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
