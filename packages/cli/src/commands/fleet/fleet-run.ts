import { mkdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { defineCommand } from '../../cli/command.js';
import { UsageError } from '../../cli/cli-errors.js';
import { loadFleetConfig } from '../../fleet/fleet-config.js';
import { fleetSummaryTable } from '../../fleet/fleet-summary.js';
import { fleetIsolations, runFleet, type FleetOrgResult } from '../../fleet/run-fleet.js';
import { worstExitCode } from '../../fleet/worst-exit-code.js';
import { writeMetricsFile } from '../../metrics/metrics-file.js';
import { metricsFileOption } from '../../metrics/metrics-option.js';
import type { CommandContext } from '../../context/command-context.js';

const EXAMPLE = `concurrency: 4                    # orgs at once (default 4)
report_dir: reports               # or --report-dir
orgs:
  - name: acme                    # reports/acme.json, acme.html
    org_id: 12345ABCDE@AdobeOrg
    client_id: 0123abcd           # or client_id_env/_file
    client_secret_env: ACME_SECRET   # or client_secret_file
    sync_config: acme/sync.yml    # plans, journals beside it
    window: "22:00-05:00"         # UTC; else outside-window
    state: postgres://db/umapi    # optional: sync run --state
  - name: globex
    org_id: 67890FGHIJ@AdobeOrg
    client_id_env: GLOBEX_CLIENT_ID
    client_secret_file: /run/secrets/globex
    sync_config: globex/sync.yml`;

/** The global options each org's `sync run` inherits from the fleet's command line. */
function passedOptions(ctx: CommandContext): string[] {
  const { globals } = ctx;
  return [
    ...(globals.pacing ? [] : ['--no-pacing']),
    ...(globals.timeoutMs === undefined ? [] : ['--timeout', `${String(globals.timeoutMs)}ms`]),
    ...(globals.logFormat === 'json' ? ['--log-format', 'json'] : []),
    ...(globals.logFile === undefined ? [] : ['--log-file', resolve(ctx.cwd, globals.logFile)]),
    ...(globals.verbose ? ['--verbose'] : []),
    ...(globals.quiet ? ['--quiet'] : []),
  ];
}

export const fleetRun = defineCommand({
  name: 'fleet run',
  summary: 'sync many orgs: `sync run` for each org of a fleet file, a few at a time, one report each',
  description:
    'Runs `umapi sync run` for every org of FLEET (YAML), `concurrency` at a time, each with its own ' +
    'credentials, client (its own pacing budget), org lock, state store and report; one org failing (bad ' +
    'secret, server down, even a crash) never stops another. Credentials are references: client_secret_env or ' +
    'client_secret_file (an inline client_secret is refused). Writes <report-dir>/<name>.json (the run report ' +
    '`sync run` prints) and <name>.html, prints a summary table (org, outcome, entries, duration, requests, ' +
    "429s; --json for a program), and exits with the worst org's code (130 > 1 > 4 > 2 > 3 > 5 > 0). Alerts " +
    "come from each org's own sync config (notify:). Nobody can answer a prompt for many orgs at once: " +
    'without --yes, an org whose plan removes users stops with exit 2 and nothing sent. Example fleet file:\n\n' +
    EXAMPLE,
  args: [{ name: 'fleet', description: 'the fleet file (YAML)', required: true }],
  options: [
    {
      flags: '--report-dir <dir>',
      description: 'where the per-org reports go (default: report_dir in the fleet file, else ./reports)',
    },
    metricsFileOption,
    { flags: '--only <names>', description: 'run only these orgs (comma-separated names)' },
    {
      flags: '--isolation <mode>',
      description:
        "in-process (default): every org's sync run in this process (about 15 MiB an org); process: each in its " +
        "own umapi process (about 110 MiB an org: orgs never wait for each other's disk writes, and even a crash " +
        'of the process of one cannot stop the others)',
      choices: fleetIsolations,
    },
  ],
  examples: [
    { command: 'umapi fleet run fleet.yml --yes', description: 'sync every org of the fleet' },
    {
      command: 'umapi fleet run fleet.yml --dry-run --json',
      description: 'plan every org and have the server validate the plans; nothing changes',
    },
    {
      command:
        'umapi fleet run fleet.yml --yes --log-format json --log-file /var/log/umapi/fleet.log --metrics-file /var/lib/node_exporter/textfile/umapi.prom',
      description: 'unattended: JSON logs, a daily log file and metrics for Prometheus',
    },
  ],
  async handler(args, ctx) {
    const file = resolve(ctx.cwd, args.positional('fleet'));
    const fleet = await loadFleetConfig(file);
    const only = args.list('only');
    if (only.length > 0) {
      const unknown = only.filter((name) => !fleet.orgs.some((org) => org.name === name));
      if (unknown.length > 0) {
        throw new UsageError(
          `--only: no org named ${unknown.join(', ')} in ${file} (its orgs: ${fleet.orgs.map((org) => org.name).join(', ')})`,
        );
      }
      fleet.orgs = fleet.orgs.filter((org) => only.includes(org.name));
    }
    const reportArg = args.string('reportDir');
    const reportDir =
      reportArg === undefined
        ? (fleet.reportDir ?? resolve(ctx.cwd, 'reports'))
        : resolve(ctx.cwd, reportArg);
    await mkdir(reportDir, { recursive: true, mode: 0o700 });
    ctx.logger.info(
      `fleet ${relative(ctx.cwd, file) || file}: ${String(fleet.orgs.length)} org${fleet.orgs.length === 1 ? '' : 's'}, ` +
        `${String(fleet.concurrency)} at a time; reports in ${relative(ctx.cwd, reportDir) || '.'}`,
    );
    const results = await runFleet(fleet, {
      environment: { ...ctx.environment, cwd: dirname(file) },
      reportDir,
      passArgs: passedOptions(ctx),
      dryRun: ctx.globals.testOnly,
      yes: ctx.globals.yes,
      isolation: args.choice('isolation') ?? 'in-process',
      json: ctx.globals.logFormat === 'json',
      onOrgDone: (result) => {
        ctx.logger.event(
          'fleet.org.finished',
          `${result.name}: ${result.outcome} (exit ${String(result.exitCode)})`,
          {
            fleetOrg: result.name,
            org: result.orgId,
            outcome: result.outcome,
            exitCode: result.exitCode,
            entries: result.entries,
            durationMs: result.durationMs,
            requests: result.requests,
            throttled: result.throttled,
          },
        );
      },
    });
    const metricsFile = args.string('metricsFile');
    if (metricsFile !== undefined) {
      ctx.run.metricsWritten = true;
      const path = resolve(ctx.cwd, metricsFile);
      try {
        await writeMetricsFile(
          path,
          results.filter((result) => result.outcome !== 'outside-window').map((result) => result.observation),
        );
      } catch (error) {
        ctx.logger.error(`cannot write the metrics file ${path}: ${(error as Error).message}`);
      }
    }
    if (ctx.globals.output === 'table') await ctx.output.text(fleetSummaryTable(results));
    else await ctx.output.json(results.map(publicResult));
    return worstExitCode(results.map((result) => result.exitCode));
  },
});

/** A result as --json prints it (without the in-memory observation). */
function publicResult(result: FleetOrgResult): Omit<FleetOrgResult, 'observation'> {
  return Object.fromEntries(Object.entries(result).filter(([key]) => key !== 'observation')) as Omit<
    FleetOrgResult,
    'observation'
  >;
}
