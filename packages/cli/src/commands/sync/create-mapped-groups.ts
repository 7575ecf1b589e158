import { GroupAction } from '@umapi-kit/client';
import { CliError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';
import type { UmapiPort } from '../../context/umapi-port.js';

/**
 * `auto_create`: the plan's missing mapped user groups, created before its entries (which add users to them).
 * Each create is `ignoreIfAlreadyExists`, so a resumed or repeated run sends them again harmlessly. A group that
 * cannot be created stops the run before any entry is sent.
 */
export async function createMappedGroups(
  names: readonly string[],
  client: UmapiPort,
  ctx: CommandContext,
  testOnly: boolean,
): Promise<void> {
  if (names.length === 0) return;
  const result = await client.execute(
    names.map((name) => new GroupAction(name).create({ description: 'created by umapi sync (auto_create)' })),
    { testOnly, signal: ctx.signal },
  );
  const failed = result.outcomes.filter((outcome) => outcome.status === 'failed');
  if (failed.length > 0) {
    const why = failed
      .map((outcome, index) => `${names[index] ?? '?'}: ${outcome.errors[0]?.message ?? outcome.status}`)
      .join('; ');
    throw new CliError(`could not create the mapped user groups of ${client.orgId} (auto_create): ${why}`, {
      exitCode: ExitCode.failure,
      hints: ['nothing else was sent; create the groups with `umapi groups create NAME`, or fix the mapping'],
    });
  }
  ctx.logger.info(
    `${testOnly ? 'checked' : 'created'} ${String(names.length)} mapped user group(s) the org did not have: ${names.join(', ')}${ctx.globals.verbose ? ` (${client.orgId})` : ''}`,
  );
}
