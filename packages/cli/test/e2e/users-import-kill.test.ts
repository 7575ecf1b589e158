import { readdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { ensureCliBuilt, runBinary, startBinary, type RunResult } from '../support/cli-binary.js';
import { startRecordingProxy, type ProxiedRequest, type RecordingProxy } from '../support/recording-proxy.js';

/**
 * `umapi users import` killed for real: the built binary runs against the emulator through a recording proxy
 * and is killed (SIGKILL, or a plain `kill`, SIGTERM) at its n-th action request; the command it printed before
 * sending anything (or, after SIGTERM, on its way out) finishes the import. The org must end as after an
 * uninterrupted import, and every row must have reached the server exactly once: creates fail on an existing
 * account (on_conflict error), so a create whose answer the kill lost is read back, never sent again.
 */

let emulator: Emulator;
let proxy: RecordingProxy;
let dir: string;
let env: Record<string, string>;
/** The org after one uninterrupted import, ids left out. */
let expected: unknown;
const ROWS = 42;

const isAction = (request: ProxiedRequest): boolean =>
  request.method === 'POST' && request.path.includes('/action/');

function orgState(): unknown {
  const users = emulator
    .snapshot()
    .users.map((user) => Object.fromEntries(Object.entries(user).filter(([key]) => key !== 'id')));
  return { users };
}

/** How many times each `requestID` (= `line-N`) reached the server since `from`. */
function commandsByRow(from: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const request of proxy.forwarded.slice(from).filter(isAction)) {
    for (const command of JSON.parse(request.body) as { requestID?: string }[]) {
      const id = command.requestID ?? '(none)';
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

const cli = (args: string[]): Promise<RunResult> => runBinary([...args, '--no-pacing'], { cwd: dir, env });

/**
 * Runs `args` and kills the process at its `nth` action request: `lost` drops the request with the process
 * (the server never sees it), `applied` lets the server apply it once the process is dead (the answer is lost).
 */
async function runKilled(
  args: string[],
  kill: { nth: number; how: 'lost' | 'applied'; signal: 'SIGKILL' | 'SIGTERM' },
): Promise<RunResult> {
  let actions = 0;
  let fired = false;
  const started = startBinary([...args, '--no-pacing'], { cwd: dir, env });
  proxy.hooks = {
    beforeForward: async (request) => {
      if (!isAction(request) || ++actions !== kill.nth) return 'forward';
      fired = true;
      started.child.kill(kill.signal);
      await started.finished;
      return kill.how === 'lost' ? 'drop' : 'forward';
    },
  };
  const result = await started.finished;
  await proxy.idle();
  proxy.hooks = {};
  expect(fired, `the kill point was reached (${result.stderr})`).toBe(true);
  return result;
}

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  proxy = await startRecordingProxy(new URL(emulator.umapiUrl).origin);
  dir = await mkdtemp(join(tmpdir(), 'umapi-import-kill-'));
  const demo = emulator.demo!;
  env = {
    UMAPI_ORG_ID: demo.orgId,
    UMAPI_CLIENT_ID: demo.clientId,
    UMAPI_CLIENT_SECRET: demo.clientSecret,
    UMAPI_URL: `${proxy.url}${new URL(emulator.umapiUrl).pathname}`,
    UMAPI_IMS_URL: proxy.url,
  };
  const rows = [
    'action,type,user,firstname,lastname,country,groups',
    'update,,ben.designer@example.com,,Designer-Lead,,Developers',
    'update,,cleo.dev@example.com,,,,Marketing',
    ...Array.from(
      { length: ROWS - 2 },
      (_, i) =>
        `create,federated,hire.${String(i)}@fed.example.com,Hire,N${String(i)},US,${i % 2 === 0 ? 'Designers' : '"Developers,Marketing"'}`,
    ),
  ];
  await writeFile(join(dir, 'hires.csv'), `${rows.join('\n')}\n`);
  const reference = await cli(['users', 'import', 'hires.csv', '--journal', 'reference.db', '--json']);
  expect(reference.code, reference.stderr).toBe(0);
  expected = orgState();
}, 60_000);

afterAll(async () => {
  await proxy.close();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('umapi users import killed and resumed', () => {
  it.each([
    {
      name: 'SIGKILL, the third request applied and its answer lost',
      nth: 3,
      how: 'applied',
      signal: 'SIGKILL',
    },
    { name: 'SIGKILL, the fourth request lost', nth: 4, how: 'lost', signal: 'SIGKILL' },
    { name: 'SIGTERM with the second request in flight', nth: 2, how: 'applied', signal: 'SIGTERM' },
  ] as const)(
    '$name: the printed command finishes it, every row applied exactly once',
    async (kill) => {
      emulator.reset();
      for (const name of await readdir(dir))
        if (name.startsWith('hires.csv.import-')) await rm(join(dir, name), { force: true });
      const from = proxy.forwarded.length;
      const first = await runKilled(['users', 'import', 'hires.csv'], kill);
      // Said before the first request: all a SIGKILL leaves of the run.
      const command = /finish with: (umapi users import .+ --resume)$/m.exec(first.stderr)?.[1];
      expect(command, first.stderr).toBe('umapi users import hires.csv --resume');
      if (kill.signal === 'SIGKILL') {
        expect(first.signal).toBe('SIGKILL');
      } else {
        expect(first.code).toBe(130);
        expect(first.stderr).toContain('to finish, run: umapi users import hires.csv --resume');
      }
      const resumed = await cli([...(command ?? '').split(' ').slice(1), '--json']);
      expect(resumed.code, resumed.stderr).toBe(0);
      const report = JSON.parse(resumed.stdout) as { counts: Record<string, number> };
      expect(report.counts).toMatchObject({ total: ROWS, succeeded: ROWS, failed: 0 });
      expect(orgState()).toEqual(expected);
      const counts = commandsByRow(from);
      expect(counts.size).toBe(ROWS);
      expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
    },
    30_000,
  );
});
