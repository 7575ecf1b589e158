/**
 * Child process of the sync planning benchmark. Does what `umapi sync plan` does, and only that: loads the
 * directory CSV, opens the state store and reads the org's anchors and last run, streams the org's users from the
 * emulator through the planner, writes the bindings back to the store, signs the plan (with the directory's
 * fingerprint) and records the run. Prints one JSON line of figures: wall
 * time and CPU (user + system) of each phase, peak memory, and the plan's counts (so the parent can check that
 * the plan is the one it set up).
 */
import { UmapiClient, oauthServerToServer } from '@umapi-kit/client';
import {
  CsvSource,
  defaultRules,
  fingerprint,
  loadDirectory,
  Planner,
  sealPlan,
  SqliteStateStore,
} from '@umapi-kit/sync';

export interface SyncPlanChildInput {
  umapiUrl: string;
  imsUrl: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  csvPath: string;
  statePath: string;
  groups: string[];
}

export interface SyncPlanChildFigures {
  directoryUsers: number;
  adobeUsers: number;
  anchorsRead: number;
  bindingsWritten: number;
  entries: number;
  entriesByKind: Record<string, number>;
  problems: number;
  matched: number;
  matchedByAnchor: number;
  adobeOnly: number;
  /** Wall milliseconds of each phase. */
  loadMs: number;
  stateReadMs: number;
  planMs: number;
  bindMs: number;
  sealMs: number;
  /** CPU milliseconds (user + system) of each phase, and of the whole child. */
  loadCpuMs: number;
  stateReadCpuMs: number;
  planCpuMs: number;
  bindCpuMs: number;
  sealCpuMs: number;
  childCpuMs: number;
  peakRssMiB: number;
}

const input = JSON.parse(process.argv[2] ?? '{}') as SyncPlanChildInput;
const childStart = process.cpuUsage();

/** Runs one phase, returning its result with its wall and CPU milliseconds. */
async function phase<T>(work: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const value = await work();
  const cpu = process.cpuUsage(cpuStart);
  const result = { value, ms: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 };
  // With --expose-gc (BENCH_CHILD_NODE_ARGS), what each phase leaves live goes to stderr.
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect !== undefined) {
    collect();
    process.stderr.write(
      `live heap after phase ${String(++phases)}: ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB\n`,
    );
  }
  return result;
}
let phases = 0;

const load = await phase(() => loadDirectory(new CsvSource({ path: input.csvPath })));
const directory = load.value;

const client = new UmapiClient({
  orgId: input.orgId,
  endpoint: input.umapiUrl,
  credentials: oauthServerToServer({
    clientId: input.clientId,
    clientSecret: input.clientSecret,
    imsUrl: input.imsUrl,
  }),
  pacing: false,
});
// The token is not planning: fetched before the clock starts.
await client.getAccessToken();

const rules = defaultRules({
  groups: input.groups.map((group) => ({ directoryGroup: group, adobeGroups: [group] })),
  updateUserInfo: true,
  updateAttributes: ['firstname', 'lastname', 'email', 'username'],
  adobeOnlyUserAction: 'remove',
  maxDeletions: { percent: 5 },
});

const state = await phase(async () => {
  const store = SqliteStateStore.open(input.statePath);
  const [anchors, previous] = await Promise.all([
    store.anchors(input.orgId),
    store.lastRun(input.orgId, 'plan'),
  ]);
  return { store, anchors, previous };
});
const { store, anchors, previous } = state.value;

let adobeUsers = 0;
const planned = await phase(async () => {
  const planner = new Planner(directory.users, rules, {
    anchors,
    previousDirectoryUsers: previous?.directoryUsers,
  });
  for await (const page of client.users.list({ concurrency: 4 }).pages()) {
    for (const user of page.items) planner.addAdobeUser(user);
    adobeUsers += page.items.length;
  }
  return { planner, plan: planner.finish() };
});
const { planner, plan } = planned.value;

const bind = await phase(async () => {
  const bindings = planner.bindings();
  await store.bindAnchors(input.orgId, bindings);
  return bindings.length;
});

const seal = await phase(async () => {
  const sealed = sealPlan(
    plan,
    {
      orgId: input.orgId,
      createdAt: new Date().toISOString(),
      createdBy: 'bench@localhost',
      configFingerprint: fingerprint(['bench']),
      directoryFingerprint: fingerprint(directory.users),
      stateLocation: store.location,
      maxAgeMs: 86_400_000,
    },
    await store.planKey(),
  );
  await store.recordRun({
    orgId: input.orgId,
    kind: 'plan',
    startedAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    outcome: sealed.safety === undefined ? 'complete' : 'held',
    directoryUsers: directory.users.length,
    adobeUsersRead: sealed.stats.adobeUsersRead,
  });
  await store.close();
  return sealed;
});

const entriesByKind: Record<string, number> = {};
for (const entry of plan.entries) entriesByKind[entry.kind] = (entriesByKind[entry.kind] ?? 0) + 1;
const child = process.cpuUsage(childStart);
const figures: SyncPlanChildFigures = {
  directoryUsers: directory.users.length,
  adobeUsers,
  anchorsRead: anchors.size,
  bindingsWritten: bind.value,
  entries: plan.entries.length,
  entriesByKind,
  problems: plan.problems.length,
  matched: plan.stats.matched,
  matchedByAnchor: plan.stats.matchedByAnchor,
  adobeOnly: plan.stats.adobeOnly,
  loadMs: load.ms,
  stateReadMs: state.ms,
  planMs: planned.ms,
  bindMs: bind.ms,
  sealMs: seal.ms,
  loadCpuMs: load.cpuMs,
  stateReadCpuMs: state.cpuMs,
  planCpuMs: planned.cpuMs,
  bindCpuMs: bind.cpuMs,
  sealCpuMs: seal.cpuMs,
  childCpuMs: (child.user + child.system) / 1000,
  peakRssMiB: process.resourceUsage().maxRSS / 1024,
};
process.stdout.write(JSON.stringify(figures) + '\n');
