import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlan, defaultRules, isComplete, plan, type Plan } from '../src/index.js';
import { OrgLock, orgLockDirectory, orgLockOwnerPath, orgLockPath } from '../src/state/locks.js';
import { LockWorker } from './support/lock-worker-process.js';
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
    expect(OrgLock.holder(locks, ORG)?.pid).toBe(4242);

    first.release();
    expect(existsSync(orgLockOwnerPath(locks, ORG))).toBe(false);
    const report = await applyPlan(p, client, { journalPath, orgLock: { directory: locks, orgId: ORG } });
    expect(report.counts.succeeded).toBe(1);
    // Released at the end of the run: a new lock is taken at once.
    expect(existsSync(orgLockOwnerPath(locks, ORG))).toBe(false);
    OrgLock.acquire(locks, ORG, '/runs/next.db').release();
  });

  it('is free again once its holder is killed (kill -9): nothing stale to take over, no --force-unlock', async () => {
    const crashed = await LockWorker.start(locks, ORG);
    crashed.send('try');
    expect(await crashed.next()).toBe('got');
    const p = makePlan();
    const options = { journalPath: join(dir, 'takeover.db'), orgLock: { directory: locks, orgId: ORG } };
    await expect(applyPlan(p, fake(p), options)).rejects.toThrow(
      new RegExp(`is being synced by pid ${String(crashed.pid)} on ${hostname()} \\(journal /journals/`),
    );
    await crashed.crash();
    // The dead holder's owner file is still there; the lock is not.
    expect(OrgLock.holder(locks, ORG)?.pid).toBe(crashed.pid);
    const report = await applyPlan(p, fake(p), options);
    expect(isComplete(report)).toBe(true);
    expect(existsSync(orgLockOwnerPath(locks, ORG))).toBe(false);
  });

  it('of 8 processes started at once on a stale lock, exactly one gets it, 20 times over', async () => {
    const race = join(dir, 'race');
    const crashed = await LockWorker.start(race, ORG);
    crashed.send('try');
    expect(await crashed.next()).toBe('got');
    await crashed.crash();
    const workers = await Promise.all(Array.from({ length: 8 }, () => LockWorker.start(race, ORG)));
    let deadPid = crashed.pid;
    const winnersPerTrial: number[] = [];
    try {
      for (let trial = 0; trial < 20; trial += 1) {
        // Stale: the lock file and an owner file naming a process killed while it held the lock.
        expect(OrgLock.holder(race, ORG)?.pid).toBe(deadPid);
        for (const worker of workers) worker.send('try');
        const answers = await Promise.all(workers.map((worker) => worker.next()));
        const winners = answers.flatMap((answer, i) => (answer === 'got' ? [i] : []));
        winnersPerTrial.push(winners.length);
        for (const answer of answers.filter((a) => a !== 'got'))
          expect(answer).toMatch(/^refused org ABC123@AdobeOrg is being synced by /);
        const winner = winners[0];
        if (winner === undefined) continue;
        // The winner dies holding the lock: the next trial starts from a stale lock again.
        const dead = workers[winner] as LockWorker;
        for (const other of winners.slice(1)) (workers[other] as LockWorker).send('release');
        await dead.crash();
        deadPid = dead.pid;
        workers[winner] = await LockWorker.start(race, ORG);
        for (const other of winners.slice(1)) await (workers[other] as LockWorker).next();
      }
    } finally {
      await Promise.all(workers.map((worker) => worker.stop()));
    }
    expect(winnersPerTrial).toEqual(Array.from({ length: 20 }, () => 1));
  });

  it('is an owner-only file (0600) in an owner-only folder (0700), whatever the umask', () => {
    const folder = join(dir, 'modes', 'locks');
    const umask = process.umask(0);
    let lock: OrgLock;
    try {
      lock = OrgLock.acquire(folder, ORG, '/runs/modes.db');
    } finally {
      process.umask(umask);
    }
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(orgLockPath(folder, ORG)).mode & 0o777).toBe(0o600);
    expect(statSync(orgLockOwnerPath(folder, ORG)).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder).sort()).toEqual(
      [basename(orgLockPath(folder, ORG)), basename(orgLockOwnerPath(folder, ORG))].sort(),
    );
    lock.release();
  });

  it('lives in one folder per machine: UMAPI_LOCK_DIR, else umapi-kit in the first writable system lock folder', () => {
    const system = join(dir, 'run-lock');
    mkdirSync(system, { recursive: true });
    const notAFolder = join(dir, 'not-a-folder');
    writeFileSync(notAFolder, '');
    expect(orgLockDirectory({ UMAPI_LOCK_DIR: '/srv/locks' }, [system])).toBe('/srv/locks');
    expect(orgLockDirectory({ UMAPI_LOCK_DIR: '' }, [join(dir, 'missing'), notAFolder, system])).toBe(
      join(system, 'umapi-kit'),
    );
    // XDG_STATE_HOME plays no part.
    expect(orgLockDirectory({ XDG_STATE_HOME: '/home/a/.state' }, [system])).toBe(
      orgLockDirectory({ XDG_STATE_HOME: '/home/b/.state' }, [system]),
    );
    expect(orgLockDirectory({}, [join(dir, 'missing')])).toBe(join(tmpdir(), 'umapi-kit-locks'));
    expect(orgLockDirectory({})).toMatch(/^\/(run|var)\/lock\/umapi-kit$|umapi-kit-locks$/);
  });

  it('is released when the journal cannot be opened', async () => {
    const p = makePlan();
    const journalPath = join(dir, 'missing-folder', 'journal.db');
    await expect(
      applyPlan(p, fake(p), { journalPath, orgLock: { directory: locks, orgId: ORG } }),
    ).rejects.toThrow();
    expect(existsSync(orgLockOwnerPath(locks, ORG))).toBe(false);
    OrgLock.acquire(locks, ORG, '/runs/next.db').release();
  });
});
