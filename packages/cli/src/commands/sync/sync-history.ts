import { resolve } from 'node:path';
import { STATE_ENV, type RunRecord } from '@umapi-kit/sync';
import { defineCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { selectColumns, type Column } from '../../output/columns.js';
import { chosenState, defaultStatePath, openStateStore, stateOption } from './sync-state.js';

const seconds = (ms: number | undefined): string =>
  ms === undefined ? '' : `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** The entries of a run by state (an apply) or the plan's size (a plan), as one cell. */
function countsCell(run: RunRecord): string {
  return Object.entries(run.counts ?? {})
    .filter(([, count]) => count > 0)
    .map(([name, count]) => `${name} ${String(count)}`)
    .join(', ');
}

const historyColumns: readonly Column<RunRecord>[] = [
  { name: 'finishedAt', get: (run) => run.finishedAt },
  { name: 'orgId', get: (run) => run.orgId },
  { name: 'kind', get: (run) => run.kind },
  { name: 'outcome', get: (run) => run.outcome },
  {
    name: 'duration',
    get: (run) => seconds(run.durationMs ?? Date.parse(run.finishedAt) - Date.parse(run.startedAt)),
  },
  { name: 'counts', get: countsCell },
  { name: 'requests', get: (run) => run.requests },
  { name: 'retries', get: (run) => run.retries },
  { name: 'throttled', get: (run) => run.throttled },
  { name: 'held', get: (run) => run.held },
  { name: 'host', get: (run) => run.host },
  { name: 'runId', get: (run) => run.runId },
];
const TABLE_DEFAULT = [
  'finishedAt',
  'orgId',
  'kind',
  'outcome',
  'duration',
  'counts',
  'requests',
  'retries',
  'throttled',
  'held',
];

export const syncHistory = defineCommand({
  name: 'sync history',
  summary: 'list the runs the state store remembers (plans and applies, newest first)',
  description:
    'List the runs the state store remembers, newest first: when each finished, the org, plan or apply, how it ' +
    'ended (complete, held, incomplete), how long it took, its entries by state, requests, retries, 429 answers ' +
    `and held entries. The store is --state, else $${STATE_ENV}, else the one beside --sync-config. With --json ` +
    '(or --output json) each run is the whole record.',
  args: [],
  options: [
    { flags: '--org <id>', description: 'only the runs of this org (default: every org in the store)' },
    stateOption,
    { flags: '--sync-config <file>', description: 'use the state store beside this sync configuration' },
    { flags: '--limit <n>', description: 'at most N runs (default 20)' },
  ],
  examples: [
    { command: 'umapi sync history --sync-config sync.yml', description: 'the last 20 runs of this sync' },
    {
      command: 'umapi sync history --state postgres://umapi@db.example.com/umapi --org 12345@AdobeOrg --json',
      description: "one org's runs from the shared store, as JSON",
    },
  ],
  async handler(args, ctx) {
    const limitText = args.string('limit');
    const limit = limitText === undefined ? 20 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1) {
      throw new UsageError(`--limit: expected a positive whole number, got '${limitText ?? ''}'`);
    }
    const configPath = args.string('syncConfig');
    const state = chosenState(
      args.string('state'),
      ctx.env,
      configPath === undefined ? undefined : defaultStatePath(resolve(ctx.cwd, configPath)),
    );
    if (state === undefined) {
      throw new UsageError('sync history needs a state store', [
        `give --state FILE|URL, set $${STATE_ENV}, or give --sync-config (its store is <config>.state.db beside it)`,
      ]);
    }
    const store = await openStateStore(state.spec, ctx.cwd, state.what);
    let runs: RunRecord[];
    try {
      runs = await store.runs({ orgId: args.string('org'), limit });
    } finally {
      await store.close();
    }
    const columns = selectColumns(
      historyColumns,
      ctx.globals.fields,
      ctx.output.format === 'table' ? TABLE_DEFAULT : historyColumns.map((column) => column.name),
    );
    await ctx.output.list(runs, columns);
    if (runs.length === 0) ctx.logger.info(`no runs recorded in ${store.location}`);
    return ExitCode.ok;
  },
});
