import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import {
  execute,
  getUser,
  GroupAction,
  listGroups,
  listUsers,
  oauthServerToServer,
  UmapiClient,
  UserAction,
} from '@umapi-kit/client';
import { FakeClock } from '../support/fake-clock.js';

/** The real client (auth, transport, retries) against the emulator in process; retry waits are virtual. */
describe('actions and queries against the emulator', () => {
  let emulator: Emulator;
  let client: UmapiClient;

  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, seedUsers: 35, pageSizeUsers: 10, limits: 'off' });
    const demo = emulator.demo!;
    client = new UmapiClient({
      orgId: demo.orgId,
      credentials: oauthServerToServer({
        clientId: demo.clientId,
        clientSecret: demo.clientSecret,
        imsUrl: emulator.imsUrl,
        fetch: emulator.fetch,
      }),
      endpoint: emulator.umapiUrl,
      fetch: emulator.fetch,
      clock: new FakeClock(),
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('lists every user across pages exactly once, and every group', async () => {
    const users = await listUsers(client, { concurrency: 3 }).toArray({ all: true });
    const emails = users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    expect(emails.length).toBeGreaterThan(35);
    expect(emails).toContain('ada.admin@example.com');
    const groups = await listGroups(client).toArray({ all: true });
    expect(groups.map((g) => g.groupName)).toContain('Designers');
  });

  it('creates a group and users, adds memberships, and reads them back', async () => {
    const fedDomain = emulator.demo!.federatedDomain;
    const result = await execute(client, [
      new GroupAction('Contract Team').create({ description: 'made by a contract test' }),
      new UserAction(`new.person@${fedDomain}`)
        .createFederatedId({ firstname: 'New', lastname: 'Person', country: 'US' })
        .addToGroups(['Contract Team']),
      new UserAction('no.such.person@example.com').addToGroups(['No Such Group']),
    ]);
    expect(result.outcomes.map((o) => o.status)).toEqual(['succeeded', 'succeeded', 'failed']);
    expect(result.outcomes[2]?.step).toBe(0);
    const created = await getUser(client, `new.person@${fedDomain}`);
    expect(created).toMatchObject({ type: 'federatedID', firstname: 'New' });
    expect(created?.groups).toContain('Contract Team');
    const members = await listUsers(client, { group: 'Contract Team' }).toArray({ all: true });
    expect(members.map((u) => u.email)).toEqual([`new.person@${fedDomain}`]);
    expect(await getUser(client, 'nobody.here@example.com')).toBeNull();
  });

  it('changes nothing in test mode', async () => {
    const before = emulator.snapshot();
    const result = await execute(client, [new GroupAction('Only A Test').create()], { testOnly: true });
    expect(result.outcomes[0]?.status).toBe('succeededInTestMode');
    expect(emulator.snapshot()).toEqual(before);
  });

  it('reconciles a delete whose answer was lost after the server applied it', async () => {
    await execute(client, [new GroupAction('Short Lived').create()], { throwOnError: true });
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const result = await execute(client, [new GroupAction('Short Lived').delete()]);
    expect(result.outcomes[0], JSON.stringify(result)).toMatchObject({
      status: 'succeeded',
      reconciled: true,
    });
    expect(result.totals.retries).toBeGreaterThanOrEqual(1);
    const groups = await listGroups(client).toArray({ all: true });
    expect(groups.map((g) => g.groupName)).not.toContain('Short Lived');
  });

  it('maps an error in the 11th group of a 25-group add back to its action and step', async () => {
    const names = Array.from({ length: 25 }, (_, i) => `Team ${i + 1}`);
    await execute(
      client,
      names.filter((n) => n !== 'Team 11').map((n) => new GroupAction(n).create()),
      { throwOnError: true },
    );
    const users = Array.from({ length: 12 }, (_, i) =>
      new UserAction(`bulk${i}@example.com`).createEnterpriseId({ firstname: 'B', lastname: `N${i}` }),
    );
    const withGroups = new UserAction('ada.admin@example.com').addToGroups(['Designers']).addToGroups(names);
    const result = await execute(client, [...users, withGroups]);
    expect(result.totals).toMatchObject({ actions: 13, succeeded: 12, failed: 1 });
    expect(result.outcomes[12]).toMatchObject({ index: 12, status: 'failed', step: 1, action: withGroups });
    expect(result.outcomes[12]?.message).toContain('Team 11');
  });

  it('re-fetches a short page and still returns every user', async () => {
    const expected = (await listUsers(client).toArray({ all: true })).length;
    emulator.setFaults({ rules: [{ endpoint: 'userRead', fault: 'short-page', on: [2] }] });
    const users = await listUsers(client, { concurrency: 1 }).toArray({ all: true });
    expect(users).toHaveLength(expected);
    expect(emulator.requestLog().filter((e) => e.fault === 'short-page')).toHaveLength(1);
  });
});
