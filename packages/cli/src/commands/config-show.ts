import { defineCommand } from '../cli/command.js';
import { checkConnectionSettings } from '../config/connection-settings.js';
import { displayValue, settingKeys, settingLabels } from '../config/settings.js';
import { describeError } from '../cli/error-report.js';
import { knownVariables } from '../config/unknown-variables.js';
import { OutputWriter } from '../output/output-writer.js';

export const configShow = defineCommand({
  name: 'config show',
  summary: 'print the resolved settings (secrets masked) and where each came from',
  description:
    'Precedence: flags, then environment (UMAPI_*), then files: .env in the current folder, the profile (--profile NAME, UMAPI_PROFILE or "default") in ~/.config/umapi/profiles.yml (or UMAPI_PROFILES_FILE), then usermanagement.config (--config FILE or ./usermanagement.config).\nVariables read: ' +
    `${knownVariables.join(', ')}. Any other UMAPI_* variable (in the environment or .env) is warned about, with the closest of these.`,
  args: [],
  options: [],
  examples: [
    { command: 'umapi config show', description: 'what would be used, and from where' },
    { command: 'umapi --profile prod config show --json', description: 'a profile, as JSON' },
    {
      command: 'umapi config show | less',
      description: 'piped, it is still the table (--json for a script)',
    },
  ],
  async handler(_args, ctx) {
    const report = await ctx.settings();
    const rows = settingKeys.map((key) => {
      const entry = report.settings[key];
      return {
        setting: key,
        description: settingLabels[key],
        value: entry === undefined ? '' : displayValue(key, entry.value),
        source: entry?.source ?? (key === 'authMethod' ? 'default (oauth)' : '(not set)'),
      };
    });
    let problem: string | undefined;
    try {
      checkConnectionSettings(report.settings);
    } catch (error) {
      problem = describeError(error).message;
    }
    // For a person even when piped (`umapi config show | less`, into a ticket): the table unless a machine
    // format was asked for with --output or --json.
    if (ctx.output.format === 'table' || !ctx.globals.outputExplicit) {
      const table = ctx.output.format === 'table' ? ctx.output : new OutputWriter(ctx.stdout, 'table');
      await table.list(
        rows,
        ['setting', 'value', 'source'].map((name) => ({
          name,
          get: (row: Record<string, string>) => row[name],
        })),
      );
      await table.text(`files read: ${report.files.length === 0 ? '(none)' : report.files.join(', ')}`);
      await table.text(problem === undefined ? 'settings are complete' : `problem: ${problem}`);
    } else {
      await ctx.output.json({
        settings: rows,
        files: report.files,
        profile: report.profile ?? null,
        unknownVariables: report.unknown,
        problem: problem ?? null,
      });
    }
    return problem === undefined ? 0 : 2;
  },
});
