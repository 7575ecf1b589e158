import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';
import { cliBin, ensureCliBuilt, outputOf, type RunResult } from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * Every kind of file `umapi` writes that holds personal data or authority is owner-only (0600) whatever the
 * umask: the built binary runs under umask 022 and 000 and the modes are read from the disk, SQLite's -wal and
 * -shm files while the apply that uses them waits for the server.
 */

let emulator: Emulator;
let proxy: RecordingProxy;
let root: string;
let env: Record<string, string>;

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8).padStart(3, '0');

/** The journals in `folder` with SQLite's -wal and -shm beside them. */
const journalFiles = (folder: string): string[] =>
  readdirSync(folder)
    .filter((name) => /\.journal\.db(-wal|-shm)?$/.test(name))
    .map((name) => join(folder, name));

/** `umapi ARGS --no-pacing` under `umask`, set by the shell that execs node (as an admin's login shell would). */
function umapiUnder(umask: string, cwd: string, args: string[]): Promise<RunResult> {
  const child = spawn(
    'sh',
    ['-c', `umask ${umask}; exec "$@"`, 'sh', process.execPath, cliBin, ...args, '--no-pacing'],
    {
      cwd,
      // The org lock goes to the test's folder (made by the CLI), never the machine's /run/lock/umapi-kit.
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: cwd,
        NO_COLOR: '1',
        UMAPI_LOCK_DIR: join(cwd, 'locks'),
        ...env,
      },
      stdio: 'pipe',
    },
  );
  return outputOf(child);
}

/**
 * Runs `args` and, when its first action request reaches the proxy, the modes of the `files` there are then
 * (missing: `-`).
 */
async function modesWhileApplying(
  umask: string,
  cwd: string,
  args: string[],
  files: () => string[],
): Promise<{ result: RunResult; modes: Record<string, string> }> {
  let modes: Record<string, string> | undefined;
  proxy.hooks = {
    beforeForward: (request) => {
      if (isAction(request) && modes === undefined)
        modes = Object.fromEntries(files().map((file) => [file, existsSync(file) ? modeOf(file) : '-']));
      return 'forward';
    },
  };
  try {
    const result = await umapiUnder(umask, cwd, args);
    expect(modes, result.stderr).toBeDefined();
    return { result, modes: modes ?? {} };
  } finally {
    proxy.hooks = {};
  }
}

async function syncFolder(folder: string, hires: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const rows = [
    'email,firstname,lastname,country,groups,type,username,domain',
    ...Array.from(
      { length: hires },
      (_, i) => `hire.${String(i)}@fed.example.com,Hire,Number ${String(i)},US,design,federatedID,,`,
    ),
  ];
  await writeFile(join(folder, 'users.csv'), `${rows.join('\n')}\n`);
  const yaml = demoSyncYaml({ maxAdobeOnlyUsers: 100 }).replace(
    'adobe_only_user_action: remove',
    'adobe_only_user_action: [write-file, adobe-only.csv]',
  );
  expect(yaml).toContain('write-file');
  await writeFile(join(folder, 'sync.yml'), yaml);
}

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', seedUsers: 5, limits: 'off' });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  env = demoOrgEnv(emulator, { umapi: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`, ims: proxy.url });
  root = await mkdtemp(join(tmpdir(), 'umapi-file-modes-'));
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

describe.each(['022', '000'])('under umask %s', (umask) => {
  it('plans, Adobe-only user lists, journals and state stores (with -wal and -shm) are 0600', async () => {
    emulator.reset();
    const dir = join(root, `umask-${umask}`);
    await syncFolder(dir, 12);

    // sync plan --out: the plan, the Adobe-only user list, the state store.
    const planned = await umapiUnder(umask, dir, [
      'sync',
      'plan',
      '--sync-config',
      'sync.yml',
      '--out',
      'plan.json',
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const list = join(dir, 'adobe-only.csv');
    const state = join(dir, 'sync.state.db');
    expect({ plan: modeOf(join(dir, 'plan.json')), list: modeOf(list), state: modeOf(state) }).toEqual({
      plan: '600',
      list: '600',
      state: '600',
    });

    // sync apply: the journal and the state store, each with its -wal and -shm, while the apply is running.
    const journal = join(dir, 'plan.json.journal.db');
    const sqliteFiles = [journal, `${journal}-wal`, `${journal}-shm`, state, `${state}-wal`, `${state}-shm`];
    const locks = join(dir, 'locks');
    const lockFiles = (): string[] =>
      existsSync(locks) ? readdirSync(locks).map((name) => join(locks, name)) : [];
    const applied = await modesWhileApplying(umask, dir, ['sync', 'apply', 'plan.json', '--yes'], () => [
      ...sqliteFiles,
      locks,
      ...lockFiles(),
    ]);
    expect(applied.result.code, applied.result.stderr).toBe(0);
    const { [locks]: lockFolder, ...files } = applied.modes;
    expect(lockFolder).toBe('700');
    // The journal and state store files, and the org lock with its owner note, all while the apply holds it.
    expect(Object.keys(files).filter((file) => file.startsWith(locks)).length).toBeGreaterThan(0);
    expect(files).toEqual(Object.fromEntries(Object.keys(files).map((file) => [file, '600'])));
    expect(Object.keys(files)).toEqual(expect.arrayContaining(sqliteFiles));
    expect(modeOf(journal)).toBe('600');

    // sync run: the plan it saves beside the config, and its journal.
    const runDir = join(dir, 'run');
    await syncFolder(runDir, 16);
    const runState = join(runDir, 'sync.state.db');
    const run = await modesWhileApplying(
      umask,
      runDir,
      ['sync', 'run', '--sync-config', 'sync.yml', '--yes'],
      () => [...journalFiles(runDir), runState, `${runState}-wal`, `${runState}-shm`],
    );
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(Object.keys(run.modes)).toHaveLength(6);
    expect(Object.values(run.modes)).toEqual(Array<string>(6).fill('600'));
    const saved = (await readdir(runDir)).filter((name) =>
      /^sync\.run-.*\.(plan\.json|journal\.db)$/.test(name),
    );
    expect(saved).toHaveLength(2);
    expect(saved.map((name) => [name, modeOf(join(runDir, name))])).toEqual(
      saved.map((name) => [name, '600']),
    );

    // users import: its journal, with -wal and -shm while the import runs.
    await writeFile(
      join(dir, 'import.csv'),
      'action,email,firstname,lastname,country,type\ncreate,imported.1@fed.example.com,Im,Ported,US,federatedID\n',
    );
    const imported = await modesWhileApplying(umask, dir, ['users', 'import', 'import.csv', '--yes'], () =>
      journalFiles(dir).filter((file) => file.includes('import.csv.import-')),
    );
    expect(imported.result.code, imported.result.stderr).toBe(0);
    expect(Object.keys(imported.modes)).toHaveLength(3);
    expect(Object.values(imported.modes)).toEqual(['600', '600', '600']);
    const importJournals = (await readdir(dir)).filter((name) =>
      /^import\.csv\.import-.*\.journal\.db$/.test(name),
    );
    expect(importJournals).toHaveLength(1);
    expect(modeOf(join(dir, importJournals[0] ?? ''))).toBe('600');
  }, 120_000);
});
