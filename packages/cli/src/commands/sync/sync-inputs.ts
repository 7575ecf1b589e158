import type { OptionSpec } from '../../cli/command.js';
import { hostname, userInfo } from 'node:os';
import { resolve } from 'node:path';
import type { ConnectionSettings } from '../../config/connection-settings.js';
import {
  additionalGroupMappings,
  mappedOrgs,
  mergeOrgPlans,
  orgRules,
  type DirectoryUser,
  type PlannerOptions,
  type SecondaryPlan,
  type SyncRules,
  applyInvocation,
  createSource,
  InvocationError,
  loadUstConfig,
  type InvocationOptions,
  type UstUmapiConnection,
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
import type { CommandContext, ConnectionExtras } from '../../context/command-context.js';
import type { UmapiPort } from '../../context/umapi-port.js';
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

/** The configuration a `sync plan` or `sync run` works from, with the invocation options applied. */
export interface SyncInputs {
  config: SyncConfig;
  /** The configuration file (for default state and plan paths). */
  path: string;
  /** `--test-mode` or `invocation_defaults.test_mode`. */
  testMode: boolean;
  /** Multi-org (`--ust-config` with secondary connectors): each secondary's name and connection. */
  secondaries: { name: string; trusted: boolean; settings: ConnectionSettings; extra: ConnectionExtras }[];
}

/** The clients of the secondary orgs, by name (connected on first use of each). */
export async function secondaryClients(
  inputs: SyncInputs,
  ctx: CommandContext,
): Promise<{ name: string; trusted: boolean; client: UmapiPort }[]> {
  const out: { name: string; trusted: boolean; client: UmapiPort }[] = [];
  for (const secondary of inputs.secondaries) {
    out.push({
      name: secondary.name,
      trusted: secondary.trusted,
      client: await ctx.clientWith(secondary.settings, secondary.extra),
    });
  }
  return out;
}

/**
 * Reads `--sync-config` (native) or `--ust-config` (a User Sync Tool folder: its connector-umapi.yml becomes the
 * connection), then applies the User Sync Tool invocation flags over the file's `invocation_defaults`.
 */
export async function readSyncInputs(
  command: string,
  paths: { syncConfig: string | undefined; ustConfig: string | undefined },
  flags: InvocationOptions,
  ctx: CommandContext,
): Promise<SyncInputs> {
  if (paths.syncConfig !== undefined && paths.ustConfig !== undefined) {
    throw new UsageError(`${command}: give --sync-config or --ust-config, not both`, [
      '--sync-config reads umapi-kit sync.yml; --ust-config reads a User Sync Tool user-sync-config.yml',
    ]);
  }
  try {
    if (paths.ustConfig !== undefined) {
      const path = resolve(ctx.cwd, paths.ustConfig);
      const ust = await loadUstConfig(path, { flags, cwd: ctx.cwd, env: ctx.env });
      for (const notice of ust.notices) ctx.logger.info(notice);
      ctx.useConnection(connectionSettings(ust.connection), connectionExtras(ust.connection));
      const mapped = mappedOrgs(ust.sync.rules);
      for (const secondary of ust.secondaries) {
        if (!mapped.includes(secondary.name)) {
          ctx.logger.warn(
            `${path}: adobe_users.connectors.umapi names the org "${secondary.name}", but no mapping targets ${secondary.name}::GROUP: it is read, and only its Adobe-only users can change`,
          );
        }
      }
      return {
        config: ust.sync,
        path,
        testMode: ust.testMode,
        secondaries: ust.secondaries.map((secondary) => ({
          name: secondary.name,
          trusted: secondary.connection.trusted,
          settings: connectionSettings(secondary.connection),
          extra: connectionExtras(secondary.connection),
        })),
      };
    }
    if (paths.syncConfig === undefined) {
      throw new UsageError(`${command} needs --sync-config <file> or --ust-config <user-sync-config.yml>`);
    }
    const path = resolve(ctx.cwd, paths.syncConfig);
    const config = await readSyncConfig(path);
    const applied = applyInvocation(config, flags, { cwd: ctx.cwd });
    return { config: applied.config, path, testMode: applied.testMode, secondaries: [] };
  } catch (error) {
    if (error instanceof SyncConfigError || error instanceof InvocationError)
      throw new ConfigError(error.message);
    throw error;
  }
}

function connectionExtras(connection: UstUmapiConnection): ConnectionExtras {
  return {
    privateKeyPem: connection.privateKey,
    maxRetries: connection.retries,
    timeoutMs: connection.timeoutMs,
  };
}

/** The CLI's connection settings from a User Sync Tool connector (secrets travel, never printed). */
function connectionSettings(connection: UstUmapiConnection): ConnectionSettings {
  const settings: ConnectionSettings = {
    orgId: connection.orgId,
    clientId: connection.clientId,
    clientSecret: connection.clientSecret,
    authMethod: connection.authMethod,
    imsUrl: connection.imsUrl,
    umapiUrl: connection.umapiUrl,
  };
  if (connection.authMethod === 'oauth') settings.oauthTokenPath = connection.imsPath;
  else {
    settings.jwtExchangePath = connection.imsPath;
    settings.technicalAccountId = connection.technicalAccountId ?? '';
    settings.privateKeyFile = connection.privateKeySource ?? connection.file;
    settings.privateKeyFileSource = connection.privateKeySource ?? connection.file;
    if (connection.passphrase !== undefined) settings.passphrase = connection.passphrase;
  }
  return settings;
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
  options: {
    strict?: boolean;
    /** Multi-org: each secondary org's client, by the name its mapping targets use (`name::Group`). */
    secondaries?: readonly { name: string; trusted: boolean; client: UmapiPort }[];
    /** The page-0 guard: refuses a full read too soon after the last one, before any request. */
    fullReads?: FullReadGuard;
  } = {},
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
  const multiOrg = (options.secondaries ?? []).length > 0;
  const primaryRules = multiOrg ? orgRules(config.rules, undefined) : config.rules;
  if (options.fullReads !== undefined) {
    // The page-0 guard: before any request, so a refused read sends nothing.
    const listings: FullListing[] = [];
    if (
      primaryRules.processGroups &&
      (primaryRules.groups.length > 0 || (primaryRules.additionalGroups?.length ?? 0) > 0)
    )
      listings.push('groups');
    if (primaryRules.strategy === 'sync' && (primaryRules.adobeUsers?.kind ?? 'all') === 'all')
      listings.push('users');
    await guardFullReads(store, orgId, listings, ctx, options.fullReads);
  }
  const [anchors, previous] = await Promise.all([store.anchors(orgId), store.lastRun(orgId, 'plan')]);
  const planner = await planOrg(directory.users, primaryRules, client, ctx, {
    anchors,
    previousDirectoryUsers: previous?.directoryUsers,
  });
  const secondaryPlans: SecondaryPlan[] = [];
  for (const secondary of options.secondaries ?? []) {
    // Its own planner, its own org: its Adobe-only users are its own (the User Sync Tool's issue #788).
    const other = await planOrg(
      directory.users,
      orgRules(config.rules, secondary.name, { trusted: secondary.trusted }),
      secondary.client,
      ctx,
      {},
      `Adobe users read (${secondary.name})`,
    );
    secondaryPlans.push({ name: secondary.name, orgId: secondary.client.orgId, plan: other.finish() });
  }
  const planned = mergeOrgPlans(planner.finish(), secondaryPlans);
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

/**
 * Reads one org (its groups when mappings need them, then its users, or only the members of the `--adobe-users`
 * groups) into a planner of these rules. Returns the planner, to finish.
 */
async function planOrg(
  directoryUsers: readonly DirectoryUser[],
  rules: SyncRules,
  client: UmapiPort,
  ctx: CommandContext,
  plannerOptions: PlannerOptions,
  label = 'Adobe users read',
): Promise<Planner> {
  // The org's groups tell which mapped groups UMAPI refuses to change (read-only shared user groups): their
  // changes become plan problems instead of requests that must fail. One short listing, only with mappings.
  const readGroups =
    rules.processGroups && (rules.groups.length > 0 || (rules.additionalGroups?.length ?? 0) > 0);
  const orgGroups = readGroups
    ? await client.groups.list({ signal: ctx.signal }).toArray({ all: true })
    : undefined;
  const planner = new Planner(directoryUsers, rules, {
    ...plannerOptions,
    unwritableGroups: orgGroups === undefined ? undefined : unwritableGroups(orgGroups),
    existingGroups: orgGroups === undefined ? undefined : new Set(orgGroups.map((group) => group.groupName)),
  });
  if (rules.strategy !== 'sync') return planner;
  const progress = ctx.progress(label);
  let read = 0;
  // --adobe-users mapped|group: only the members of those groups are read (and so compared); a user in two
  // of them is listed twice and taken once.
  const scope = rules.adobeUsers ?? { kind: 'all' };
  const groups: (string | undefined)[] =
    scope.kind === 'all'
      ? [undefined]
      : scope.kind === 'groups'
        ? scope.groups
        : [
            ...new Set(
              [...rules.groups, ...additionalGroupMappings(rules, directoryUsers)].flatMap(
                (mapping) => mapping.adobeGroups,
              ),
            ),
          ];
  const seen = new Set<string>();
  try {
    for (const group of groups) {
      const listing = client.users.list(
        group === undefined ? { signal: ctx.signal } : { group, signal: ctx.signal },
      );
      for await (const page of listing.pages()) {
        for (const user of page.items) {
          if (group !== undefined) {
            const key = `${user.type}|${user.email.toLowerCase()}|${(user.username ?? '').toLowerCase()}|${(user.domain ?? '').toLowerCase()}`;
            if (seen.has(key)) continue;
            seen.add(key);
          }
          planner.addAdobeUser(user);
        }
        read += page.items.length;
        progress.update(read, groups.length === 1 ? page.totalCount : undefined);
      }
    }
  } finally {
    progress.stop();
  }
  return planner;
}
