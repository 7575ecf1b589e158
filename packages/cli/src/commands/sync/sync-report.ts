import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import {
  outcomeOf,
  parsePlan,
  readJournalRows,
  type EntryOutcomeRecord,
  type Plan,
  type PlanEntry,
  type RunReport,
} from '@umapi-kit/sync';
import { defineCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { planToHtml } from '../../report/plan-html.js';
import { runToHtml } from '../../report/run-html.js';
import { writeReport } from '../../report/write-report.js';
import { refusedFileError } from './refused-file.js';

const SQLITE_MAGIC = 'SQLite format 3\0';

async function isSqlite(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SQLITE_MAGIC.length);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return buffer.toString('latin1', 0, bytesRead) === SQLITE_MAGIC;
  } finally {
    await handle.close();
  }
}

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

async function readPlan(path: string): Promise<Plan> {
  const text = await readText(path, 'plan');
  try {
    return parsePlan(text, path);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function entriesOf(plan: Plan | undefined): Map<string, PlanEntry> {
  return new Map((plan?.entries ?? []).map((entry) => [entry.id, entry]));
}

/** The journal's rows as the run report's outcome records, with their entries. */
function journalInput(path: string): { outcomes: EntryOutcomeRecord[]; entries: Map<string, PlanEntry> } {
  let rows;
  try {
    rows = readJournalRows(path);
  } catch (error) {
    throw refusedFileError(error) ?? error;
  }
  const entries = new Map<string, PlanEntry>();
  const outcomes = rows.map((row) => {
    entries.set(row.id, row.entry);
    return outcomeOf(row);
  });
  return { outcomes, entries };
}

export const syncReport = defineCommand({
  name: 'sync report',
  summary: 'write a saved plan, run report or journal as a self-contained HTML page for review',
  description:
    'Write a plan (`sync plan --out`), a run report (`sync apply --json` output) or a journal as one HTML page a ' +
    'person reviews in a browser or on paper: the plan digest, org and who planned it, counts as a chart and as ' +
    'numbers, held entries first with why, problems, and every entry (search, filters, sorting; outcome and ' +
    'error for a run). The page is self-contained (no network request, its policy forbids any) and written ' +
    'owner-only (0600), whole; a symbolic link there is refused. Reads only; changes nothing.',
  args: [
    {
      name: 'file',
      description: 'a plan file, a run report (JSON) or a journal (.journal.db)',
      required: true,
    },
  ],
  options: [
    { flags: '--html <file>', description: 'write the HTML page here (required)' },
    {
      flags: '--plan <file>',
      description:
        'with a journal or run report: the plan it applied, for the header (org, digest) and details',
    },
  ],
  examples: [
    { command: 'umapi sync report plan.json --html plan.html', description: 'a plan, for the change ticket' },
    {
      command: 'umapi sync report plan.json.journal.db --plan plan.json --html run.html',
      description: 'how an apply went, from its journal',
    },
  ],
  async handler(args, ctx) {
    const out = args.string('html');
    if (out === undefined) throw new UsageError('sync report needs --html <file> (where to write the page)');
    const file = resolve(ctx.cwd, args.positional('file'));
    const planArg = args.string('plan');
    const plan = planArg === undefined ? undefined : await readPlan(resolve(ctx.cwd, planArg));
    let html: string;
    let what: string;
    let isJournal: boolean;
    try {
      isJournal = await isSqlite(file);
    } catch (error) {
      throw new UsageError(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (isJournal) {
      const input = journalInput(file);
      html = runToHtml({ ...input, journalPath: file, ...(plan === undefined ? {} : { plan }) });
      what = `run report of ${String(input.outcomes.length)} journal entries`;
    } else {
      const text = await readText(file, 'file');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new UsageError(
          `${file}: not a plan, run report or journal (not JSON: ${(error as Error).message})`,
        );
      }
      if ((value as { kind?: unknown } | null)?.kind === 'sync-run-report') {
        const report = value as RunReport;
        if (!Array.isArray(report.entries)) throw new UsageError(`${file}: run report has no "entries" list`);
        html = runToHtml({
          outcomes: report.entries,
          entries: entriesOf(plan),
          report,
          ...(plan === undefined ? {} : { plan }),
        });
        what = `run report of ${String(report.entries.length)} entries`;
      } else {
        if (planArg !== undefined)
          throw new UsageError('--plan is for a journal or a run report; this file is read as a plan');
        let read: Plan;
        try {
          read = parsePlan(text, file);
        } catch (error) {
          throw new UsageError(
            `${(error as Error).message}; sync report reads a plan, a run report (JSON) or a journal`,
          );
        }
        html = planToHtml(read, { now: ctx.clock.now(), source: file });
        what = `plan of ${String(read.entries.length)} entries`;
      }
    }
    const bytes = await writeReport(resolve(ctx.cwd, out), html);
    ctx.logger.info(`wrote the ${what} to ${out} (${String(Math.round(bytes / 1024))} KiB)`);
    if (ctx.globals.output !== 'table') await ctx.output.json({ html: out, bytes });
    return ExitCode.ok;
  },
});
