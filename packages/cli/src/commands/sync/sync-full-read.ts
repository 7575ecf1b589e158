import type { OptionSpec } from '../../cli/command.js';
import {
  DEFAULT_FULL_READ_INTERVAL_MS,
  earlyFullRead,
  parseDuration,
  type FullListing,
  type StateStore,
} from '@umapi-kit/sync';
import { CliError, UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import type { CommandContext } from '../../context/command-context.js';

/** The options of the page-0 guard (sync plan, sync run). */
export const fullReadOptions = [
  {
    flags: '--full-read-interval <duration>',
    description:
      "the least time between two full reads of the org's users (or groups), e.g. 2h, 90m; 0 turns the guard " +
      'off (default 2h: Adobe throttles page 0 of those listings on its own, and reading it sooner blocks all of ' +
      "the org's calls for over 2,000 s); default: $UMAPI_FULL_READ_INTERVAL, else 2h",
  },
  {
    flags: '--allow-early-read',
    description:
      'read the org in full even though the last full read is more recent than --full-read-interval',
  },
] as const satisfies readonly OptionSpec[];

/** What the page-0 guard allows: full reads at least `intervalMs` apart, unless `allowEarly`. */
export interface FullReadGuard {
  intervalMs: number;
  allowEarly: boolean;
}

/** The environment variable that sets the default of `--full-read-interval`. */
export const FULL_READ_INTERVAL_ENV = 'UMAPI_FULL_READ_INTERVAL';

export function fullReadGuardOf(
  args: { string(name: string): string | undefined; flag(name: string): boolean | undefined },
  env: Readonly<Record<string, string | undefined>>,
): FullReadGuard {
  const flag = args.string('fullReadInterval');
  const fromEnv = env[FULL_READ_INTERVAL_ENV];
  const [text, what] =
    flag !== undefined
      ? [flag, '--full-read-interval']
      : fromEnv !== undefined && fromEnv !== ''
        ? [fromEnv, `$${FULL_READ_INTERVAL_ENV}`]
        : [undefined, ''];
  let intervalMs = DEFAULT_FULL_READ_INTERVAL_MS;
  if (text !== undefined) {
    const parsed = text.trim() === '0' ? 0 : parseDuration(text);
    if (parsed === undefined) {
      throw new UsageError(`${what}: expected a duration such as 2h or 90m (or 0: off), got '${text}'`);
    }
    intervalMs = parsed;
  }
  return { intervalMs, allowEarly: args.flag('allowEarlyRead') === true };
}

/**
 * The page-0 guard: refuses (exit 2, before any request for the listings) a full read of the org's users or
 * groups that starts sooner than the interval after the last one the state store recorded; else records these
 * reads as starting now.
 */
export async function guardFullReads(
  store: StateStore,
  orgId: string,
  listings: readonly FullListing[],
  ctx: CommandContext,
  guard: FullReadGuard,
): Promise<void> {
  if (listings.length === 0) return;
  const now = ctx.clock.now();
  if (!guard.allowEarly) {
    const early = await earlyFullRead(store, orgId, listings, now, guard.intervalMs);
    if (early !== undefined) {
      throw new CliError(
        `refusing to read all of org ${orgId}'s ${early.listing} again: the last full read started at ` +
          `${early.lastReadAt} (state store ${store.location}), and the next is allowed from ${early.nextAllowedAt}`,
        {
          exitCode: ExitCode.usage,
          hints: [
            "Adobe throttles page 0 of the users and groups listings on its own: reading it sooner blocks all of the org's calls for over 2,000 s",
            'nothing was sent; to read anyway, add --allow-early-read (or set --full-read-interval)',
          ],
        },
      );
    }
  }
  const at = new Date(now).toISOString();
  for (const listing of listings) await store.recordFullRead(orgId, listing, at);
}
