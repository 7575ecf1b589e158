import { describe, expect, it } from 'vitest';
import { snapshotOrg } from '../../src/store/snapshot.js';
import { act, demoDb } from './helpers.js';

// The snapshot tells an account removed from the org (it lives on outside it) from a deleted one.

describe('departed accounts in the snapshot', () => {
  it('records removed-from-org and deleted, and Adobe IDs are never deleted', () => {
    const { db, demo } = demoDb();
    const body = act(db, demo.orgId, [
      { user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: {} }] },
      { user: 'ben.designer@example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
      { user: 'gus.freelancer@gmail.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
      { user: 'nobody@example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
    ]);
    expect(body.result).toBe('success');
    const snapshot = snapshotOrg(db, demo.orgId);
    expect(snapshot.departed.map(({ email, type, outcome }) => ({ email, type, outcome }))).toEqual([
      { email: 'ben.designer@example.com', type: 'enterpriseID', outcome: 'deleted' },
      { email: 'fay.sso@fed.example.com', type: 'federatedID', outcome: 'removed-from-org' },
      { email: 'gus.freelancer@gmail.com', type: 'adobeID', outcome: 'removed-from-org' },
    ]);
    const emails = snapshot.users.map((user) => user.email);
    for (const gone of ['fay.sso@fed.example.com', 'ben.designer@example.com', 'gus.freelancer@gmail.com']) {
      expect(emails).not.toContain(gone);
    }
  });

  it('a removed account later deleted turns deleted; one created again is no longer departed', () => {
    const { db, demo } = demoDb();
    act(db, demo.orgId, [
      { user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: {} }] },
      { user: 'cleo.dev@example.com', do: [{ removeFromOrg: {} }] },
    ]);
    act(db, demo.orgId, [
      { user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: { deleteAccount: true } }] },
    ]);
    const create = {
      user: 'cleo.dev@example.com',
      do: [{ createEnterpriseID: { email: 'cleo.dev@example.com', firstname: 'Cleo', lastname: 'Dev' } }],
    };
    expect(act(db, demo.orgId, [create]).result).toBe('success');
    const snapshot = snapshotOrg(db, demo.orgId);
    expect(snapshot.departed.map(({ email, outcome }) => ({ email, outcome }))).toEqual([
      { email: 'fay.sso@fed.example.com', outcome: 'deleted' },
    ]);
    expect(snapshot.users.find((user) => user.email === 'cleo.dev@example.com')?.groups).toEqual([]);
  });

  it('test mode records nothing', () => {
    const { db, demo } = demoDb();
    act(db, demo.orgId, [{ user: 'fay.sso@fed.example.com', do: [{ removeFromOrg: {} }] }], true);
    expect(snapshotOrg(db, demo.orgId).departed).toEqual([]);
  });
});
