import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { UmapiClient, UserAction } from '@umapi-kit/client';
import { FakeClock } from '../support/fake-clock.js';

/** The methods on UmapiClient itself (execute, users, groups) with its default pacer, on a virtual clock. */
describe('UmapiClient methods against the emulator', () => {
  let emulator: Emulator;
  let clock: FakeClock;
  let client: UmapiClient;

  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, pageSizeUsers: 4, limits: 'off' });
    clock = new FakeClock();
    client = demoOrgClient(emulator, {
      clock,
    });
  });

  afterEach(async () => {
    await emulator.close();
  });

  it('executes 25 creates as three requests paced 6.06 s apart, then lists and gets them', async () => {
    const actions = Array.from({ length: 25 }, (_, i) =>
      new UserAction(`paced.${i}@example.com`).createEnterpriseId({
        firstname: 'Paced',
        lastname: `User ${i}`,
        country: 'US',
      }),
    );
    const started = clock.now();
    const result = await client.execute(actions, { concurrency: 1 });
    expect(result.totals).toMatchObject({ actions: 25, succeeded: 25, failed: 0, requests: 3, throttled: 0 });
    // Default pacing = documented 10 actions a minute with a 1 % margin: request 2 and 3 wait 6060 ms each.
    expect(clock.now() - started).toBe(2 * 6060);

    const emails = new Set<string>();
    for await (const user of client.users.list()) emails.add(user.email);
    for (let i = 0; i < 25; i += 1) expect(emails.has(`paced.${i}@example.com`)).toBe(true);
    expect(await client.users.get('paced.7@example.com')).toMatchObject({ lastname: 'User 7' });
    expect(await client.users.get('nobody@example.com')).toBeNull();
    const groups = await client.groups.list().toArray({ limit: 1000 });
    expect(groups.map((g) => g.groupName)).toContain('Creative Cloud 1');
  });

  it('counts the test mode outcome from completedInTestMode without changing the org', async () => {
    const testClient = new UmapiClient({
      orgId: client.orgId,
      credentials: client.credentials,
      endpoint: emulator.umapiUrl,
      fetch: emulator.fetch,
      clock,
      testOnly: true,
    });
    const before = emulator.snapshot();
    const result = await testClient.execute([
      new UserAction('would.be@example.com').createEnterpriseId({
        firstname: 'W',
        lastname: 'B',
        country: 'US',
      }),
    ]);
    expect(result.testOnly).toBe(true);
    expect(result.outcomes[0]?.status).toBe('succeededInTestMode');
    expect(emulator.snapshot()).toEqual(before);
  });
});
