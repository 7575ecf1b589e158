import { resolve } from 'node:path';
import {
  createSource,
  InputFileError,
  LdapSource,
  LdapSourceError,
  type DirectoryUser,
  type SyncConfig,
} from '@umapi-kit/sync';
import { UsageError } from '../../cli/cli-errors.js';
import { defineCommand } from '../../cli/command.js';
import { ldapReadError, readSyncConfig, warnAboutLdapSource } from './sync-inputs.js';

const SAMPLE_SIZE = 5;

/** A directory user as the next plan will take it: the default identity type filled in, groups mapped. */
interface MappedUser {
  email: string;
  type: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  username?: string;
  domain?: string;
  id?: string;
  directoryGroups: string[];
  adobeGroups: string[];
}

export interface SourceCheck {
  source: string;
  /** Entries (rows) read, users usable, entries skipped for a problem. */
  entries: number;
  users: number;
  invalid: number;
  /** LDAP: the groups the group filter matches; files: the distinct group names on rows. */
  groups: number;
  sample: MappedUser[];
  /** Mapped directory groups (`directory_users.groups`) the source does not have. */
  missingGroups: string[];
  firstProblems: string[];
}

function mapped(user: DirectoryUser, config: SyncConfig): MappedUser {
  const targets = new Map<string, string>();
  for (const group of user.groups) {
    for (const mapping of config.rules.groups) {
      if (mapping.directoryGroup.toLowerCase() !== group.toLowerCase()) continue;
      for (const adobe of mapping.adobeGroups) targets.set(adobe.toLowerCase(), adobe);
    }
  }
  const out: MappedUser = {
    email: user.email,
    type: user.type ?? config.rules.defaultIdentityType,
    directoryGroups: user.groups,
    adobeGroups: [...targets.values()],
  };
  for (const field of ['firstname', 'lastname', 'username', 'domain', 'id'] as const) {
    const value = user[field];
    if (value !== undefined) out[field] = value;
  }
  const country = user.country ?? config.rules.defaultCountry;
  if (country !== undefined) out.country = country;
  return out;
}

async function checkSource(config: SyncConfig): Promise<SourceCheck> {
  const source = createSource(config.source);
  const check: SourceCheck = {
    source: source.name,
    entries: 0,
    users: 0,
    invalid: 0,
    groups: 0,
    sample: [],
    missingGroups: [],
    firstProblems: [],
  };
  const seenGroups = new Set<string>();
  for await (const row of source.rows()) {
    check.entries += 1;
    if (row.user === undefined) {
      check.invalid += 1;
      if (check.firstProblems.length < SAMPLE_SIZE) {
        check.firstProblems.push(...row.problems.map((problem) => `${String(row.line)}: ${problem.message}`));
      }
      continue;
    }
    check.users += 1;
    for (const group of row.user.groups) seenGroups.add(group.toLowerCase());
    if (check.sample.length < SAMPLE_SIZE) check.sample.push(mapped(row.user, config));
  }
  if (source instanceof LdapSource) {
    check.groups = await source.countGroups();
    check.missingGroups = source.stats?.groupsMissing ?? [];
  } else {
    check.groups = seenGroups.size;
    check.missingGroups = config.rules.groups
      .map((mapping) => mapping.directoryGroup)
      .filter((group) => !seenGroups.has(group.toLowerCase()));
  }
  return check;
}

function describeUser(user: MappedUser): string {
  const name = [user.firstname, user.lastname].filter((part) => part !== undefined).join(' ');
  const parts = [
    `${user.email} (${user.type}${name === '' ? '' : `, ${name}`}${user.country === undefined ? '' : `, ${user.country}`})`,
  ];
  if (user.username !== undefined)
    parts.push(`username ${user.username}${user.domain === undefined ? '' : `@${user.domain}`}`);
  if (user.id !== undefined) parts.push(`id ${user.id}`);
  parts.push(user.adobeGroups.length === 0 ? 'no mapped groups' : `→ ${user.adobeGroups.join(', ')}`);
  return `  ${parts.join('; ')}`;
}

export const syncCheckSource = defineCommand({
  name: 'sync check-source',
  summary: 'read the directory source once and show what a sync would take from it, without touching Adobe',
  description:
    'Connects to the source of the sync configuration (LDAP/AD, CSV or JSON lines), reads it whole as sync plan would, and prints how many users and groups it has, five users as they will be mapped (identity type, names, country, anchor, Adobe groups), the mapped directory groups it does not have, and the first invalid entries. Nothing is read from or sent to Adobe; a directory that cannot be read whole fails here the way sync plan would.',
  args: [],
  options: [{ flags: '--sync-config <file>', description: 'sync configuration (YAML, User Sync Tool keys)' }],
  examples: [
    {
      command: 'umapi sync check-source --sync-config sync.yml',
      description: 'is the LDAP bind, filter and group mapping right before the first plan?',
    },
    { command: 'umapi sync check-source --sync-config sync.yml --json', description: 'the same, as JSON' },
  ],
  async handler(args, ctx) {
    const configPath = args.string('syncConfig');
    if (configPath === undefined) throw new UsageError('sync check-source needs --sync-config <file>');
    const config = await readSyncConfig(resolve(ctx.cwd, configPath));
    warnAboutLdapSource(config, ctx);
    let check: SourceCheck;
    try {
      check = await checkSource(config);
    } catch (error) {
      if (error instanceof InputFileError) throw new UsageError(error.message);
      if (error instanceof LdapSourceError) throw ldapReadError(error);
      throw error;
    }
    if (ctx.globals.output !== 'table') {
      await ctx.output.json(check);
      return 0;
    }
    const lines = [
      `${check.source}: ${String(check.users)} users${check.invalid === 0 ? '' : ` (${String(check.invalid)} of ${String(check.entries)} entries skipped)`}, ${String(check.groups)} groups`,
      check.sample.length === 0
        ? 'no users to show'
        : `first ${String(check.sample.length)} users as they will be mapped:`,
      ...check.sample.map(describeUser),
      check.missingGroups.length === 0
        ? 'every mapped directory group was found'
        : `mapped directory groups not found: ${check.missingGroups.join(', ')}`,
      ...(check.firstProblems.length === 0
        ? []
        : ['first invalid entries:', ...check.firstProblems.map((line) => `  ${line}`)]),
    ];
    await ctx.output.text(lines.join('\n'));
    return 0;
  },
});
