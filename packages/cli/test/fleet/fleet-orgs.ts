import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmulatorOptions } from '@umapi-kit/emulator';

/** One org of the fleet tests: its emulator seed, and a sync config + CSV in `<dir>/<name>/`. */
export interface TestOrg {
  name: string;
  orgId: string;
  clientId: string;
  clientSecret: string;
  domain: string;
}

export function testOrg(name: string, index: number): TestOrg {
  const hex = index.toString(16).toUpperCase().padStart(2, '0');
  return {
    name,
    orgId: `ABCDEF0123456789ABCDEF${hex}@AdobeOrg`,
    clientId: `${name}-client`,
    clientSecret: `${name}-secret-${'s'.repeat(12)}-${String(index)}`,
    domain: `${name}.example.com`,
  };
}

export function emulatorOrgs(orgs: readonly TestOrg[]): NonNullable<EmulatorOptions['orgs']> {
  return orgs.map((org) => ({
    orgId: org.orgId,
    name: org.name,
    clientId: org.clientId,
    clientSecret: org.clientSecret,
    federatedDomains: [org.domain],
    userGroups: ['Staff', 'Engineering'],
  }));
}

/** Writes `<dir>/<name>/sync.yml` and `users.csv` with `users` federated users of the org's domain. */
export async function writeOrgSync(
  dir: string,
  org: TestOrg,
  users: number,
  extraYaml = '',
): Promise<string> {
  const folder = join(dir, org.name);
  await mkdir(folder, { recursive: true });
  const rows = Array.from({ length: users }, (_, i) => {
    const group = i % 2 === 0 ? 'staff' : 'staff,eng';
    return `user${String(i)}@${org.domain},User,${String(i)},US,"${group}",federatedID`;
  });
  await writeFile(
    join(folder, 'users.csv'),
    ['email,firstname,lastname,country,groups,type', ...rows].join('\n') + '\n',
  );
  await writeFile(
    join(folder, 'sync.yml'),
    [
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      '    csv: users.csv',
      '  groups:',
      '    - directory_group: staff',
      '      adobe_groups: [Staff]',
      '    - directory_group: eng',
      '      adobe_groups: [Engineering]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      'limits:',
      '  max_adobe_only_users: 10',
      'invocation_defaults:',
      '  adobe_only_user_action: remove',
      extraYaml,
    ].join('\n'),
  );
  return join(folder, 'sync.yml');
}
