import { demoOrgClient } from '../../../../test-support/emulator-org.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { UserAction, resolveLostAnswer, type OrgReader, type User } from '@umapi-kit/client';
import { FakeClock } from '../support/fake-clock.js';

/**
 * Lost answers against the emulator: the transport never sends an action again on its own, and reconciliation
 * reads back the account the entry targets and compares it with what the entry wanted.
 */
describe('a lost answer', () => {
  let emulator: Emulator;
  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, limits: 'off' });
  });
  afterEach(async () => {
    await emulator.close();
  });
  const actionLog = (): (string | number | undefined)[][] =>
    emulator
      .requestLog()
      .filter((e) => e.endpointClass === 'action')
      .map((e) => [e.status, e.fault]);
  const emailsOf = (): string[] => emulator.snapshot().users.map((u) => u.email);

  it('of a refused email change is read back on the target and fails name_in_use, not succeeded', async () => {
    const client = demoOrgClient(emulator, { clock: new FakeClock() });
    // One request with both: Cleo's group is applied, so the answer can be lost; Ben's move was refused.
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const result = await client.execute([
      new UserAction('ben.designer@example.com').update({ email: 'cleo.dev@example.com' }),
      new UserAction('cleo.dev@example.com').addToGroups(['TestGroup1']),
    ]);
    expect(result.outcomes[0]).toMatchObject({
      status: 'failed',
      errorCode: 'error.user.email.name_in_use',
      reconciled: true,
    });
    expect(result.outcomes[1]).toMatchObject({ status: 'succeeded' });
    expect(emailsOf()).toContain('ben.designer@example.com');
    // The lost request, then Ben's update sent again after the read-back and Cleo's (idempotent) add.
    expect(actionLog()).toEqual([
      [0, 'applied-then-lost'],
      [200, undefined],
    ]);
    expect(result.totals).toMatchObject({ readBacks: 1, resent: 2 });
  });

  it('of an email move that applied is found on the moved account and not sent again', async () => {
    const client = demoOrgClient(emulator, { clock: new FakeClock() });
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const result = await client.execute([
      new UserAction('ben.designer@example.com').update({ email: 'ben.moved@example.com' }),
    ]);
    // Nothing answers to the old address, and the new one may have belonged to someone else: not "succeeded".
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', delivery: 'maybe-applied' });
    expect(result.outcomes[0]?.message).toMatch(/cannot be told apart from another account/);
    expect(actionLog()).toEqual([[0, 'applied-then-lost']]);
    expect(emailsOf()).toContain('ben.moved@example.com');
  });

  it('is never sent again by the transport: with readBack caller, not even an idempotent entry', async () => {
    const client = demoOrgClient(emulator, { clock: new FakeClock() });
    emulator.setFaults({
      rules: [{ endpoint: 'action', fault: 'applied-then-lost', lostAs: '502', on: [1] }],
    });
    const result = await client.execute(
      [new UserAction('cleo.dev@example.com').addToGroups(['TestGroup1'])],
      {
        readBack: 'caller',
      },
    );
    expect(result.outcomes[0]).toMatchObject({ status: 'failed', delivery: 'maybe-applied' });
    expect(actionLog()).toEqual([[502, 'applied-then-lost']]);
    expect(result.totals).toMatchObject({ requests: 1, retries: 0, resent: 0 });
  });
});

describe('resolveLostAnswer on an email move', () => {
  const update = { user: 'ben@example.com', do: [{ update: { email: 'taken@example.com' } }] };
  const other: User = { email: 'taken@example.com', username: 'taken@example.com', type: 'enterpriseID' };
  const reader = (accounts: User[]): OrgReader => ({
    user: (address) =>
      Promise.resolve(accounts.find((u) => u.email.toLowerCase() === address.toLowerCase()) ?? null),
    groupExists: () => Promise.resolve(false),
  });

  it('does not take another account with the new email for the target', async () => {
    const resolution = await resolveLostAnswer(update, reader([other]));
    expect(resolution.kind).toBe('unknown');
  });

  it('compares the target, found under its address, with what the entry wanted', async () => {
    const ben: User = { email: 'ben@example.com', username: 'ben@example.com', type: 'enterpriseID' };
    expect(await resolveLostAnswer(update, reader([ben, other]))).toMatchObject({
      kind: 'resend',
      fromStep: 0,
      readBack: true,
    });
  });

  it('takes the account under the new email as the target when the caller knows the address was free', async () => {
    const moved: User = { ...other, firstname: 'Ben' };
    expect(await resolveLostAnswer(update, reader([moved]), undefined, { newAddressWasFree: true })).toEqual({
      kind: 'applied',
    });
  });

  it('reads idempotent entries back too when asked (exactly once), instead of sending them again', async () => {
    const add = { user: 'ben@example.com', do: [{ add: { group: ['Designers'] } }] };
    const ben: User = { email: 'ben@example.com', type: 'enterpriseID', groups: ['designers'] };
    expect(await resolveLostAnswer(add, reader([ben]))).toMatchObject({ kind: 'resend', readBack: false });
    expect(await resolveLostAnswer(add, reader([ben]), undefined, { readIdempotent: true })).toEqual({
      kind: 'applied',
    });
  });
});
