import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  checkJournalFile,
  parseDuration,
  parsePlan,
  runningApplyOf,
  type Plan,
  type PostgresStateStore,
} from '@umapi-kit/sync';
import { defineCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { quoteArg, runApply } from './sync-apply-run.js';
import { chosenState, openStateStore, sharedStore, stateOption } from './sync-state.js';
import { refusedFileError } from './refused-file.js';
import { reportHtmlOption } from './sync-html-options.js';
import { readSyncInputs, secondaryClients } from './sync-inputs.js';
import type { UmapiPort } from '../../context/umapi-port.js';
import { metricsFileOption } from '../../metrics/metrics-option.js';

export const syncApply = defineCommand({
  name: 'sync apply',
  summary: 'apply a saved plan, journaled so a crash or Ctrl-C can be resumed',
  description:
    'Apply a saved plan, journaled so a crash or Ctrl-C can be resumed. When the disk says no (read-only, full), ' +
    'it stops with one line naming the journal and the cause: exit 2 before anything was sent, exit 1 mid-run ' +
    '(nothing more is sent, every request that left was journaled first; --resume finishes once there is room).',
  args: [{ name: 'plan', description: 'plan file written by `umapi sync plan --out`', required: true }],
  options: [
    {
      flags: '--journal <file>',
      description:
        'journal file (default: <plan>.journal.db next to the plan; owner-only, 0600; a symbolic link is refused). ' +
        'With a PostgreSQL --state the journal is in the database, found by plan digest and org: --resume works ' +
        'from any host with its own copy of the plan file',
    },
    { flags: '--resume', description: 'continue a run whose journal already exists' },
    {
      flags: '--release-held',
      description:
        'also send the destructive entries the safety limits held (lists them and, on a terminal, asks first)',
    },
    stateOption,
    reportHtmlOption,
    metricsFileOption,
    {
      flags: '--ust-config <file>',
      description:
        "connect as this User Sync Tool user-sync-config.yml does (its connector-umapi.yml, and each secondary org's for a multi-org plan)",
    },
    {
      flags: '--max-plan-age <duration>',
      description: 'refuse a plan older than this, e.g. 90m, 24h, 2d (default: limits.max_plan_age, 24h)',
    },
    {
      flags: '--force-unlock',
      description:
        "remove the journal's lock left by a run known to be dead on another host (the org lock, in " +
        '$UMAPI_LOCK_DIR or /run/lock/umapi-kit, is freed by the kernel when its holder ends; with a PostgreSQL ' +
        "--state there is nothing to remove: the server frees the lock when the holder's connection ends)",
    },
  ],
  examples: [
    { command: 'umapi sync apply plan.json', description: 'apply a plan' },
    { command: 'umapi sync apply plan.json --resume', description: 'finish a run that was interrupted' },
    {
      command: 'umapi sync apply plan.json --resume --release-held',
      description: 'after reviewing them, send the entries the circuit breaker held',
    },
    {
      command: 'umapi sync apply plan.json --test-only',
      description: 'let the server check the plan, change nothing',
    },
    {
      command: 'umapi sync apply plan.json --report-html run.html',
      description: 'apply, and write how each entry went as a page to review',
    },
  ],
  async handler(args, ctx) {
    const planPath = resolve(ctx.cwd, args.positional('plan'));
    let text: string;
    try {
      text = await readFile(planPath, 'utf8');
    } catch (error) {
      throw new UsageError(
        `cannot read plan ${planPath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    let plan: Plan;
    try {
      plan = parsePlan(text, planPath);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const ageText = args.string('maxPlanAge');
    const maxPlanAgeMs = ageText === undefined ? undefined : parseDuration(ageText);
    if (ageText !== undefined && maxPlanAgeMs === undefined) {
      throw new UsageError(`--max-plan-age: expected a duration such as 90m, 24h or 2d, got '${ageText}'`);
    }
    const state = chosenState(
      args.string('state'),
      ctx.env,
      plan.origin?.stateLocation ?? `${planPath}.state.db`,
    );
    const store = await openStateStore(state?.spec ?? `${planPath}.state.db`, ctx.cwd, state?.what);
    const shared = sharedStore(store);
    if (shared !== undefined) {
      try {
        return await applyWithSharedJournal(shared, plan);
      } finally {
        await store.close();
      }
    }
    const journal = resolve(ctx.cwd, args.string('journal') ?? `${planPath}.journal.db`);
    const running = ctx.globals.testOnly ? undefined : runningApplyOf(journal);
    if (running !== undefined) {
      throw new UsageError(
        `journal ${journal} is in use by a running apply: pid ${String(running.pid)} on ${running.host}, ` +
          `since ${running.since}`,
        ['wait for it to finish; if that process is dead on another host, add --resume --force-unlock'],
      );
    }
    if (!ctx.globals.testOnly && existsSync(journal) && args.flag('resume') !== true) {
      // A file that is not our journal is refused as such (exit 2), not taken for an interrupted run.
      try {
        checkJournalFile(journal);
      } catch (error) {
        throw refusedFileError(error) ?? error;
      }
      throw new UsageError(`journal ${journal} already exists: this plan was applied before or interrupted`, [
        'add --resume to finish it (entries already applied are not sent again)',
      ]);
    }
    const relativePlan = args.positional('plan');
    const ustConfig = args.string('ustConfig');
    const resumeCommand = [
      'umapi sync apply',
      quoteArg(relativePlan),
      ...(args.string('journal') === undefined ? [] : ['--journal', quoteArg(args.string('journal') ?? '')]),
      ...(args.string('state') === undefined ? [] : ['--state', quoteArg(args.string('state') ?? '')]),
      ...(ustConfig === undefined ? [] : ['--ust-config', quoteArg(ustConfig)]),
      '--resume',
    ].join(' ');
    let orgClients: Map<string, UmapiPort> | undefined;
    if (ustConfig !== undefined) {
      const inputs = await readSyncInputs('sync apply', { syncConfig: undefined, ustConfig }, {}, ctx);
      orgClients = new Map((await secondaryClients(inputs, ctx)).map(({ name, client }) => [name, client]));
    }
    try {
      return await runApply(plan, journal, ctx, {
        orgClients,
        forceUnlock: args.flag('forceUnlock') === true,
        releaseHeld: args.flag('releaseHeld') === true,
        store,
        maxPlanAgeMs,
        resumeCommand,
        reportHtml: args.string('reportHtml'),
      });
    } finally {
      await store.close();
    }

    /** The journal is in the database: found by the plan's digest and org, whichever host or file asks. */
    async function applyWithSharedJournal(database: PostgresStateStore, plan: Plan): Promise<number> {
      if (args.string('journal') !== undefined) {
        throw new UsageError(
          `--journal names a file, but the state store ${database.location} keeps the journals itself (by plan digest and org)`,
          ['leave out --journal'],
        );
      }
      const orgId = plan.origin?.orgId ?? (await ctx.client()).orgId;
      const found = ctx.globals.testOnly ? undefined : await database.findJournal(orgId, plan);
      if (found !== undefined && args.flag('resume') !== true) {
        const counts = Object.entries(found.counts)
          .map(([state, count]) => `${String(count)} ${state}`)
          .join(', ');
        throw new UsageError(
          `the journal of this plan for org ${orgId} already exists in ${database.location} (made ${found.createdAt}: ` +
            `${counts}): this plan was applied before or interrupted`,
          [
            'add --resume to finish it (entries already applied are not sent again), from this host or any other',
          ],
        );
      }
      const resumeCommand = [
        'umapi sync apply',
        quoteArg(args.positional('plan')),
        ...(args.string('state') === undefined ? [] : ['--state', quoteArg(database.location)]),
        '--resume',
      ].join(' ');
      return runApply(plan, `${planPath} (journal in ${database.location})`, ctx, {
        releaseHeld: args.flag('releaseHeld') === true,
        store: database,
        journals: database,
        maxPlanAgeMs,
        resumeCommand,
        reportHtml: args.string('reportHtml'),
      });
    }
  },
});
