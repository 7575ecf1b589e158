import { mkdtemp, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planToJson } from '@umapi-kit/sync';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder } from '../support/umapi-in-folder.js';
import { reviewPlan } from '../report/plan-fixture.js';

/** `umapi sync report FILE --html OUT` for files made earlier: a plan, a run report, and what it refuses. */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-report-'));
  await writeFile(join(dir, 'plan.json'), planToJson(reviewPlan()));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

const umapi = (args: string[]) => umapiInFolder(emulator, dir, args);

describe('sync report', () => {
  it('writes a plan page owner-only and says where', async () => {
    const run = await umapi(['sync', 'report', 'plan.json', '--html', 'plan.html', '--output', 'table']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/wrote the plan of 6 entries to plan\.html \(\d+ KiB\)/);
    expect((await stat(join(dir, 'plan.html'))).mode & 0o777).toBe(0o600);
    const html = await readFile(join(dir, 'plan.html'), 'utf8');
    expect(html).toContain('<h1>Sync plan for DEMO0RG@AdobeOrg: 6 entries</h1>');
    expect(html).toContain(join(dir, 'plan.json'));
  });

  it('reads a run report (sync apply --json) with its plan', async () => {
    await writeFile(
      join(dir, 'run.json'),
      JSON.stringify({
        kind: 'sync-run-report',
        entries: [
          {
            id: 'c1',
            kind: 'create',
            user: 'ada@example.com',
            state: 'failed',
            errorCode: 'error.x',
            message: 'nope',
            reconciled: false,
            attempts: 1,
          },
        ],
        counts: { total: 1, sentThisRun: 1, reconciledThisRun: 0 },
        readBack: { accounts: 0, requests: 0, listed: false },
        journalPath: '/srv/j.db',
        startedAt: 'a',
        finishedAt: 'b',
        durationMs: 5,
        requests: 1,
        retries: 0,
        throttled: 0,
        totalRetryDelayMs: 0,
        testOnly: false,
      }),
    );
    const run = await umapi(['sync', 'report', 'run.json', '--plan', 'plan.json', '--html', 'run.html']);
    expect(run.code, run.stderr).toBe(0);
    const html = await readFile(join(dir, 'run.html'), 'utf8');
    expect(html).toContain('<td>error.x: nope</td>');
    expect(html).toContain('firstname: &lt;img');
  });

  it('needs --html', async () => {
    const run = await umapi(['sync', 'report', 'plan.json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('sync report needs --html <file>');
  });

  it('names a file that is neither a plan, a run report nor a journal', async () => {
    await writeFile(join(dir, 'other.json'), '{"format":"something-else"}');
    const run = await umapi(['sync', 'report', 'other.json', '--html', 'x.html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(dir, 'other.json')}: not a sync plan`);
    expect(run.stderr).toContain('sync report reads a plan, a run report (JSON) or a journal');
    const db = new Database(join(dir, 'foreign.db'));
    db.exec('CREATE TABLE t (x)');
    db.close();
    const foreign = await umapi(['sync', 'report', 'foreign.db', '--html', 'x.html']);
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain('foreign.db');
  });

  it('refuses to write through a symbolic link', async () => {
    await writeFile(join(dir, 'target.txt'), 'keep');
    await symlink(join(dir, 'target.txt'), join(dir, 'link.html'));
    const run = await umapi(['sync', 'report', 'plan.json', '--html', 'link.html']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('it is a symbolic link');
    await expect(readFile(join(dir, 'target.txt'), 'utf8')).resolves.toBe('keep');
  });
});
