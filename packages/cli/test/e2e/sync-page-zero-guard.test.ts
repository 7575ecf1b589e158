import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { ensureCliBuilt, runBinary, startBinary, type RunResult } from '../support/cli-binary.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';

/**
 * The page-0 guard against the emulator's page-0 rule: a second full read of the org inside the interval is
 * refused before any request (exit 2, with when the last read was and when the next is allowed); overridden, the
 * emulator blocks every call of the org with 429 as Adobe does. At time scale 60 the rule's 7200 s interval
 * lasts 2 real minutes and its block (30 s here) half a second: an overridden run is blocked at every attempt.
 */

let emulator: Emulator;
let dir: string;
let env: Record<string, string>;
let orgId: string;

const cli = (args: string[], extra: Record<string, string> = {}): Promise<RunResult> =>
  runBinary(args, { cwd: dir, env: { ...env, ...extra } });

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({
    host: '127.0.0.1',
    port: 0,
    seed: 'demo',
    timeScale: 60,
    limits: { pageZero: { intervalSeconds: 7200, blockSeconds: 30 } },
  });
  orgId = emulator.demo?.orgId ?? '';
  dir = await mkdtemp(join(tmpdir(), 'umapi-page-zero-'));
  // An empty value is no value: the guard keeps its default (2 h).
  env = { ...demoOrgEnv(emulator), UMAPI_FULL_READ_INTERVAL: '' };
  await writeFile(
    join(dir, 'users.csv'),
    'email,firstname,lastname,country,groups,type\nben.designer@example.com,Ben,Designer,GB,dev,enterpriseID\n',
  );
  await writeFile(join(dir, 'sync.yml'), demoSyncYaml({ maxAdobeOnlyUsers: 50 }));
}, 60_000);

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `args` until the emulator has answered a page-0 read with 429 (the client would wait out its backoff,
 * half a minute, to fail the same way), then stops it.
 */
async function runUntilBlocked(args: string[]): Promise<RunResult> {
  const before = emulator.requestLog().length;
  const started = startBinary(args, { cwd: dir, env });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && started.child.exitCode === null) {
    if (
      emulator
        .requestLog()
        .slice(before)
        .some((entry) => entry.status === 429)
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  started.child.kill('SIGKILL');
  return started.finished;
}

const pageZeroReads = (): { path: string; status: number }[] =>
  emulator
    .requestLog()
    .filter(
      (entry) =>
        entry.path.endsWith(`/users/${encodeURIComponent(orgId)}/0`) ||
        entry.path.endsWith(`/groups/${encodeURIComponent(orgId)}/0`),
    )
    .map((entry) => ({ path: entry.path, status: entry.status }));

describe('the page-0 guard', () => {
  it('refuses a second full read inside the interval before any request, and says how to override it', async () => {
    const first = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
    expect(first.code).toBe(0);
    expect(pageZeroReads().map((read) => read.status)).toEqual([200, 200]);
    const requestsBefore = emulator.requestLog().length;

    const second = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--json']);
    expect(second.code).toBe(2);
    const match =
      /refusing to read all of org (\S+)'s groups again: the last full read started at (\S+) \(state store (\S+)\), and the next is allowed from (\S+)\n/.exec(
        second.stderr,
      );
    expect(match, second.stderr).not.toBeNull();
    expect(match?.[1]).toBe(orgId);
    expect(match?.[3]).toBe(join(dir, 'sync.state.db'));
    expect(Date.parse(match?.[4] ?? '') - Date.parse(match?.[2] ?? '')).toBe(2 * 60 * 60 * 1000);
    expect(second.stderr).toContain('add --allow-early-read');
    // Nothing at all was sent: not a token request, not a read.
    expect(emulator.requestLog().length).toBe(requestsBefore);

    // `sync run` reads the org too, and is refused the same way.
    const run = await cli(['sync', 'run', '--sync-config', 'sync.yml', '--dry-run', '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('refusing to read all of org');
    expect(emulator.requestLog().length).toBe(requestsBefore);
  });

  it('overridden, the read goes out and the emulator blocks all of the org, as Adobe does', async () => {
    const before = emulator.requestLog().length;
    const early = await runUntilBlocked(['sync', 'plan', '--sync-config', 'sync.yml', '--allow-early-read']);
    const reads = emulator
      .requestLog()
      .slice(before)
      .filter((entry) => entry.path.includes('/groups/') || entry.path.includes('/users/'));
    // Page 0 inside the interval blocked the org with 429 and a Retry-After (the interval runs from the last read
    // served, 2 real minutes here, so every retry of the client is blocked again).
    expect(reads[0]).toMatchObject({ status: 429 });
    expect(reads[0]?.path).toContain(`/groups/${encodeURIComponent(orgId)}/0`);
    // It was still waiting to retry when stopped: the block did not let it through.
    expect(early.signal).toBe('SIGKILL');
  });

  it('takes --full-read-interval (0 turns the guard off) and refuses a value that is not a duration', async () => {
    const bad = await cli(['sync', 'plan', '--sync-config', 'sync.yml', '--full-read-interval', 'soon']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--full-read-interval: expected a duration such as 2h or 90m (or 0: off), got 'soon'",
    );
    const badEnv = await cli(['sync', 'plan', '--sync-config', 'sync.yml'], {
      UMAPI_FULL_READ_INTERVAL: 'x',
    });
    expect(badEnv.code).toBe(2);
    expect(badEnv.stderr).toContain('$UMAPI_FULL_READ_INTERVAL: expected a duration');
    // Off: the read goes out (and the emulator, still inside its interval, blocks it).
    const before = pageZeroReads().length;
    const off = await runUntilBlocked([
      'sync',
      'plan',
      '--sync-config',
      'sync.yml',
      '--full-read-interval',
      '0',
    ]);
    expect(off.stderr).not.toContain('refusing to read');
    expect(pageZeroReads().length).toBeGreaterThan(before);
  });

  it('the SQLite store keeps the run history too: sync history lists the plans', async () => {
    const listed = await cli(['sync', 'history', '--sync-config', 'sync.yml', '--json']);
    expect(listed.code).toBe(0);
    const runs = JSON.parse(listed.stdout) as { kind: string; orgId: string; outcome: string }[];
    // The first plan; the blocked ones recorded no run (they failed), only their full reads.
    expect(runs.length).toBe(1);
    expect(
      runs.every((run) => run.kind === 'plan' && run.orgId === orgId && run.outcome === 'complete'),
    ).toBe(true);
    const none = await cli(['sync', 'history']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('sync history needs a state store');
  });
});
