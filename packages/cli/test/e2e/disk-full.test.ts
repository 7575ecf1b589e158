import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { PlanEntry } from '@umapi-kit/sync';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';
import { ensureCliBuilt, runBinary, type RunResult } from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * `umapi sync apply` with its journal on a disk that says no: a read-only one, one full at start, and one that
 * fills up while the apply runs. Each ends with one line naming the journal and the cause, no stack trace, exit 2
 * when nothing was sent and 1 mid-run, and nothing reaching the server that the journal had not recorded first.
 * After the disk is enlarged, `--resume` ends at the org an uninterrupted apply gives, with nothing lost and
 * nothing sent again that the journal had recorded as done. The disks are small tmpfs mounts the test makes and
 * removes (it runs as root); where mounting is impossible the tests are skipped and say why.
 */

/** Whether this process can mount a tmpfs (root, in a system that allows it), and why not. */
function mountCheck(): { ok: true } | { ok: false; why: string } {
  if (process.platform !== 'linux') return { ok: false, why: `not Linux (${process.platform})` };
  if (process.getuid?.() !== 0) return { ok: false, why: 'not running as root: cannot mount a tmpfs' };
  const probe = mkdtempSync(join(tmpdir(), 'umapi-disk-probe-'));
  try {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], {
      encoding: 'utf8',
    });
    if (mounted.status !== 0) {
      return {
        ok: false,
        why: `mount -t tmpfs failed: ${(mounted.stderr || mounted.error?.message) ?? ''}`.trim(),
      };
    }
    spawnSync('umount', [probe]);
    return { ok: true };
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

const canMount = mountCheck();
const skipNote = canMount.ok ? '' : ` (skipped: ${canMount.why})`;
if (!canMount.ok) console.warn(`disk-full tests skipped: ${canMount.why}`);

/** Mounts a tmpfs of `size` at a new folder, runs `body`, and always unmounts it. */
async function onTmpfs<T>(size: string, body: (mountPoint: string) => Promise<T>): Promise<T> {
  const mountPoint = await mkdtemp(join(tmpdir(), 'umapi-disk-'));
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', mountPoint], {
    encoding: 'utf8',
  });
  if (mounted.status !== 0) throw new Error(`mount tmpfs at ${mountPoint}: ${mounted.stderr}`);
  try {
    return await body(mountPoint);
  } finally {
    const unmounted = spawnSync('umount', [mountPoint], { encoding: 'utf8' });
    if (unmounted.status !== 0) spawnSync('umount', ['-l', mountPoint]);
    await rm(mountPoint, { recursive: true, force: true });
  }
}

/** Writes `path` until the file system has no room left. */
function fillDisk(path: string): void {
  const chunk = Buffer.alloc(4096, 0x55);
  const fd = openSync(path, 'a');
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

/** Runs the CLI while the disk fills up as its `nth` action request goes to the server. */
async function cliFillingDiskAt(nth: number, filler: string, args: string[]): Promise<RunResult> {
  let actions = 0;
  proxy.hooks = {
    beforeForward: (request) => {
      if (isAction(request) && ++actions === nth) fillDisk(filler);
      return 'forward';
    },
  };
  try {
    return await cli(args);
  } finally {
    proxy.hooks = {};
  }
}

let emulator: Emulator;
let proxy: RecordingProxy;
let dir: string;
let env: Record<string, string>;
let planEntryIds: string[];
/** The org after an uninterrupted apply of the plan, ids left out. */
let expected: unknown;

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');

function orgState(): unknown {
  const snapshot = emulator.snapshot();
  const users = snapshot.users.map((user) =>
    Object.fromEntries(Object.entries(user).filter(([key]) => key !== 'id')),
  );
  return { users, groups: snapshot.groups };
}

/** The plan entry ids (`requestID`s) of the action commands forwarded since `from`, once per time sent. */
function sentIds(from: number): string[] {
  return proxy.forwarded
    .slice(from)
    .filter(isAction)
    .flatMap((request) =>
      (JSON.parse(request.body) as { requestID?: string }[]).map((c) => c.requestID ?? ''),
    );
}

/** The journal's state of each entry, read after the disk has room again. */
function journalStates(path: string): Map<string, string> {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, state FROM entries').all() as { id: string; state: string }[];
    return new Map(rows.map((row) => [row.id, row.state]));
  } finally {
    db.close();
  }
}

const cli = (args: string[]): Promise<RunResult> => runBinary([...args, '--no-pacing'], { cwd: dir, env });

/** What a person sees: the error line and hints, and no stack trace. */
function expectOneClearError(result: RunResult, message: string): void {
  expect(result.stderr).toContain(`error: ${message}`);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr).not.toContain('SqliteError');
  expect(result.stderr).not.toContain('unexpected error');
}

