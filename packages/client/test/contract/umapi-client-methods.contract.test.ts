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

  it('executes 105 creates as eleven requests: ten at once, the eleventh a window later; then lists and gets them', async () => {
    const actions = Array.from({ length: 105 }, (_, i) =>
      new UserAction(`paced.${i}@example.com`).createEnterpriseId({
        firstname: 'Paced',
        lastname: `User ${i}`,
        country: 'US',
      }),
    );
    const started = clock.now();
    const result = await client.execute(actions, { concurrency: 1 });
    expect(result.totals).toMatchObject({
      actions: 105,
      succeeded: 105,
      failed: 0,
      requests: 11,
      throttled: 0,
    });
    // Default pacing = documented 10 actions a minute: an empty window takes ten requests at once; the eleventh
    // goes one window (60 s plus the 250 ms margin) after the first, and the emulator accepts it (no 429).
    expect(clock.now() - started).toBe(60_250);

    const emails = new Set<string>();
    for await (const user of client.users.list()) emails.add(user.email);
    for (let i = 0; i < 105; i += 1) expect(emails.has(`paced.${i}@example.com`)).toBe(true);
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
