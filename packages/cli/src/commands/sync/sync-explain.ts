import { resolve } from 'node:path';
import { createSource, explainUser, InputFileError, LdapSourceError, loadDirectory } from '@umapi-kit/sync';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { describeEntry } from '../../output/sync-text.js';
import { ldapReadError, readSyncConfig } from './sync-inputs.js';
import { chosenState, defaultStatePath, openStateStore, stateOption } from './sync-state.js';

export const syncExplain = defineCommand({
  name: 'sync explain',
  summary: "explain what the next sync would do for one user, reading only that user's account",
  description:
    'Says whether the user is in the directory, how it matches an Adobe account (anchor, username and domain, email) or why not, which of its groups map to which Adobe groups, whether an exclusion protects the account, and exactly the entry the next plan would make, or why none.',
  args: [{ name: 'user', description: 'email, username or directory id (anchor) of the user' }],
  options: [
    { flags: '--sync-config <file>', description: 'sync configuration (YAML, User Sync Tool keys)' },
    stateOption,
  ],
  examples: [
    {
      command: 'umapi sync explain jane.doe@example.com --sync-config sync.yml',
      description: 'why is (or is not) Jane changed by the next sync?',
    },
  ],
  async handler(args, ctx) {
    const configPath = args.string('syncConfig');
    if (configPath === undefined) throw new UsageError('sync explain needs --sync-config <file>');
    const query = args.positional('user');
    const fullPath = resolve(ctx.cwd, configPath);
    const config = await readSyncConfig(fullPath);
    let directory;
    try {
      directory = await loadDirectory(createSource(config.source), { duplicateRows: config.duplicateRows });
    } catch (error) {
      if (error instanceof InputFileError) throw new UsageError(error.message);
      if (error instanceof LdapSourceError) throw ldapReadError(error);
      throw error;
    }
    const client = await ctx.client();
    const state = chosenState(args.string('state'), ctx.env, defaultStatePath(fullPath));
    const store = await openStateStore(state?.spec ?? defaultStatePath(fullPath), ctx.cwd, state?.what);
    let explanation;
    try {
      explanation = await explainUser(query, {
        directory: directory.users,
        rules: config.rules,
        anchors: await store.anchors(client.orgId),
        getUser: (user, options) => client.users.get(user, { ...options, signal: ctx.signal }),
      });
    } finally {
      await store.close();
    }
    if (ctx.globals.output !== 'table') {
      await ctx.output.json(explanation);
      return 0;
    }
    for (const step of explanation.steps) {
      await ctx.output.text(`${step.found ? '✔' : '✘'} ${step.step}: ${step.detail}`);
    }
    await ctx.output.text(
      explanation.entry !== undefined
        ? `next plan: ${describeEntry(explanation.entry)}`
        : `next plan: no entry: ${explanation.noEntryBecause ?? ''}`,
    );
    return 0;
  },
});
