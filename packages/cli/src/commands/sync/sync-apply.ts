import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePlan } from '@umapi-kit/sync';
import type { CommandDefinition } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { runApply } from './sync-apply-run.js';

export const syncApply: CommandDefinition = {
  name: 'sync apply',
  summary: 'apply a saved plan, journaled so a crash or Ctrl-C can be resumed',
  args: [{ name: 'plan', description: 'plan file written by `umapi sync plan --out`', required: true }],
  options: [
    { flags: '--journal <file>', description: 'journal file (default: <plan>.journal.db next to the plan)' },
    { flags: '--resume', description: 'continue a run whose journal already exists' },
    {
      flags: '--force-unlock',
      description:
        "remove the journal's and the org's lock left by a run known to be dead (e.g. on another host)",
    },
  ],
  examples: [
    { command: 'umapi sync apply plan.json', description: 'apply a plan' },
    { command: 'umapi sync apply plan.json --resume', description: 'finish a run that was interrupted' },
    {
      command: 'umapi sync apply plan.json --test-only',
      description: 'let the server check the plan, change nothing',
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
    let plan;
    try {
      plan = parsePlan(text, planPath);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const journal = resolve(ctx.cwd, args.string('journal') ?? `${planPath}.journal.db`);
    if (!ctx.globals.testOnly && existsSync(journal) && args.flag('resume') !== true) {
      throw new UsageError(`journal ${journal} already exists: this plan was applied before or interrupted`, [
        'add --resume to finish it (entries already applied are not sent again)',
      ]);
    }
    return runApply(plan, journal, ctx, { forceUnlock: args.flag('forceUnlock') === true });
  },
};
