import { resolve } from 'node:path';
import { planFingerprint } from '@umapi-kit/sync';
import { summarizePlan } from '../../output/sync-text.js';
import type { CommandDefinition } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { runApply } from './sync-apply-run.js';
import { buildPlan, readSyncConfig, strictOption } from './sync-inputs.js';

export const syncRun: CommandDefinition = {
  name: 'sync run',
  summary: 'plan and apply in one go (with --dry-run: plan, then validate it with testOnly=true)',
  args: [],
  options: [
    { flags: '--sync-config <file>', description: 'sync configuration (YAML, User Sync Tool keys)' },
    strictOption,
    {
      flags: '--dry-run',
      description: 'show the plan and have the server validate every entry (testOnly=true); nothing changes',
    },
    {
      flags: '--journal <file>',
      description: 'journal file (default: next to the config, named by the plan)',
    },
    {
      flags: '--force-unlock',
      description:
        "remove the journal's and the org's lock left by a run known to be dead (e.g. on another host)",
    },
  ],
  examples: [
    {
      command: 'umapi sync run --sync-config sync.yml --dry-run',
      description: 'what would change, validated by the server without changing anything',
    },
    { command: 'umapi sync run --sync-config sync.yml --yes', description: 'sync now' },
  ],
  async handler(args, ctx) {
    const configPath = args.string('syncConfig');
    if (configPath === undefined) throw new UsageError('sync run needs --sync-config <file>');
    const fullPath = resolve(ctx.cwd, configPath);
    const config = await readSyncConfig(fullPath);
    const plan = await buildPlan(config, ctx, { strict: args.flag('strict') === true });
    if (args.flag('dryRun') === true) {
      if (ctx.globals.output !== 'table') await ctx.output.json(plan);
      else await ctx.output.text(summarizePlan(plan));
      if (plan.entries.length === 0) return 0;
      // The server checks every entry (testOnly=true); the journal stays in memory and nothing changes.
      return runApply(plan, ':memory:', ctx, { testOnly: true });
    }
    if (ctx.globals.output === 'table') await ctx.output.text(summarizePlan(plan));
    if (plan.entries.length === 0) return 0;
    // One journal per plan: an interrupted run is finished by running again (the new plan is read fresh).
    const journal = resolve(
      ctx.cwd,
      args.string('journal') ?? `${fullPath}.journal-${planFingerprint(plan).slice(0, 12)}.db`,
    );
    return runApply(plan, journal, ctx, { forceUnlock: args.flag('forceUnlock') === true });
  },
};
