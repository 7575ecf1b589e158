import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan, defaultRules, isComplete, plan, type Plan } from '../src/index.js';
import { OrgLock, orgLockPath } from '../src/state/locks.js';
import { FakeClient } from './support/fake-client.js';

const dir = mkdtempSync(join(tmpdir(), 'sync-org-lock-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});
const locks = join(dir, 'locks');
const ORG = 'ABC123@AdobeOrg';

function makePlan(): Plan {
  return plan(
    [{ email: 'new@example.com', firstname: 'N', lastname: 'L', groups: [], country: 'US' }],
    [],
    defaultRules({ groups: [] }),
  );
}
const fake = (p: Plan): FakeClient => new FakeClient([], new Map(p.entries.map((e) => [e.id, e])));

describe('org lock', () => {
  it('refuses a second apply on the same org while the first runs, before writing any journal', async () => {
    const first = OrgLock.acquire(locks, ORG, '/runs/first.journal.db', {
      pid: 4242,
      host: 'other-host',
    });
    const p = makePlan();
    const client = fake(p);
    const journalPath = join(dir, 'second.journal.db');
    await expect(
      applyPlan(p, client, { journalPath, orgLock: { directory: locks, orgId: ORG } }),
    ).rejects.toThrow(
      /org ABC123@AdobeOrg is being synced by pid 4242 on other-host \(journal \/runs\/first\.journal\.db/,
    );
    expect(client.sent).toEqual([]);
    expect(existsSync(journalPath)).toBe(false);

    // Another org is not blocked; the first lock is untouched by the refused run.
    const other = await applyPlan(p, fake(p), {
      journalPath: join(dir, 'other-org.db'),
      orgLock: { directory: locks, orgId: 'DEF456@AdobeOrg' },
    });
    expect(isComplete(other)).toBe(true);
    expect(existsSync(orgLockPath(locks, ORG))).toBe(true);

    first.release();
    expect(existsSync(orgLockPath(locks, ORG))).toBe(false);
    const report = await applyPlan(p, client, { journalPath, orgLock: { directory: locks, orgId: ORG } });
    expect(report.counts.succeeded).toBe(1);
    // Released at the end of the run.
    expect(existsSync(orgLockPath(locks, ORG))).toBe(false);
  });

  it('takes over a lock whose process is gone on this host; --force-unlock clears one from another host', async () => {
    OrgLock.acquire(locks, ORG, '/runs/crashed.db', { pid: 999_999_999, host: hostname() });
    const p = makePlan();
    const report = await applyPlan(p, fake(p), {
      journalPath: join(dir, 'takeover.db'),
      orgLock: { directory: locks, orgId: ORG },
      lock: { isProcessAlive: (pid) => pid !== 999_999_999 },
    });
    expect(isComplete(report)).toBe(true);

    OrgLock.acquire(locks, ORG, '/runs/remote.db', { pid: 1, host: 'far-away' });
    const options = { journalPath: join(dir, 'forced.db'), orgLock: { directory: locks, orgId: ORG } };
    await expect(applyPlan(p, fake(p), options)).rejects.toThrow(/far-away/);
    const forced = await applyPlan(p, fake(p), { ...options, forceUnlock: true });
    expect(isComplete(forced)).toBe(true);
    expect(existsSync(orgLockPath(locks, ORG))).toBe(false);
  });

  it('is released when the journal cannot be opened', async () => {
    const p = makePlan();
    const journalPath = join(dir, 'missing-folder', 'journal.db');
    await expect(
      applyPlan(p, fake(p), { journalPath, orgLock: { directory: locks, orgId: ORG } }),
    ).rejects.toThrow();
    expect(existsSync(orgLockPath(locks, ORG))).toBe(false);
  });
});
