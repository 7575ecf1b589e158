import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { CliEnvironment } from '@umapi-kit/cli';
import { LockWorker } from '../../../sync/test/support/lock-worker-process.js';

/**
 * `umapi users import` in process with the real client against the emulator's demo org: interrupted by its
 * AbortSignal mid-way, it prints the command that finishes it; that command sends only what was not done (a
 * finished create sent again would fail: on_conflict is `error`), and a journal of other rows is refused.
 */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
});
afterAll(async () => {
  await emulator.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-import-resume-'));
});

const umapi = (args: string[], overrides: Partial<CliEnvironment> = {}): Promise<Run> =>
  umapiInFolder(emulator, dir, args, { overrides });

const url = (input: Parameters<typeof fetch>[0]): string =>
  input instanceof Request ? input.url : input.toString();

/** The `requestID`s of each action request that reached the emulator, with whether its answer came back. */
interface Sent {
  ids: string[];
  answered: boolean;
}

/**
 * A fetch that records action requests. With `stopAt`, the `n`-th action request is applied by the emulator but
 * its answer never arrives: the user presses Ctrl-C while it is in flight.
 */
function recordingFetch(sent: Sent[], stopAt?: { n: number; controller: AbortController }): typeof fetch {
  return async (input, init) => {
    const isAction = init?.method === 'POST' && url(input).includes('/action/');
    const record: Sent = { ids: [], answered: false };
    if (isAction) {
      record.ids = (JSON.parse(init.body as string) as { requestID?: string }[]).map(
        (command) => command.requestID ?? '?',
      );
      sent.push(record);
    }
    const response = await emulator.fetch(input, init);
    if (isAction && stopAt !== undefined && sent.length === stopAt.n) {
      stopAt.controller.abort();
      throw new DOMException('This operation was aborted', 'AbortError');
    }
    record.answered = isAction;
    return response;
  };
}

const HIRES = 35;

async function importFile(): Promise<void> {
  const rows = [
    'action,type,user,domain,email,firstname,lastname,country,groups,delete_account',
    'remove,,fay.sso@fed.example.com,,,,,,,no',
    'update,,ben.designer@example.com,,,,Designer-Lead,,Developers,',
    ...Array.from(
      { length: HIRES },
      (_, i) =>
        `create,federated,hire.${String(i)}@fed.example.com,,,Hire,N${String(i)},US,${i % 2 === 0 ? 'Designers' : '"Developers,Marketing"'},`,
    ),
  ];
  await writeFile(join(dir, 'hires.csv'), `${rows.join('\n')}\n`);
}

