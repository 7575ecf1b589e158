import type { Plan } from './plan-types.js';

/** One secondary org's plan, made by its own planner against its own org. */
export interface SecondaryPlan {
  name: string;
  orgId: string;
  plan: Plan;
}

/**
 * One plan for every org: each secondary's entries (ids `name:id`, `org: name`) first, then the primary's, so
 * secondaries are changed before the primary's removals; problems and Adobe-only users say their org; the held
 * entries and reasons of every org count. The primary's figures stay the plan's `stats`; each secondary's are in
 * `orgs`.
 */
export function mergeOrgPlans(primary: Plan, secondaries: readonly SecondaryPlan[]): Plan {
  if (secondaries.length === 0) return primary;
  const merged: Plan = { ...primary, entries: [], problems: [...primary.problems], adobeOnlyUsers: [] };
  const reasons = [...(primary.safety?.reasons ?? [])];
  let held = primary.safety?.held ?? 0;
  merged.orgs = [];
  for (const { name, orgId, plan } of secondaries) {
    for (const entry of plan.entries) {
      // Anchors bind directory ids to the primary org's accounts: a secondary's entries bind nothing.
      const copy = { ...entry, id: `${name}:${entry.id}`, org: name };
      delete copy.anchor;
      delete copy.bindAs;
      merged.entries.push(copy);
    }
    for (const problem of plan.problems)
      merged.problems.push({ email: problem.email, message: `(org ${name}) ${problem.message}` });
    for (const user of plan.adobeOnlyUsers) merged.adobeOnlyUsers.push({ org: name, ...user });
    if (plan.safety !== undefined) {
      held += plan.safety.held;
      reasons.push(...plan.safety.reasons.map((reason) => `org ${name}: ${reason}`));
    }
    const org: NonNullable<Plan['orgs']>[number] = { name, orgId, stats: plan.stats };
    if (plan.safety !== undefined) org.safety = plan.safety;
    if (plan.createGroups !== undefined) org.createGroups = plan.createGroups;
    merged.orgs.push(org);
  }
  merged.entries.push(...primary.entries);
  merged.adobeOnlyUsers.push(...primary.adobeOnlyUsers);
  if (held > 0) merged.safety = { held, reasons };
  return merged;
}
