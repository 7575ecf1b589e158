import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { UmapiClient } from '@umapi-kit/client';
import { GroupAction, UserAction } from '@umapi-kit/client';
import { FakeClock } from '../support/fake-clock.js';

/** The real client (auth, transport, retries) against the emulator in process; retry waits are virtual. */
describe('actions and queries against the emulator', () => {
  let emulator: Emulator;
  let client: UmapiClient;

  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, seedUsers: 35, pageSizeUsers: 10, limits: 'off' });
    client = demoOrgClient(emulator, {
      clock: new FakeClock(),
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('lists every user across pages exactly once, and every group', async () => {
    const users = await client.users.list({ concurrency: 3 }).toArray({ all: true });
    const emails = users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length).toBeGreaterThan(35);
    expect(emails).toContain('ada.admin@example.com');
    const groups = await client.groups.list().toArray({ all: true });
    expect(groups.map((g) => g.groupName)).toContain('Designers');
  });

  it('creates a group and users, adds memberships, and reads them back', async () => {
    const fedDomain = emulator.demo!.federatedDomain;
    const result = await client.execute([
      new GroupAction('Contract Team').create({ description: 'made by a contract test' }),
      new UserAction(`new.person@${fedDomain}`)
        .createFederatedId({ firstname: 'New', lastname: 'Person', country: 'US' })
        .addToGroups(['Contract Team']),
      new UserAction('no.such.person@example.com').addToGroups(['No Such Group']),
    ]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(result.outcomes[2]?.step).toBe(0);
    const created = await client.users.get(`new.person@${fedDomain}`);
    expect(created).toMatchObject({ type: 'federatedID', firstname: 'New' });
    expect(created?.groups).toContain('Contract Team');
    const members = await client.users.list({ group: 'Contract Team' }).toArray({ all: true });
    expect(members.map((u) => u.email)).toEqual([`new.person@${fedDomain}`]);
    expect(await client.users.get('nobody.here@example.com')).toBeNull();
  });

  it('changes nothing in test mode', async () => {
    const before = emulator.snapshot();
    const result = await client.execute([new GroupAction('Only A Test').create()], { testOnly: true });
    expect(result.outcomes[0]?.status).toBe('succeededInTestMode');
    expect(emulator.snapshot()).toEqual(before);
  });

  it('reconciles a delete whose answer was lost after the server applied it', async () => {
    await client.execute([new GroupAction('Short Lived').create()], { throwOnError: true });
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const result = await client.execute([new GroupAction('Short Lived').delete()]);
    expect(result.outcomes[0], JSON.stringify(result)).toMatchObject({
      status: 'succeeded',
      reconciled: true,
    });
    // Read back (the group is gone), not sent again.
    expect(result.totals).toMatchObject({ readBacks: 1, resent: 0 });
    expect(emulator.requestLog().filter((e) => e.endpointClass === 'action')).toHaveLength(2);
    const groups = await client.groups.list().toArray({ all: true });
    expect(groups.map((g) => g.groupName)).not.toContain('Short Lived');
  });

  it('maps an error in the 11th group of a 25-group add back to its action and step', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `Team ${i + 1}`);
    await client.execute(
      names.filter((n) => n !== 'Team 11').map((n) => new GroupAction(n).create()),
      { throwOnError: true },
    );
    const users = Array.from({ length: 12 }, (_, i) =>
      new UserAction(`bulk${i}@example.com`).createEnterpriseId({ firstname: 'B', lastname: `N${i}` }),
    );
    const withGroups = new UserAction('ada.admin@example.com').addToGroups(['Designers']).addToGroups(names);
    const result = await client.execute([...users, withGroups]);
    expect(result.totals).toMatchObject({ actions: 13, succeeded: 12, failed: 1 });
    expect(result.outcomes[12]).toMatchObject({ index: 12, status: 'failed', step: 1, action: withGroups });
    expect(result.outcomes[12]?.message).toContain('Team 11');
  });

  it('re-fetches a short page and still returns every user', async () => {
    const expected = (await client.users.list().toArray({ all: true })).length;
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'short-page', on: [2] }] });
    const users = await client.users.list({ concurrency: 1 }).toArray({ all: true });
    expect(users).toHaveLength(expected);
    expect(emulator.requestLog().filter((e) => e.fault === 'short-page')).toHaveLength(1);
  });
});
