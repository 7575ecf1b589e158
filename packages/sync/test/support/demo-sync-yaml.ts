/**
 * A sync configuration for the emulator's demo org (its groups Designers, Developers, Marketing; Ada the org
 * admin, the partner and the Adobe IDs excluded; Adobe-only users removed), reading `users.csv` next to it.
 */
export function demoSyncYaml(options: {
  /** Directory group → Adobe group (default design, dev, mkt). */
  groups?: Record<string, string>;
  maxAdobeOnlyUsers: number;
  updateAttributes?: string[];
}): string {
  const groups = options.groups ?? { design: 'Designers', dev: 'Developers', mkt: 'Marketing' };
  const lines = [
    'directory_users:',
    '  user_identity_type: federatedID',
    '  connectors:',
    '    csv: users.csv',
    '  groups:',
    ...Object.entries(groups).flatMap(([directory, adobe]) => [
      `    - directory_group: ${directory}`,
      `      adobe_groups: [${adobe}]`,
    ]),
    'adobe_users:',
    '  exclude_identity_types: [adobeID]',
    '  exclude_adobe_groups: [_org_admin]',
    "  exclude_users: ['.*@partner\\.example\\.org']",
    ...(options.updateAttributes === undefined
      ? []
      : [`  update_attributes: [${options.updateAttributes.join(', ')}]`]),
    'limits:',
    `  max_adobe_only_users: ${String(options.maxAdobeOnlyUsers)}`,
    'invocation_defaults:',
    '  adobe_only_user_action: remove',
    '  update_user_info: true',
  ];
  return `${lines.join('\n')}\n`;
}
