import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { ensureCliBuilt } from '../support/cli-binary.js';
import { runInPty } from '../support/pty-run.js';

let emulator: Emulator;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  await ensureCliBuilt();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-pty-'));
  env = { ...demoOrgEnv(emulator), UMAPI_LOCK_DIR: join(dir, 'locks'), NO_COLOR: '1' };
}, 120_000);

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * What the terminal shows at the end: the bytes played on a screen that knows what umapi sends (text, CR, LF,
 * "clear line", and cursor save/restore, which an earlier progress bar used to go back over printed lines).
 */
function screenOf(bytes: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let column = 0;
  let saved = { row: 0, column: 0 };
  // eslint-disable-next-line no-control-regex -- terminal control sequences are the point
  const tokens = bytes.match(/\u001b\[[0-9;?]*[A-Za-z]|\u001b[78]|\r|\n|[^\u001b\r\n]/gu) ?? [];
  for (const token of tokens) {
    if (token === '\r') column = 0;
    else if (token === '\n') {
      row++;
      lines[row] ??= '';
    } else if (token === '\u001b7') saved = { row, column };
    else if (token === '\u001b8') ({ row, column } = saved);
    else if (token === '\u001b[2K') lines[row] = '';
    else if (token === '\u001b[0K' || token === '\u001b[K') lines[row] = (lines[row] ?? '').slice(0, column);
    else if (token === '\u001b[1G') column = 0;
    else if (!token.startsWith('\u001b')) {
      const text = (lines[row] ?? '').padEnd(column, ' ');
      lines[row] = text.slice(0, column) + token + text.slice(column + 1);
      column++;
    }
  }
  return lines.filter((line, index) => line !== '' || index < lines.length - 1);
}

/** The screen without escape sequences and carriage returns: the lines as they read. */
const plain = (screen: string): string =>
  // eslint-disable-next-line no-control-regex -- removing terminal control sequences is the point
  screen.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '');

describe('at a prompt, in a real terminal', () => {
  const remove = ['users', 'remove', 'ada.admin@example.com', '--output', 'table', '--no-pacing'];

  it('"n" cancels: said plainly, exit 1, nothing sent', async () => {
    const before = emulator.requestLog().length;
    const run = await runInPty(remove, { cwd: dir, env, steps: [{ when: '[y/N]', keys: 'n\r' }] });
    expect(plain(run.screen)).toMatch(/Continue\? \[y\/N\] n\nerror: cancelled: nothing was sent\n$/);
    expect(run.code).toBe(1);
    const actions = emulator
      .requestLog()
      .slice(before)
      .filter((entry) => entry.path.includes('/action/'));
    expect(actions).toEqual([]);
  });

  it('Ctrl-C cancels on a line of its own: "cancelled", exit 130, no stack or "unexpected error"', async () => {
    const run = await runInPty(remove, { cwd: dir, env, steps: [{ when: '[y/N]', keys: '\u0003' }] });
    expect(plain(run.screen)).toMatch(/Continue\? \[y\/N\] \nerror: cancelled: nothing was sent\n$/);
    expect(run.screen).not.toContain('unexpected error');
    expect(run.code).toBe(130);
  });
});

describe('Ctrl-C during a progress display, in a real terminal', () => {
  it('clears the bar once, prints the summary after it, over no earlier line, with the count the bar showed', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `tty${String(i)}@example.com,adobe`);
    await writeFile(join(dir, 'many.csv'), `user,type\n${rows.join('\n')}\n`);
    const run = await runInPty(['users', 'import', 'many.csv', '--output', 'table'], {
      cwd: dir,
      env,
      // Paced (10 requests a minute), so the bar is still there when Ctrl-C comes.
      steps: [{ when: '/400 (', keys: '\u0003' }],
    });
    expect(run.code).toBe(130);
    const screen = screenOf(run.screen);
    expect(screen.some((line) => line.includes('applying ['))).toBe(false);
    expect(screen[0]).toBe('many.csv: 400 valid rows');
    expect(screen[1]).toMatch(
      /^journal .*; if this stops, finish with: umapi users import many.csv --resume$/,
    );
    expect(screen[2]).toMatch(/^interrupting \(SIGINT\): finishing or abandoning the request in flight/);
    expect(screen[3]).toMatch(/^error: interrupted: \d+ of 400 rows finished/);
    expect(screen[4]).toMatch(/^ {2}hint: to finish, run: umapi users import many.csv --resume/);
    expect(screen).toHaveLength(5);
    const bars = [...run.screen.matchAll(/applying \[[█░]+\] (\d+)\/400/g)].map((match) => Number(match[1]));
    expect(bars.length).toBeGreaterThan(0);
    expect(screen[3]).toContain(`${String(bars.at(-1))} of 400 rows finished`);
    expect(run.screen).not.toMatch(/\d+m60s/);
  }, 60_000);
});
