import {
  createSource,
  InputFileError,
  loadDirectory,
  loadSyncConfig,
  planFromStream,
  SyncConfigError,
  type Plan,
  type SyncConfig,
} from '@umapi-kit/sync';
import { ConfigError, UsageError } from '../../cli/cli-errors.js';
import type { CommandContext } from '../../context/command-context.js';
import { writeFileWhole } from '../../output/write-file-whole.js';

const MAX_ROW_WARNINGS = 20;

export async function readSyncConfig(path: string): Promise<SyncConfig> {
  try {
    return await loadSyncConfig(path);
  } catch (error) {
    if (error instanceof SyncConfigError) throw new ConfigError(error.message);
    throw error;
  }
}

/** The `--strict` option of `sync plan` and `sync run`. */
export const strictOption = {
  flags: '--strict',
  description:
    'stop at the first invalid directory row instead of skipping it (as directory_users.strict: true)',
};

/** Reads the directory and the org (or not, for push) and plans; warns about skipped rows. */
export async function buildPlan(
  config: SyncConfig,
  ctx: CommandContext,
  options: { strict?: boolean } = {},
): Promise<Plan> {
  let directory;
  const strict = options.strict === true || config.strict;
  try {
    directory = await loadDirectory(createSource(config.source), { strict });
  } catch (error) {
    if (error instanceof InputFileError) {
      throw new UsageError(error.message, [
        options.strict === true
          ? 'fix the row, or run without --strict to skip bad rows (each is reported with its line)'
          : 'fix the row, or set directory_users.strict: false to skip bad rows',
      ]);
    }
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
  const client = await ctx.client();
  async function* none(): AsyncIterable<never> {}
  const adobeUsers = config.rules.strategy === 'push' ? none() : client.users.list({ signal: ctx.signal });
  const plan = await planFromStream(directory.users, adobeUsers, config.rules);
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
  if (plan.safetyLimit !== undefined) ctx.logger.warn(plan.safetyLimit.message);
  return plan;
}

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
