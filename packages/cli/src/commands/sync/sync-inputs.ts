import type { OptionSpec } from '../../cli/command.js';
import { hostname, userInfo } from 'node:os';
import {
  createSource,
  fingerprint,
  InputFileError,
  LdapSourceError,
  loadDirectory,
  loadSyncConfig,
  Planner,
  sealPlan,
  SyncConfigError,
  unwritableGroups,
  type FullListing,
  type Plan,
  type StateStore,
  type SyncConfig,
} from '@umapi-kit/sync';
import { CliError, ConfigError, UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';
import { planSummaryLine } from '../../output/sync-text.js';
import { writeFileWhole } from '../../output/write-file-whole.js';
import { neutralizedCell } from '../../output/csv-cell.js';
import { guardFullReads, type FullReadGuard } from './sync-full-read.js';

const MAX_ROW_WARNINGS = 20;
/** Skipped rows a plan file keeps for its reviewers (all are counted). */
const MAX_SKIPPED_ROWS_KEPT = 1000;

export async function readSyncConfig(path: string): Promise<SyncConfig> {
  try {
    return await loadSyncConfig(path);
  } catch (error) {
    if (error instanceof SyncConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/**
 * An LDAP directory that could not be read whole, as one line and an exit code: a setting that cannot work (bind
 * refused, untrusted certificate, password file or variable missing) is 2; a server that failed or stopped short
 * (unreachable, limit, referral, connection dropped) is 1. Nothing was planned either way.
 */
export function ldapReadError(error: LdapSourceError): CliError {
  const setting = error.failure === 'bind' || error.failure === 'tls' || error.failure === 'setting';
  return new CliError(`cannot read the LDAP directory: ${error.message}`, {
    exitCode: setting ? ExitCode.usage : ExitCode.failure,
    hints: ['nothing was planned or changed: a partial directory would turn the missing users into removals'],
  });
}

/** Warns (every run) when an LDAP source does not verify the server's certificate. */
export function warnAboutLdapSource(config: SyncConfig, ctx: CommandContext): void {
  if (config.source.kind === 'ldap' && !config.source.options.tlsVerify) {
    ctx.logger.warn(
      `${config.file}: directory_users.connectors.ldap.tls_verify is false: the LDAP server's certificate is not ` +
        'checked, so anyone on the network path can pose as it; give its CA as ca_file instead',
    );
  }
}

/** The `--strict` option of `sync plan` and `sync run`. */
export const strictOption = {
  flags: '--strict',
  description:
    'stop at the first invalid directory row instead of skipping it (as directory_users.strict: true)',
} as const satisfies OptionSpec;

/** Who made a plan: `user@host`. */
function whoPlans(): string {
  let user = 'unknown';
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (a container running as an arbitrary uid)
  }
  return `${user}@${hostname()}`;
}

/**
 * Reads the directory and the org (or not, for push) and plans, with the anchors and the last run the state
 * store remembers; binds the anchors of matched users, records the run, and signs the plan with the store's
 * key. Warns about skipped and merged rows, and shows the org read on a terminal.
 */
export async function buildPlan(
  config: SyncConfig,
  ctx: CommandContext,
  store: StateStore,
  options: { strict?: boolean; fullReads?: FullReadGuard } = {},
): Promise<Plan> {
  const startedAt = new Date(ctx.clock.now()).toISOString();
  let directory;
  const strict = options.strict === true || config.strict;
  warnAboutLdapSource(config, ctx);
  try {
    directory = await loadDirectory(createSource(config.source), {
      strict,
      duplicateRows: config.duplicateRows,
    });
  } catch (error) {
    if (error instanceof InputFileError) {
      if (error.kind === 'file') {
        throw new UsageError(`the directory file ${error.message}`, [
          'it is the file directory_users.connectors names in the sync config (a relative path is relative to the config file)',
        ]);
      }
      throw new UsageError(error.message, [
        options.strict === true
          ? 'fix the row, or run without --strict to skip bad rows (each is reported with its line)'
          : 'fix the row, or set directory_users.strict: false to skip bad rows',
      ]);
    }
    if (error instanceof LdapSourceError) throw ldapReadError(error);
    throw error;
  }
  for (const rowError of directory.errors.slice(0, MAX_ROW_WARNINGS)) {
    ctx.logger.warn(`${rowError.source}:${String(rowError.line)}: ${rowError.message} (row skipped)`);
  }
  if (directory.errors.length > MAX_ROW_WARNINGS) {
    ctx.logger.warn(`… and ${String(directory.errors.length - MAX_ROW_WARNINGS)} more invalid rows skipped`);
  }
  if (directory.errors.length > 0) {
    ctx.logger.warn(
      `${String(directory.errors.length)} of ${String(directory.rowsRead)} directory rows were skipped`,
    );
  }
  if (directory.duplicates.length > 0) {
    const merged = config.duplicateRows === 'merge' ? 'merged into' : 'dropped for';
    const shown = directory.duplicates
      .slice(0, 5)
      .map((row) => `line ${String(row.line)} (${row.email}, ${merged} line ${String(row.firstLine)})`);
    ctx.logger.info(
      `${String(directory.duplicates.length)} duplicate directory row(s) ${merged} an earlier row of the same user: ` +
        `${shown.join(', ')}${directory.duplicates.length > 5 ? ', …' : ''}`,
    );
  }
  const client = await ctx.client();
  const orgId = client.orgId;
  // The org's groups tell which mapped groups UMAPI refuses to change (read-only shared user groups): their
  // changes become plan problems instead of requests that must fail. One short listing, only with mappings.
  const readGroups = config.rules.processGroups && config.rules.groups.length > 0;
  if (options.fullReads !== undefined) {
    // The page-0 guard: before any request, so a refused read sends nothing.
    const listings: FullListing[] = [];
    if (readGroups) listings.push('groups');
    if (config.rules.strategy === 'sync') listings.push('users');
    await guardFullReads(store, orgId, listings, ctx, options.fullReads);
  }
  const [anchors, previous] = await Promise.all([store.anchors(orgId), store.lastRun(orgId, 'plan')]);
  const unwritable = readGroups
    ? unwritableGroups(await client.groups.list({ signal: ctx.signal }).toArray({ all: true }))
    : undefined;
  const planner = new Planner(directory.users, config.rules, {
    anchors,
    previousDirectoryUsers: previous?.directoryUsers,
    unwritableGroups: unwritable,
  });
  if (config.rules.strategy === 'sync') {
    const progress = ctx.progress('Adobe users read');
    let read = 0;
    try {
      for await (const page of client.users.list({ signal: ctx.signal }).pages()) {
        for (const user of page.items) planner.addAdobeUser(user);
        read += page.items.length;
        progress.update(read, page.totalCount);
      }
    } finally {
      progress.stop();
    }
  }
  const planned = planner.finish();
  planned.stats.mergedRows = directory.duplicates.length;
  if (directory.errors.length > 0) {
    // Kept in the plan (and under its digest) so that whoever reviews it sees who is missing, and where.
    planned.stats.skippedRows = directory.errors.length;
    planned.skippedRows = directory.errors.slice(0, MAX_SKIPPED_ROWS_KEPT).map((row) => ({ ...row }));
  }
  await store.bindAnchors(orgId, planner.bindings());
  const plan = sealPlan(
    planned,
    {
      orgId,
      createdAt: new Date(ctx.clock.now()).toISOString(),
      createdBy: whoPlans(),
      configFingerprint: config.fingerprint,
      directoryFingerprint: fingerprint(directory.users),
      stateLocation: store.location,
      maxAgeMs: config.maxPlanAgeMs,
    },
    await store.planKey(),
  );
  await store.recordRun({
    orgId,
    kind: 'plan',
    startedAt,
    finishedAt: new Date(ctx.clock.now()).toISOString(),
    outcome: plan.safety === undefined ? 'complete' : 'held',
    directoryUsers: directory.users.length,
    adobeUsersRead: plan.stats.adobeUsersRead,
    counts: { entries: plan.entries.length, held: plan.safety?.held ?? 0, problems: plan.problems.length },
  });
  if (config.adobeOnlyUserList !== undefined) {
    const lines = ['type,email,username,domain'];
    for (const user of plan.adobeOnlyUsers) {
      lines.push([user.type, user.email, user.username ?? '', user.domain ?? ''].map(csvField).join(','));
    }
    await writeFileWhole(config.adobeOnlyUserList, `${lines.join('\n')}\n`);
    ctx.logger.info(
      `wrote ${String(plan.adobeOnlyUsers.length)} Adobe-only users to ${config.adobeOnlyUserList}`,
    );
  }
  for (const reason of plan.safety?.reasons ?? []) ctx.logger.warn(`held by the safety limits: ${reason}`);
  if (ctx.globals.output !== 'table') {
    // The plan goes to stdout as JSON: off a terminal, stderr gets it in one line, and every user skipped.
    if (!ctx.globals.outputExplicit) ctx.logger.info(planSummaryLine(plan));
    for (const problem of plan.problems) ctx.logger.warn(`${problem.email}: ${problem.message}`);
  }
  return plan;
}

/** A field of the Adobe-only CSV: formula-starting text neutralised (csv-cell.ts), quoted when needed. */
function csvField(value: string): string {
  const safe = neutralizedCell(value);
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}