describe('an interrupted users import', () => {
  it('prints the exact command that finishes it; that command repeats and fails nothing', async () => {
    await importFile();
    const controller = new AbortController();
    const first: Sent[] = [];
    // Removal and update answered; the first batch of creates applied, its answer lost to Ctrl-C.
    const run = await umapi(['users', 'import', 'hires.csv', '--yes'], {
      fetch: recordingFetch(first, { n: 3, controller }),
      signal: controller.signal,
    });
    expect(run.code, run.stderr).toBe(130);
    expect(run.stderr).toMatch(
      /journal hires\.csv\.import-[0-9a-f]{12}\.journal\.db; if this stops, finish with/,
    );
    const command = /to finish, run: (umapi users import .+ --resume)/.exec(run.stderr)?.[1];
    expect(command, run.stderr).toBe('umapi users import hires.csv --yes --resume');
    const journals = (await readdir(dir)).filter((name) => name.endsWith('.journal.db'));
    expect(journals).toHaveLength(1);
    expect((await stat(join(dir, journals[0]!))).mode & 0o777).toBe(0o600);
    const answered = new Set(first.filter((item) => item.answered).flatMap((item) => item.ids));
    expect(first.map((item) => [item.ids.length, item.answered])).toEqual([
      [1, true],
      [1, true],
      [10, false],
    ]);

    const second: Sent[] = [];
    const resumed = await umapi([...(command ?? '').split(' ').slice(1), '--json'], {
      fetch: recordingFetch(second),
    });
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout) as {
      counts: Record<string, number>;
      rows: { line: number; state: string }[];
    };
    expect(report.counts).toMatchObject({ total: HIRES + 2, succeeded: HIRES + 2, failed: 0, ambiguous: 0 });
    const resent = second.flatMap((item) => item.ids);
    expect(resent.filter((id) => answered.has(id))).toEqual([]);
    // The creates whose answer was lost are read back (found as created), not sent again.
    const lost = new Set(first[2]?.ids);
    expect(resent.filter((id) => lost.has(id))).toEqual([]);
    expect(report.counts['reconciledThisRun']).toBe(10);
    // Every row reached the server, and each row at most once per run.
    const all = new Set([...first, ...second].flatMap((item) => item.ids));
    expect(all.size).toBe(HIRES + 2);
    expect(new Set(resent).size).toBe(resent.length);

    const users = emulator.snapshot().users;
    const hires = users.filter((user) => user.email.startsWith('hire.'));
    expect(hires).toHaveLength(HIRES);
    expect(hires.find((user) => user.email === 'hire.1@fed.example.com')?.groups).toEqual([
      'Developers',
      'Marketing',
    ]);
    expect(users.find((user) => user.email === 'ben.designer@example.com')?.lastname).toBe('Designer-Lead');
    expect(users.some((user) => user.email === 'fay.sso@fed.example.com')).toBe(false);

    // Done: the same command again sends nothing; without --resume the journal is not reused silently.
    const third: Sent[] = [];
    const again = await umapi([...(command ?? '').split(' ').slice(1)], { fetch: recordingFetch(third) });
    expect(again.code, again.stderr).toBe(0);
    expect(third).toEqual([]);
    const fresh = await umapi(['users', 'import', 'hires.csv', '--yes']);
    expect(fresh.code).toBe(2);
    expect(fresh.stderr).toContain(
      'already exists: hires.csv was imported before, or the import was interrupted',
    );
    expect(fresh.stderr).toContain('run: umapi users import hires.csv --yes --resume');
  });

  it('refuses a journal written for other rows, and sends nothing', async () => {
    await importFile();
    const done = await umapi(['users', 'import', 'hires.csv', '--yes', '--journal', 'shared.db']);
    expect(done.code, done.stderr).toBe(0);
    await writeFile(
      join(dir, 'other.csv'),
      'type,user,firstname,lastname,country\nfederated,x@fed.example.com,X,Y,US\n',
    );
    const sent: Sent[] = [];
    const run = await umapi(['users', 'import', 'other.csv', '--journal', 'shared.db', '--resume'], {
      fetch: recordingFetch(sent),
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'journal ' + join(dir, 'shared.db') + ' was written for other rows than other.csv holds now',
    );
    expect(run.stderr).toContain('give --journal a new file name');
    expect(sent).toEqual([]);
    expect(emulator.snapshot().users.some((user) => user.email === 'x@fed.example.com')).toBe(false);
  });

  it('a journal locked by an import on another host is refused until --force-unlock', async () => {
    await importFile();
    const done = await umapi(['users', 'import', 'hires.csv', '--yes', '--journal', 'locked.db']);
    expect(done.code, done.stderr).toBe(0);
    const db = new Database(join(dir, 'locked.db'));
    db.prepare('INSERT INTO lock (one, pid, host, acquired_at) VALUES (1, 4242, ?, 0)').run('other-host');
    db.close();
    const args = ['users', 'import', 'hires.csv', '--yes', '--journal', 'locked.db', '--resume'];
    const refused = await umapi(args);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is locked by pid 4242 on other-host');
    const forced = await umapi([...args, '--force-unlock']);
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('an apply holding the org lock makes the import refuse (exit 2), sending nothing', async () => {
    await importFile();
    const orgId = emulator.demo?.orgId ?? '';
    const apply = await LockWorker.start(join(dir, 'locks'), orgId);
    try {
      apply.send('try');
      expect(await apply.next()).toBe('got');
      const before = emulator.snapshot().users.length;
      const refused = await umapi(['users', 'import', 'hires.csv', '--yes']);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(new RegExp(`pid ${String(apply.pid)}`));
      expect(emulator.snapshot().users.length).toBe(before);
      apply.send('release');
      expect(await apply.next()).toBe('released');
      const imported = await umapi(['users', 'import', 'hires.csv', '--yes', '--resume']);
      expect(imported.code, imported.stderr).toBe(0);
    } finally {
      await apply.stop();
    }
  });
});
