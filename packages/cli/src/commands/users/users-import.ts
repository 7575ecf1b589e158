import {
  InputFileError,
  parseStateLocation,
  planFingerprint,
  PostgresStateStore,
  STATE_ENV,
  StateLocationError,
} from '@umapi-kit/sync';
import { existsSync } from 'node:fs';
import { extname, relative, resolve } from 'node:path';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { importColumns, planImport, readImportRows } from '../../import/import-rows.js';
import { importAsPlan, runImport } from '../../import/run-import.js';
import { quoteArg } from '../sync/sync-apply-run.js';
import { openStateStore } from '../sync/sync-state.js';

/** Row errors printed before the count of the others. */
const MAX_ROW_ERRORS = 20;

export const usersImport = defineCommand({
  name: 'users import',
  summary: 'create, update or remove users in bulk from a CSV or JSON-lines file (journaled, resumable)',
  description: `Validates the WHOLE file first and reports every bad row with its line and field (and a user on two rows, with both lines); nothing is sent unless every row is valid.
Columns: ${importColumns.join(', ')}. action is create (default), update or remove; groups and remove_groups are comma-separated.
Rows are journaled like \`umapi sync apply\` (default journal: <file>.import-<digest>.journal.db next to the file, owner-only): an interrupted import prints the command that finishes it, and --resume sends only what is not done yet. Removals go first, then updates, then creates. It takes the same per-org lock as \`sync apply\`: refused (exit 2) while a sync or another import changes the org from this machine. With a PostgreSQL --state (or $UMAPI_STATE) the journal, the org lock and the run history are in that database: the lock covers every host, and --resume works from any host with its own copy of the file. A read-only or full disk stops it with one line naming the journal: exit 2 before anything was sent, 1 mid-run (--resume finishes once there is room).`,
  args: [
    {
      name: 'file',
      description: 'a .csv file with a header row, or a .jsonl file (one JSON object per line)',
    },
  ],
  options: [
    {
      flags: '--format <format>',
      description: 'csv or jsonl (default: from the file extension)',
      choices: ['csv', 'jsonl'],
    },
    {
      flags: '--encoding <name>',
      description:
        'the encoding the file was saved in (default utf8, checked: a byte that is not UTF-8 is an error naming its line and column)',
      choices: ['utf8', 'latin1', 'utf16le'],
    },
    {
      flags: '--strict',
      description:
        'refuse cells a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage return); without it they are warned about and sent as text',
    },
    {
      flags: '--journal <file>',
      description: 'journal file (default: <file>.import-<digest>.journal.db next to the input file)',
    },
    {
      flags: '--state <url>',
      description:
        'a PostgreSQL state store, postgres://USER@HOST:PORT/DATABASE[?schema=NAME] (default: ' +
        `$${STATE_ENV} when it is one): the journal (found by the rows' digest and the org), the org lock and ` +
        'the run history go there, shared with `sync apply` on every host; --resume then works from any host ' +
        'with its own copy of the file',
    },
    {
      flags: '--resume',
      description: 'finish an interrupted import with its journal (rows already done are not sent again)',
    },
    {
      flags: '--force-unlock',
      description: "remove the journal's lock left by an import known to be dead (e.g. on another host)",
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
    {
      command: 'umapi users import new-hires.csv --resume',
      description: 'finish an import that was interrupted (Ctrl-C, kill, lost connection)',
    },
  ],
  async handler(args, ctx) {
    const file = args.positional('file');
    const formatArg = args.choice('format');
    const format = formatArg ?? (/\.(jsonl|ndjson)$/i.test(extname(file)) ? 'jsonl' : 'csv');
    const fullPath = resolve(ctx.cwd, file);
    let read: Awaited<ReturnType<typeof readImportRows>>;
    try {
      const encoding = args.choice('encoding') as BufferEncoding | undefined;
      read = await readImportRows(fullPath, format, encoding);
    } catch (error) {
      if (!(error instanceof InputFileError)) throw error;
      throw new UsageError(
        error.line > 0
          ? `${file}:${String(error.line)}: ${error.reason}`
          : `cannot read ${file}: ${error.reason}`,
      );
    }
    const { rows, problems, formulas } = read;
    if (args.flag('strict') === true) problems.push(...formulas);
    else {
      for (const formula of formulas.slice(0, MAX_ROW_ERRORS)) {
        ctx.logger.warn(
          `${file}:${String(formula.line)}: ${formula.field}: ${formula.message} (sent as text; --strict refuses such cells)`,
        );
      }
      if (formulas.length > MAX_ROW_ERRORS)
        ctx.logger.warn(`… and ${String(formulas.length - MAX_ROW_ERRORS)} more cells that start a formula`);
    }
    const plan = planImport(rows, problems, file);
    if (problems.length > 0) {
      problems.sort((a, b) => a.line - b.line);
      const badLines = new Set(problems.map((problem) => problem.line)).size;
      // Each problem is an error line of its own (the header is line 1); 50,000 bad rows print the first ones.
      for (const problem of problems.slice(0, MAX_ROW_ERRORS)) {
        ctx.logger.error(`${file}:${String(problem.line)}: ${problem.field}: ${problem.message}`);
      }
      const hidden = problems.length - MAX_ROW_ERRORS;
      if (hidden > 0) {
        const hiddenLines = new Set(problems.slice(MAX_ROW_ERRORS).map((problem) => problem.line)).size;
        ctx.logger.error(
          `… and ${String(hidden)} more problem${hidden === 1 ? '' : 's'} on ${String(hiddenLines)} more row${hiddenLines === 1 ? '' : 's'} (not shown)`,
        );
      }
      throw new UsageError(`${file}: ${badLines} bad row${badLines === 1 ? '' : 's'}; nothing was sent`, [
        'fix the rows and run the command again: the whole file is checked before anything is sent',
      ]);
    }
    if (plan.entries.length === 0) throw new UsageError(`${file}: no rows to import`);
    // --dry-run is the global --test-only: the server checks every row, nothing changes, the journal stays in memory.
    const dryRun = ctx.globals.testOnly;
    const journalArg = args.string('journal');
    const stateArg = args.string('state');
    const stateSpec = stateArg ?? ctx.env[STATE_ENV];
    let shared = false;
    if (stateSpec !== undefined && stateSpec !== '') {
      let kind;
      try {
        kind = parseStateLocation(stateSpec, stateArg === undefined ? `$${STATE_ENV}` : '--state').kind;
      } catch (error) {
        if (error instanceof StateLocationError) throw new UsageError(error.message);
        throw error;
      }
      if (kind === 'sqlite' && stateArg !== undefined) {
        throw new UsageError(
          '--state: users import keeps its journal in a file (--journal); --state takes a PostgreSQL URL here',
        );
      }
      shared = kind === 'postgres' && !dryRun;
      if (shared && journalArg !== undefined) {
        throw new UsageError(
          '--journal names a file, but with a PostgreSQL state store the journal is in the database (by digest and org)',
          ['leave out --journal'],
        );
      }
    }
    const digest = planFingerprint(importAsPlan(plan.entries)).slice(0, 12);
    const journalPath = resolve(ctx.cwd, journalArg ?? `${fullPath}.import-${digest}.journal.db`);
    const resumeCommand = [
      'umapi users import',
      quoteArg(file),
      ...(formatArg === undefined ? [] : ['--format', formatArg]),
      ...(args.choice('encoding') === undefined ? [] : ['--encoding', args.choice('encoding') ?? '']),
      ...(args.flag('strict') === true ? ['--strict'] : []),
      ...(journalArg === undefined ? [] : ['--journal', quoteArg(journalArg)]),
      ...(stateArg === undefined || !shared ? [] : ['--state', quoteArg(stateArg)]),
      ...(ctx.globals.yes && plan.removes > 0 ? ['--yes'] : []),
      '--resume',
    ].join(' ');
    if (shared) {
      const store = await openStateStore(stateSpec ?? '', ctx.cwd);
      if (!(store instanceof PostgresStateStore)) throw new Error('unreachable: not a PostgreSQL store');
      try {
        const orgId = (await ctx.client()).orgId;
        const found = await store.findJournal(orgId, importAsPlan(plan.entries));
        if (found !== undefined && args.flag('resume') !== true) {
          throw new UsageError(
            `the journal of these rows for org ${orgId} already exists in ${store.location} (made ${found.createdAt}): ` +
              `${file} was imported before, or the import was interrupted`,
            [
              `to finish it (rows already done are not sent again), from this host or any other, run: ${resumeCommand}`,
            ],
          );
        }
        if (plan.removes > 0)
          await ctx.confirmDestructive(
            `remove ${plan.removes} user${plan.removes === 1 ? '' : 's'} from the organization`,
          );
        ctx.logger.info(`${file}: ${plan.entries.length} valid row${plan.entries.length === 1 ? '' : 's'}`);
        ctx.logger.info(`journal in ${store.location}; if this stops, finish with: ${resumeCommand}`);
        return await runImport(ctx, plan.entries, {
          file,
          journalPath: `journal in ${store.location}`,
          testOnly: false,
          resumeCommand,
          store,
          lines: new Map(plan.entries.map((entry, index) => [entry.id, plan.lines[index] ?? 0])),
        });
      } finally {
        await store.close();
      }
    }
    if (!dryRun && existsSync(journalPath) && args.flag('resume') !== true) {
      throw new UsageError(
        `journal ${relative(ctx.cwd, journalPath)} already exists: ${file} was imported before, or the import was interrupted`,
        [`to finish it (rows already done are not sent again), run: ${resumeCommand}`],
      );
    }
    if (plan.removes > 0 && !dryRun)
      await ctx.confirmDestructive(
        `remove ${plan.removes} user${plan.removes === 1 ? '' : 's'} from the organization`,
      );
    ctx.logger.info(
      `${file}: ${plan.entries.length} valid row${plan.entries.length === 1 ? '' : 's'}${dryRun ? ' (dry run: nothing will change)' : ''}`,
    );
    // Said before anything is sent: a process killed outright cannot say it afterwards.
    if (!dryRun)
      ctx.logger.info(
        `journal ${relative(ctx.cwd, journalPath)}; if this stops, finish with: ${resumeCommand}`,
      );
    return runImport(ctx, plan.entries, {
      file,
      journalPath: dryRun ? ':memory:' : journalPath,
      testOnly: dryRun,
      resumeCommand,
      forceUnlock: args.flag('forceUnlock') === true,
      lines: new Map(plan.entries.map((entry, index) => [entry.id, plan.lines[index] ?? 0])),
    });
  },
});
