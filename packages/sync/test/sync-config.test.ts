import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSyncConfig, SyncConfigError } from '../src/index.js';

const example = `directory_users:
  user_identity_type: federatedID
  default_country_code: us
  connectors:
    csv:
      file_path: users.csv
      delimiter: ";"
      column_names:
        email: mail
  groups:
    - directory_group: Marketing
      adobe_groups: [Creative Cloud All Apps, Marketing Users]
    - directory_group: Design
      adobe_groups: Photoshop
adobe_users:
  exclude_identity_types: [adobeID]
  exclude_adobe_groups: [_org_admin]
  exclude_users: ['.*@admin\\.example\\.com']
  update_attributes: [firstname, lastname, email, username]
limits:
  max_adobe_only_users: "5%"
invocation_defaults:
  adobe_only_user_action: [write-file, adobe-only.csv]
  strategy: sync
  update_user_info: true
`;

function errorOf(text: string): SyncConfigError {
  try {
    parseSyncConfig(text, '/cfg/sync.yml');
  } catch (error) {
    if (error instanceof SyncConfigError) return error;
    throw error;
  }
  throw new Error('expected a SyncConfigError');
}

describe('parseSyncConfig', () => {
  it("reads the User Sync Tool's keys into rules and a source", () => {
    const config = parseSyncConfig(example, '/cfg/sync.yml');
    expect(config.source).toEqual({
      kind: 'csv',
      options: { path: '/cfg/users.csv', delimiter: ';', columnNames: { email: 'mail' } },
    });
    expect(config.adobeOnlyUserList).toBe('/cfg/adobe-only.csv');
    const { rules } = config;
    expect(rules.defaultIdentityType).toBe('federatedID');
    expect(rules.defaultCountry).toBe('US');
    expect(rules.groups).toEqual([
      { directoryGroup: 'Marketing', adobeGroups: ['Creative Cloud All Apps', 'Marketing Users'] },
      { directoryGroup: 'Design', adobeGroups: ['Photoshop'] },
    ]);
    expect(rules.excludeIdentityTypes).toEqual(['adobeID']);
    expect(rules.excludeAdobeGroups).toEqual(['_org_admin']);
    expect(rules.excludeUsers[0]?.test('root@admin.example.com')).toBe(true);
    expect(rules.updateAttributes).toEqual(['firstname', 'lastname', 'email', 'username']);
    expect(rules.maxDeletions).toEqual({ percent: 5 });
    expect(rules.adobeOnlyUserAction).toBe('write-file');
    expect(rules.updateUserInfo).toBe(true);
    expect(rules.strategy).toBe('sync');
  });

  it('names file, key and line for a wrong value', () => {
    const error = errorOf(example.replace('max_adobe_only_users: "5%"', 'max_adobe_only_users: lots'));
    expect(error.message).toBe(
      '/cfg/sync.yml:21: limits.max_adobe_only_users: must be a whole number (e.g. 200) or a percentage string (e.g. "5%")',
    );
  });

  it('names an unknown key with the keys that would be right', () => {
    const error = errorOf(example.replace('  strategy: sync', '  stratgy: sync'));
    expect(error.line).toBe(24);
    expect(error.key).toBe('invocation_defaults.stratgy');
    expect(error.message).toMatch(/unknown key \(expected one of: adobe_only_user_action, strategy/);
  });

  it('checks list items and enumerations', () => {
    expect(errorOf(example.replace('[adobeID]', '[adobeID, robotID]')).message).toBe(
      '/cfg/sync.yml:16: adobe_users.exclude_identity_types[1]: must be one of adobeID, enterpriseID, federatedID',
    );
    expect(errorOf(example.replace('[write-file, adobe-only.csv]', 'nuke')).key).toBe(
      'invocation_defaults.adobe_only_user_action',
    );
    expect(errorOf(example.replace(/'\.\*@admin[^']*'/, "'(['")).message).toMatch(
      /sync\.yml:18: adobe_users\.exclude_users\[0\]: not a valid regular expression/,
    );
    expect(errorOf(example.replace('      adobe_groups: Photoshop\n', '')).message).toBe(
      '/cfg/sync.yml:13: directory_users.groups[1].adobe_groups: is required (a list of names)',
    );
  });

  it('reports YAML syntax errors with their line', () => {
    expect(errorOf('directory_users:\n  connectors: {csv: a.csv\n').message).toMatch(
      /^\/cfg\/sync\.yml:\d+: invalid YAML/,
    );
  });

  it('requires a connector', () => {
    expect(errorOf('directory_users:\n  user_identity_type: adobeID\n').message).toMatch(
      /sync\.yml:2: directory_users\.connectors: is required/,
    );
  });

  it("parses the README's example configuration", () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(yaml).toBeDefined();
    const config = parseSyncConfig(yaml ?? '', '/cfg/sync.yml');
    expect(config.rules.groups).toHaveLength(2);
    expect(config.rules.maxDeletions).toEqual({ percent: 5 });
    expect(config.source).toMatchObject({
      kind: 'csv',
      options: { path: '/cfg/users.csv', columnNames: { email: 'mail' } },
    });
  });
});