beforeAll(async () => {
  if (!canMount.ok) return;
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', seedUsers: 30, limits: 'off' });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  dir = await mkdtemp(join(tmpdir(), 'umapi-disk-full-'));
  env = demoOrgEnv(emulator, { umapi: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`, ims: proxy.url });
  const generated = emulator.snapshot().users.filter((user) => /^user\d+@/.test(user.email));
  const rows = [
    'email,firstname,lastname,country,groups,type,username,domain',
    ...generated
      .slice(0, 26)
      .map(
        (user, i) =>
          `${user.email},${user.firstname ?? 'First'},Renamed ${String(i)},${user.country ?? 'US'},` +
          `${i % 2 === 0 ? 'design' : 'dev'},${user.type},,`,
      ),
    ...Array.from(
      { length: 40 },
      (_, i) => `hire.${String(i)}@fed.example.com,Hire,Number ${String(i)},US,design,federatedID,,`,
    ),
  ];
  await writeFile(join(dir, 'users.csv'), `${rows.join('\n')}\n`);
  await writeFile(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 10, updateAttributes: ['firstname', 'lastname'] }),
  );
  const planned = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', 'plan.json', '--json']);
  expect(planned.code, planned.stderr).toBe(0);
  const plan = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as { entries: PlanEntry[] };
  planEntryIds = plan.entries.map((entry) => entry.id).sort();
  expect(planEntryIds.length).toBeGreaterThanOrEqual(60);
  // The reference: one uninterrupted apply on a disk with room.
  await mkdir(join(dir, 'reference'));
  const reference = await cli([
    'sync',
    'apply',
    'plan.json',
    '--journal',
    'reference/j.db',
    '--yes',
    '--json',
  ]);
  expect(reference.code, reference.stderr).toBe(0);
  expected = orgState();
}, 120_000);

afterAll(async () => {
  if (!canMount.ok) return;
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('umapi sync apply when the disk says no', () => {
  it.skipIf(!canMount.ok)(
    `a read-only journal folder: exit 2, the journal and the cause named, nothing sent (and a plan --out there)${skipNote}`,
    async () => {
      emulator.reset();
      await onTmpfs('1m', async (disk) => {
        expect(spawnSync('mount', ['-o', 'remount,ro', disk]).status).toBe(0);
        const journal = join(disk, 'plan.json.journal.db');
        const from = proxy.forwarded.length;
        const result = await cli(['sync', 'apply', 'plan.json', '--journal', journal, '--yes', '--json']);
        expectOneClearError(result, `cannot create the journal ${journal}: the file system is read-only`);
        expect(result.code).toBe(2);
        expect(sentIds(from)).toEqual([]);
        // The plan itself, written there: the same kind of line.
        const out = join(disk, 'plan.json');
        const planned = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--out', out, '--json']);
        expectOneClearError(planned, `cannot write ${out}: the file system is read-only`);
        expect(planned.code).toBe(2);
      });
    },
    60_000,
  );

  it.skipIf(!canMount.ok)(
    `a disk full at start: exit 2, nothing sent, and the same command works once there is room${skipNote}`,
    async () => {
      emulator.reset();
      await onTmpfs('4m', async (disk) => {
        const journal = join(disk, 'plan.json.journal.db');
        const filler = join(disk, 'filler');
        fillDisk(filler);
        const from = proxy.forwarded.length;
        const args = ['sync', 'apply', 'plan.json', '--journal', journal, '--yes', '--json'];
        const full = await cli(args);
        expectOneClearError(full, `cannot create the journal ${journal}: the disk is full`);
        expect(full.code).toBe(2);
        expect(sentIds(from)).toEqual([]);
        // Room again: the very same command (no --resume: nothing was started) applies the whole plan.
        rmSync(filler);
        const again = await cli(args);
        expect(again.stderr).toBe('');
        expect(again.code).toBe(0);
        expect(orgState()).toEqual(expected);
        expect(sentIds(from).sort()).toEqual(planEntryIds);
      });
    },
    60_000,
  );

  it.skipIf(!canMount.ok)(
    `a disk that fills mid-apply: exit 1, nothing sent unrecorded; --resume after enlarging finishes it${skipNote}`,
    async () => {
      emulator.reset();
      await onTmpfs('2m', async (disk) => {
        const journal = join(disk, 'plan.json.journal.db');
        const filler = join(disk, 'filler');
        const args = ['sync', 'apply', 'plan.json', '--journal', journal, '--yes', '--json'];
        const from = proxy.forwarded.length;
        // The disk fills up while the third action request is on its way: later journal writes find no room.
        const failed = await cliFillingDiskAt(3, filler, args);
        expectOneClearError(failed, `cannot write the journal ${journal}: the disk is full`);
        expect(failed.stderr).toContain(
          `finish with: umapi sync apply plan.json --journal ${journal} --resume`,
        );
        expect(failed.code).toBe(1);
        const firstRun = sentIds(from);
        expect(firstRun.length).toBeGreaterThan(0);
        expect(firstRun.length).toBeLessThan(planEntryIds.length);

        // Enlarged (the filler goes): every entry that reached the server was recorded before it left.
        rmSync(filler);
        const states = journalStates(journal);
        expect(states.size).toBe(planEntryIds.length);
        for (const id of firstRun) expect([id, states.get(id)]).not.toEqual([id, 'pending']);
        const recordedDone = [...states].filter(([, state]) => state === 'succeeded').map(([id]) => id);

        const resumeFrom = proxy.forwarded.length;
        const resumed = await cli([...args, '--resume']);
        expect(resumed.stderr).toBe('');
        expect(resumed.code).toBe(0);
        const report = JSON.parse(resumed.stdout) as { counts: Record<string, number> };
        expect(report.counts).toMatchObject({ total: planEntryIds.length, succeeded: planEntryIds.length });
        expect(orgState()).toEqual(expected);
        // Nothing lost: every entry reached the server. Nothing repeated that the journal knew was done; only the
        // entries recorded `sent` whose answer could not be recorded are sent again (they are idempotent).
        const resumedIds = sentIds(resumeFrom);
        expect(new Set([...firstRun, ...resumedIds])).toEqual(new Set(planEntryIds));
        expect(resumedIds.filter((id) => recordedDone.includes(id))).toEqual([]);
        expect(new Set(resumedIds).size).toBe(resumedIds.length);
      });
    },
    90_000,
  );

  it.skipIf(!canMount.ok)(
    `a state store whose disk fills mid-apply: exit 1, the state store named; --resume finishes${skipNote}`,
    async () => {
      emulator.reset();
      await onTmpfs('2m', async (disk) => {
        // The plan is signed with the key in its state store: the same store, moved onto the small disk.
        const state = join(disk, 'sync.state.db');
        copyFileSync(join(dir, 'sync.state.db'), state);
        await mkdir(join(dir, 'state-case'), { recursive: true });
        const journal = join(dir, 'state-case', `j-${String(Date.now())}.db`);
        const filler = join(disk, 'filler');
        const args = [
          'sync',
          'apply',
          'plan.json',
          '--journal',
          journal,
          '--state',
          state,
          '--yes',
          '--json',
        ];
        const failed = await cliFillingDiskAt(2, filler, args);
        expectOneClearError(failed, `cannot write the state store ${state}: the disk is full`);
        expect(failed.stderr).toContain('--resume');
        expect(failed.code).toBe(1);
        rmSync(filler);
        const resumed = await cli([...args, '--resume']);
        expect(resumed.stderr).toBe('');
        expect(resumed.code).toBe(0);
        expect(orgState()).toEqual(expected);
      });
    },
    90_000,
  );

  it.skipIf(!canMount.ok)(
    `users import whose journal disk fills mid-run: exit 1, the journal named; --resume imports the rest${skipNote}`,
    async () => {
      emulator.reset();
      const file = `import-${String(Date.now())}.csv`;
      const emails = Array.from({ length: 30 }, (_, i) => `imported.${String(i)}@fed.example.com`);
      await writeFile(
        join(dir, file),
        `action,email,firstname,lastname,country,type\n${emails.map((email) => `create,${email},Im,Ported,US,federatedID`).join('\n')}\n`,
      );
      await onTmpfs('2m', async (disk) => {
        const journal = join(disk, 'import.journal.db');
        const filler = join(disk, 'filler');
        const args = ['users', 'import', file, '--journal', journal, '--yes', '--json'];
        const from = proxy.forwarded.length;
        const failed = await cliFillingDiskAt(2, filler, args);
        expectOneClearError(failed, `cannot write the journal ${journal}: the disk is full`);
        expect(failed.stderr).toContain(
          `finish with: umapi users import ${file} --journal ${journal} --resume`,
        );
        expect(failed.code).toBe(1);
        rmSync(filler);
        const states = journalStates(journal);
        for (const id of sentIds(from)) expect([id, states.get(id)]).not.toEqual([id, 'pending']);
        const recordedDone = [...states].filter(([, state]) => state === 'succeeded').map(([id]) => id);
        const resumeFrom = proxy.forwarded.length;
        const resumed = await cli([...args, '--resume']);
        expect(resumed.code, resumed.stderr).toBe(0);
        const present = new Set(emulator.snapshot().users.map((user) => user.email));
        expect(emails.filter((email) => !present.has(email))).toEqual([]);
        expect(sentIds(resumeFrom).filter((id) => recordedDone.includes(id))).toEqual([]);
      });
    },
    90_000,
  );
});
