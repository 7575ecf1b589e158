import { resolve } from 'node:path';
import { planToJson } from '@umapi-kit/sync';
import { summarizePlan } from '../../output/sync-text.js';
import { defineCommand } from '../../cli/command.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { buildPlan, readSyncInputs, secondaryClients, strictOption } from './sync-inputs.js';
import { invocationFlags, ustOptions } from './ust-options.js';
import { chosenState, defaultStatePath, openStateStore, stateOption } from './sync-state.js';
import { fullReadGuardOf, fullReadOptions } from './sync-full-read.js';
import { writeFileWhole } from '../../output/write-file-whole.js';
import { htmlPlanOption, writePlanHtml } from './sync-html-options.js';

export const syncPlan = defineCommand({
  name: 'sync plan',
  summary: 'compare the directory with the org and write the changes as a plan (changes nothing)',
  description:
    'Compare the directory with the org and write the changes as a plan (changes nothing). With group ' +
    "mappings it also reads the org's groups once: additions to and removals from groups UMAPI refuses to " +
    'change (read-only user groups shared from another org, _org_admin) are listed as plan problems with the ' +
    'reason instead of being planned. ' +
    'On a terminal, shows the org being read (users read / total). Off one, the plan goes to stdout as JSON and ' +
    'stderr gets a one-line summary and every plan problem (a user skipped, an email not moved, an anchor whose account left the org).',
  args: [],
  options: [
    { flags: '--sync-config <file>', description: 'sync configuration (YAML, User Sync Tool keys)' },
    ...ustOptions,
    strictOption,
    stateOption,
    ...fullReadOptions,
    {
      flags: '--out <file>',
      description:
        'write the full plan as JSON to this file (owner-only, 0600, replaced whole; a symbolic link there is refused)',
    },
    htmlPlanOption,
  ],
  examples: [
    {
      command: 'umapi sync plan --ust-config user-sync-config.yml --users mapped',
      description: 'run a User Sync Tool folder as it is, with its flags',
    },
    { command: 'umapi sync plan --sync-config sync.yml', description: 'show what a sync would change' },
    {
      command: 'umapi sync plan --sync-config sync.yml --out plan.json',
      description: 'save the plan to apply later',
    },
    {
      command: 'umapi sync plan --sync-config sync.yml --out plan.json --html plan.html',
      description: 'and a page to review it in a browser (attach it to the change ticket)',
    },
  ],
  async handler(args, ctx) {
    const inputs = await readSyncInputs(
      'sync plan',
      { syncConfig: args.string('syncConfig'), ustConfig: args.string('ustConfig') },
      invocationFlags(args),
      ctx,
    );
    const { config, path: fullPath } = inputs;
    const fullReads = fullReadGuardOf(args, ctx.env);
    const state = chosenState(args.string('state'), ctx.env, defaultStatePath(fullPath));
    const store = await openStateStore(state?.spec ?? defaultStatePath(fullPath), ctx.cwd, state?.what);
    let plan;
    try {
      plan = await buildPlan(config, ctx, store, {
        strict: args.flag('strict') === true,
        secondaries: await secondaryClients(inputs, ctx),
        fullReads,
      });
    } finally {
      await store.close();
    }
    const out = args.string('out');
    if (out !== undefined) {
      await writeFileWhole(resolve(ctx.cwd, out), planToJson(plan));
      ctx.logger.info(`wrote ${String(plan.entries.length)} plan entries to ${out}`);
    }
    await writePlanHtml(plan, args.string('html'), ctx);
    if (ctx.globals.output !== 'table')
      await ctx.output.json(
        out === undefined ? plan : { out, stats: plan.stats, entries: plan.entries.length },
      );
    else await ctx.output.text(summarizePlan(plan));
    return plan.safety === undefined ? ExitCode.ok : ExitCode.held;
  },
});
