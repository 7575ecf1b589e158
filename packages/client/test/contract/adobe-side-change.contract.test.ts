import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { UmapiClient } from '@umapi-kit/client';
import { membershipRefusal, UserAction } from '@umapi-kit/client';
import { FakeClock } from '../support/fake-clock.js';

/** The client against the emulator's model of what Adobe changed in 2024–2026. */
describe('client against the changed service', () => {
  let emulator: Emulator;
  let client: UmapiClient;

  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, limits: 'off', pageSizeGroups: 7 });
    client = demoOrgClient(emulator, { clock: new FakeClock(), pacing: false });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('lists contract admin groups and read-only groups over several pages, and no phantom', async () => {
    const groups = await client.groups.list().toArray({ all: true });
    expect(groups.length).toBeGreaterThan(14);
    expect(groups.find((g) => g.type === 'CONTRACT_ADMIN_GROUP')).toMatchObject({
      contractName: 'ETLA - C0FFEE5A9DB8F0345B01',
    });
    const refused = groups.filter((g) => membershipRefusal(g) !== undefined).map((g) => g.groupName);
    expect(refused).toEqual(['_org_admin', 'Shared From Partner']);
    expect(groups.some((g) => g.groupName.endsWith('provisioning'))).toBe(false);
    for (const user of await client.users.list().toArray({ all: true }))
      expect(user).not.toHaveProperty('tags');
  });

  it('a refused write is a failed outcome with its code, never an exception', async () => {
    emulator.setDirectoryManager('fed.example.com', 'google');
    const result = await client.execute([
      new UserAction('cleo.dev@example.com').addToGroups(['Shared From Partner']),
      new UserAction('fay.sso@fed.example.com').update({ lastname: 'Changed' }),
      new UserAction('cleo.dev@example.com').addToGroups(['Designers']),
    ]);
    expect(result.totals).toMatchObject({ succeeded: 1, failed: 2 });
    expect(result.outcomes.map((o) => o.errorCode)).toEqual([
      'error.usergroup.readonly.add_user_not_allowed',
      'error.internal.update_failed',
      undefined,
    ]);
    expect(result.outcomes[1]?.message).toMatch(/^Resource is externally managed/);
  });
});
