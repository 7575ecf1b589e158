import { InputFileError } from '@umapi-kit/sync';
import { extname, resolve } from 'node:path';
import { runActions } from '../../actions/run-actions.js';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { importColumns, planImport, readImportRows } from '../../import/import-rows.js';

export const usersImport = defineCommand({
  name: 'users import',
  summary: 'create, update or remove users in bulk from a CSV or JSON-lines file',
  description: `Validates the WHOLE file first and reports every bad row with its line and field; nothing is sent unless every row is valid.
Columns: ${importColumns.join(', ')}. action is create (default), update or remove; groups and remove_groups are comma-separated.`,
  args: [
    {
      name: 'file',
      description: 'a .csv file with a header row, or a .jsonl file (one JSON object per line)',
    },
  ],
  options: [
    {
      flags: '--dry-run',
      description: 'send with testOnly=true: the server checks every row, nothing changes',
    },
    {
      flags: '--format <format>',
      description: 'csv or jsonl (default: from the file extension)',
      choices: ['csv', 'jsonl'],
    },
  ],
  examples: [
    {
      command: 'umapi users import new-hires.csv --dry-run',
      description: 'check a file against the server without changing anything',
    },
    {
      command: 'umapi users import changes.jsonl --yes',
      description: 'apply a JSON-lines file (with removals) without asking',
    },
  ],
  async handler(args, ctx) {
    const file = args.positional('file');
    const format = args.choice('format') ?? (/\.(jsonl|ndjson)$/i.test(extname(file)) ? 'jsonl' : 'csv');
    let read: Awaited<ReturnType<typeof readImportRows>>;
    try {
      read = await readImportRows(resolve(ctx.cwd, file), format);
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      throw new UsageError(
        error.line > 0
          ? `${file}:${String(error.line)}: ${error.reason}`
          : `cannot read ${file}: ${error.reason}`,
      );
    }
    const { rows, problems } = read;
    const plan = planImport(rows, problems);
    if (problems.length > 0) {
      problems.sort((a, b) => a.line - b.line);
      const badLines = new Set(problems.map((problem) => problem.line)).size;
      throw new UsageError(
        `${file}: ${badLines} bad row${badLines === 1 ? '' : 's'}; nothing was sent`,
        problems.map((problem) => `${file} line ${problem.line}, ${problem.field}: ${problem.message}`),
      );
    }
    if (plan.actions.length === 0) throw new UsageError(`${file}: no rows to import`);
    const dryRun = args.flag('dryRun') === true;
    const runCtx = dryRun ? { ...ctx, globals: { ...ctx.globals, testOnly: true } } : ctx;
    if (plan.removes > 0 && !dryRun)
      await ctx.confirmDestructive(
        `remove ${plan.removes} user${plan.removes === 1 ? '' : 's'} from the organization`,
      );
    ctx.logger.info(
      `${file}: ${plan.actions.length} valid row${plan.actions.length === 1 ? '' : 's'}${dryRun ? ' (dry run: nothing will change)' : ''}`,
    );
    return runActions(runCtx, plan.actions, {
      label: (index) => `line ${plan.lines[index] ?? '?'} (${plan.actions[index]?.target ?? ''})`,
    });
  },
});
