import { PLAN_FORMAT, PLAN_VERSION, type Plan, type PlanEntry } from '@umapi-kit/sync';

export const HOSTILE = '<img src=x onerror="document.title=\'pwned\'">';
export const SCRIPT_NAME = '</script><script>document.title="pwned"</script>';

/** A plan with every kind, a hostile first name and group, held removals, a problem, and `extra` plain creates. */
export function reviewPlan(extra = 0): Plan {
  const entries: PlanEntry[] = [
    {
      id: 'c1',
      kind: 'create',
      target: { user: 'ada@example.com', type: 'federatedID' },
      attributes: { email: 'ada@example.com', firstname: HOSTILE, lastname: 'Admin', country: 'US' },
      createOption: 'ignoreIfAlreadyExists',
      addGroups: ['Designers', SCRIPT_NAME],
    },
    {
      id: 'u1',
      kind: 'update',
      target: { user: 'cleo.dev@example.com', type: 'enterpriseID' },
      attributes: { email: 'cleo.developer@example.com', lastname: 'Developer' },
      addGroups: ['Developers'],
      removeGroups: ['Marketing'],
    },
    {
      id: 'u2',
      kind: 'update',
      target: { user: 'eve.ops', domain: 'fed.example.com', type: 'federatedID' },
      attributes: { username: 'eve.operations' },
    },
    {
      id: 'r1',
      kind: 'remove-from-org',
      target: { user: 'dan.market@fed.example.com', type: 'federatedID' },
      accountGroups: ['Marketing'],
      held: { reason: '2 destructive changes exceed max_deletions 1' },
    },
    {
      id: 'r2',
      kind: 'delete-account',
      target: { user: 'fay.sso@fed.example.com', type: 'federatedID' },
      held: { reason: '2 destructive changes exceed max_deletions 1' },
    },
    {
      id: 'g1',
      kind: 'remove-mapped-groups',
      target: { user: 'gus@example.com', type: 'enterpriseID' },
      removeGroups: ['Designers', 'Developers'],
    },
  ];
  for (let index = 0; index < extra; index += 1) {
    entries.push({
      id: `x${String(index)}`,
      kind: 'create',
      target: { user: `user${String(index).padStart(6, '0')}@example.com`, type: 'federatedID' },
      attributes: {
        email: `user${String(index).padStart(6, '0')}@example.com`,
        firstname: 'Pat',
        lastname: `No${String(index)}`,
        country: 'DE',
      },
      addGroups: [index % 2 === 0 ? 'Designers' : 'Developers'],
    });
  }
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    kind: 'sync-plan',
    strategy: 'sync',
    adobeOnlyUserAction: 'remove',
    origin: {
      orgId: 'DEMO0RG@AdobeOrg',
      createdAt: '2026-12-04T01:00:00.000Z',
      createdBy: 'ops@sync-host',
      configFingerprint: 'c'.repeat(64),
      directoryFingerprint: 'd'.repeat(64),
      stateLocation: '/srv/sync/sync.state.db',
      maxAgeMs: 86_400_000,
    },
    exclusions: {
      identityTypes: ['adobeID'],
      adobeGroups: ['_org_admin'],
      users: ['.*@partner\\.example\\.org'],
    },
    entries,
    adobeOnlyUsers: [],
    safety: { held: 2, reasons: ['2 destructive changes exceed max_deletions 1'] },
    problems: [{ email: 'hal@fed.example.com', message: `line 9: Federated ID with no country ${HOSTILE}` }],
    stats: {
      directoryUsers: 4 + extra,
      mergedRows: 0,
      matchedByAnchor: 1,
      adobeUsersRead: 6,
      adobeUsersExcluded: 1,
      matched: 3,
      unchanged: 1,
      adobeOnly: 3,
    },
    digest: 'ab12'.repeat(16),
  };
}
