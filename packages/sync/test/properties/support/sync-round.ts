import { join } from 'node:path';
import type { UmapiClient } from '@umapi-kit/client';
import {
  applyPlan,
  CsvSource,
  loadDirectory,
  Planner,
  unwritableGroups,
  type DirectoryUser,
  type Plan,
  type RunReport,
  type StateStore,
  type SyncRules,
} from '../../../src/index.js';

export interface RoundContext {
  client: UmapiClient;
  store: StateStore;
  rules: SyncRules;
  /** The directory CSV file. */
  csvPath: string;
  /** Folder for this scenario's journals. */
  dir: string;
}

export interface PlannedRound {
  plan: Plan;
  directory: DirectoryUser[];
  /** Directory rows merged into an earlier row of the same person. */
  merged: number;
}

/**
 * One `sync plan` as the CLI makes it: the directory read from its file, the anchors and the last run from the
 * state store, the org's unwritable groups and users read from UMAPI; the matched anchors are bound and the run
 * recorded afterwards.
 */
export async function planRound(ctx: RoundContext): Promise<PlannedRound> {
  const loaded = await loadDirectory(new CsvSource({ path: ctx.csvPath }), { duplicateRows: 'merge' });
  if (loaded.errors.length > 0) {
    throw new Error(`the generated directory has invalid rows: ${JSON.stringify(loaded.errors)}`);
  }
  const orgId = ctx.client.orgId;
  const [anchors, previous] = await Promise.all([ctx.store.anchors(orgId), ctx.store.lastRun(orgId, 'plan')]);
  const planner = new Planner(loaded.users, ctx.rules, {
    anchors,
    previousDirectoryUsers: previous?.directoryUsers,
    unwritableGroups: unwritableGroups(await ctx.client.groups.list().toArray({ all: true })),
  });
  for await (const user of ctx.client.users.list()) planner.addAdobeUser(user);
  const plan = planner.finish();
  await ctx.store.bindAnchors(orgId, planner.bindings());
  const at = new Date(0).toISOString();
  await ctx.store.recordRun({
    orgId,
    kind: 'plan',
    startedAt: at,
    finishedAt: at,
    outcome: plan.safety === undefined ? 'complete' : 'held',
    directoryUsers: loaded.users.length,
  });
  return { plan, directory: loaded.users, merged: loaded.duplicates.length };
}

let journals = 0;

/** A new journal path in the scenario's folder. */
export function newJournal(ctx: RoundContext): string {
  journals += 1;
  return join(ctx.dir, `journal-${String(journals)}.db`);
}

/** `sync apply` of the plan on a journal, re-binding anchors as entries succeed. */
export function applyRound(
  ctx: RoundContext,
  plan: Plan,
  journalPath: string,
  options: { releaseHeld?: boolean } = {},
): Promise<RunReport> {
  return applyPlan(plan, ctx.client, {
    journalPath,
    state: { store: ctx.store, orgId: ctx.client.orgId },
    ...(options.releaseHeld === true ? { releaseHeld: true } : {}),
  });
}
