import { resolve } from 'node:path';
import type { Plan } from '@umapi-kit/sync';
import type { OptionSpec } from '../../cli/command.js';
import type { CommandContext } from '../../context/command-context.js';
import { planToHtml } from '../../report/plan-html.js';
import { writeReport } from '../../report/write-report.js';

/** `--html` of `sync plan` and `sync run`: the plan as a page to review. */
export const htmlPlanOption = {
  flags: '--html <file>',
  description:
    'also write the plan as a self-contained HTML page to review in a browser or print (no network; owner-only, 0600, replaced whole)',
} as const satisfies OptionSpec;

/** `--report-html` of `sync apply` and `sync run`: the run's outcome per entry as a page. */
export const reportHtmlOption = {
  flags: '--report-html <file>',
  description:
    'also write the run report (outcome per entry, errors, requests, retries and 429s over time) as a self-contained HTML page (owner-only, 0600)',
} as const satisfies OptionSpec;

export async function writePlanHtml(
  plan: Plan,
  path: string | undefined,
  ctx: CommandContext,
): Promise<void> {
  if (path === undefined) return;
  const bytes = await writeReport(resolve(ctx.cwd, path), planToHtml(plan, { now: ctx.clock.now() }));
  ctx.logger.info(`wrote the plan page to ${path} (${String(Math.round(bytes / 1024))} KiB)`);
}
