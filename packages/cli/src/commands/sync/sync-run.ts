import { relative, resolve } from 'node:path';
import { planFingerprint, planToJson, type Plan } from '@umapi-kit/sync';
import { summarizePlan } from '../../output/sync-text.js';
import { defineCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { writeFileWhole } from '../../output/write-file-whole.js';
import { quoteArg, runApply } from './sync-apply-run.js';
import { htmlPlanOption, reportHtmlOption, writePlanHtml } from './sync-html-options.js';
import { buildPlan, readSyncInputs, secondaryClients, strictOption } from './sync-inputs.js';
import { invocationFlags, ustOptions } from './ust-options.js';
import { metricsFileOption } from '../../metrics/metrics-option.js';
import { chosenState, defaultStatePath, openStateStore, sharedStore, stateOption } from './sync-state.js';
import { fullReadGuardOf, fullReadOptions } from './sync-full-read.js';

export const syncRun = defineCommand({
  name: 'sync run',
  summary: 'plan and apply in one go (with --dry-run: plan, then validate it with testOnly=true)',
  description:
    'On a terminal, shows the org being read (users read / total) and the apply. Off one, the report goes to ' +
    'stdout as JSON and stderr gets a one-line summary of the plan and the run and every entry that did not ' +
    'finish; when interrupted, it prints the command that resumes the saved plan. The saved plan, the journal ' +
    'and the state store are owner-only (0600); a symbolic link in their place is refused.',
  args: [],
  options: [
    { flags: '--sync-config <file>', description: 'sync configuration (YAML, User Sync Tool keys)' },
    ...ustOptions,
    strictOption,
    {
      flags: '--journal <file>',
      description:
        'journal file (default: next to the config, named by the plan, as the saved plan is; with a PostgreSQL ' +
        '--state the journal is in the database, found by plan digest and org)',
    },
    stateOption,
    ...fullReadOptions,
    htmlPlanOption,
    reportHtmlOption,
    metricsFileOption,
    {
      flags: '--release-held',
      description:
        'also send the destructive entries the safety limits held (lists them, asks on a terminal)',
    },
    {
      flags: '--force-unlock',
      description:
        "remove the journal's lock left by a run known to be dead on another host (the org lock, in " +
        '$UMAPI_LOCK_DIR or /run/lock/umapi-kit, is freed by the kernel when its holder ends)',
    },
  ],
  examples: [
    {
      command: 'umapi sync run --ust-config user-sync-config.yml -t',
      description: 'a User Sync Tool folder in test mode (nothing changes)',
    },
    {
      command: 'umapi sync run --sync-config sync.yml --dry-run',
      description: 'what would change, validated by the server without changing anything',
    },
    { command: 'umapi sync run --sync-config sync.yml --yes', description: 'sync now' },
  ],
  async handler(args, ctx) {
    const inputs = await readSyncInputs(
      'sync run',
      { syncConfig: args.string('syncConfig'), ustConfig: args.string('ustConfig') },
      invocationFlags(args),
      ctx,
    );
    const { config, path: fullPath } = inputs;
    ctx.run.config = config;
    const fullReads = fullReadGuardOf(args, ctx.env);
    const stateArg = args.string('state');
    const state = chosenState(stateArg, ctx.env, defaultStatePath(fullPath));
    const store = await openStateStore(state?.spec ?? defaultStatePath(fullPath), ctx.cwd, state?.what);
    const shared = sharedStore(store);
    if (shared !== undefined && args.string('journal') !== undefined) {
      await store.close();
      throw new UsageError(
        `--journal names a file, but the state store ${shared.location} keeps the journals itself (by plan digest and org)`,
        ['leave out --journal'],
      );
    }
    try {
      const secondaries = await secondaryClients(inputs, ctx);
      const orgClients = new Map(secondaries.map(({ name, client }) => [name, client]));
      const plan = await buildPlan(config, ctx, store, {
        strict: args.flag('strict') === true,
        secondaries,
        fullReads,
      });
      const releaseHeld = args.flag('releaseHeld') === true;
      await writePlanHtml(plan, args.string('html'), ctx);
      const reportHtml = args.string('reportHtml');
      // --dry-run (= the global --test-only): show the plan, have the server validate every entry; nothing changes.
      if (ctx.globals.testOnly || inputs.testMode) {
        if (ctx.globals.output !== 'table') await ctx.output.json(plan);
        else await ctx.output.text(summarizePlan(plan));
        if (nothingToSend(plan)) return plan.safety === undefined ? ExitCode.ok : ExitCode.held;
        // The server checks every entry (testOnly=true); the journal stays in memory and nothing changes.
        return await runApply(plan, ':memory:', ctx, {
          testOnly: true,
          releaseHeld,
          store,
          resumeCommand: 'umapi sync run --dry-run',
          orgClients,
          reportHtml,
        });
      }
      if (ctx.globals.output === 'table') await ctx.output.text(summarizePlan(plan));
      if (nothingToSend(plan)) return ExitCode.ok;
      // The plan is saved beside the config, so an interrupted run is finished by applying that plan with its
      // journal (a new `sync run` would plan afresh).
      const stem = `${fullPath.replace(/\.ya?ml$/i, '')}.run-${(plan.digest ?? planFingerprint(plan)).slice(0, 12)}`;
      const planPath = `${stem}.plan.json`;
      await writeFileWhole(planPath, planToJson(plan));
      const journal = resolve(ctx.cwd, args.string('journal') ?? `${stem}.journal.db`);
      const resumeCommand = [
        'umapi sync apply',
        quoteArg(relative(ctx.cwd, planPath)),
        ...(shared === undefined ? ['--journal', quoteArg(relative(ctx.cwd, journal))] : []),
        ...(stateArg === undefined ? [] : ['--state', quoteArg(stateArg)]),
        '--resume',
      ].join(' ');
      ctx.logger.info(`plan saved to ${relative(ctx.cwd, planPath)}`);
      return await runApply(plan, journal, ctx, {
        forceUnlock: args.flag('forceUnlock') === true,
        orgClients,
        releaseHeld,
        store,
        journals: shared,
        resumeCommand,
        reportHtml,
      });
    } finally {
      await store.close();
    }
  },
});

function nothingToSend(plan: Plan): boolean {
  const groups = [plan.createGroups ?? [], ...(plan.orgs ?? []).map((org) => org.createGroups ?? [])];
  return plan.entries.length === 0 && groups.every((names) => names.length === 0);
}
