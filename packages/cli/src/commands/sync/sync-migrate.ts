import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InvocationError, loadUstConfig, migrateUstConfig, SyncConfigError } from '@umapi-kit/sync';
import { defineCommand } from '../../cli/command.js';
import { ConfigError, UsageError } from '../../cli/cli-errors.js';
import { ExitCode } from '../../cli/exit-codes.js';
import { writeFileWhole } from '../../output/write-file-whole.js';

export const syncMigrate = defineCommand({
  name: 'sync migrate',
  summary: "write a User Sync Tool folder's configuration as an umapi-kit sync.yml (reads no secret)",
  description:
    'Reads user-sync-config.yml and the connector files it names, as `sync run --ust-config` does, and writes the ' +
    'equivalent native sync.yml with a comment on each key naming the User Sync Tool key (file and line) it ' +
    'translates. The connector files become inline connectors. The connection (connector-umapi.yml) and secrets ' +
    'are not written: the header says how to give them (UMAPI_* variables or a profile). Keys umapi-kit refuses ' +
    'stop it with the same message as sync run. The file is written whole (0600); an existing one needs --force.',
  args: [{ name: 'config', description: 'the User Sync Tool user-sync-config.yml', required: true }],
  options: [
    { flags: '--out <file>', description: 'where to write the native configuration (e.g. sync.yml)' },
    { flags: '--force', description: 'replace --out when it exists' },
  ],
  examples: [
    {
      command: 'umapi sync migrate user-sync-config.yml --out sync.yml',
      description: 'translate a User Sync Tool folder, then run `umapi sync plan --sync-config sync.yml`',
    },
  ],
  async handler(args, ctx) {
    const source = resolve(ctx.cwd, args.positional('config'));
    const outArg = args.string('out');
    if (outArg === undefined) throw new UsageError('sync migrate needs --out <file> (e.g. --out sync.yml)');
    const out = resolve(ctx.cwd, outArg);
    if (existsSync(out) && args.flag('force') !== true) {
      throw new UsageError(`${outArg} exists: pass --force to replace it, or choose another --out`);
    }
    let migration;
    try {
      const ust = await loadUstConfig(source, { cwd: ctx.cwd, env: ctx.env, resolveSecrets: false });
      for (const notice of ust.notices) ctx.logger.info(notice);
      migration = await migrateUstConfig(ust, out);
    } catch (error) {
      if (error instanceof SyncConfigError || error instanceof InvocationError)
        throw new ConfigError(error.message);
      throw error;
    }
    await writeFileWhole(out, migration.text);
    ctx.logger.info(`wrote ${relative(ctx.cwd, out) || out}; still to do by hand:`);
    for (const item of migration.todo) ctx.logger.info(`  - ${item}`);
    if (ctx.globals.output !== 'table') await ctx.output.json({ out, todo: migration.todo });
    else await ctx.output.text(`wrote ${outArg}`);
    return ExitCode.ok;
  },
});
