import { spawn } from 'node:child_process';
import { cliBin } from './cli-binary.js';

export interface PtyRun {
  /** Everything the terminal received (stdout and stderr share the pty), escape sequences included. */
  screen: string;
  code: number | null;
}

export interface PtyStep {
  /** Send `keys` once the screen contains this text. */
  when: string;
  keys: string;
}

/** Single-quotes a word for `sh -c`. */
const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the built `umapi` in a real pseudo-terminal (util-linux `script`), typing `steps` as their text appears,
 * and returns the bytes the terminal got. stdin, stdout and stderr are all the terminal, as for an admin.
 */
export function runInPty(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; steps?: readonly PtyStep[]; columns?: number },
): Promise<PtyRun> {
  const command = [
    `stty cols ${String(options.columns ?? 100)} rows 40 2>/dev/null;`,
    'exec',
    quote(process.execPath),
    quote(cliBin),
    ...args.map(quote),
  ].join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: options.cwd,
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: options.cwd,
      TERM: 'xterm',
      UMAPI_FULL_READ_INTERVAL: '0',
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const pending = [...(options.steps ?? [])];
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString('utf8');
    const next = pending[0];
    if (next !== undefined && screen.includes(next.when)) {
      pending.shift();
      child.stdin.write(next.keys);
    }
  });
  return new Promise((done, fail) => {
    child.on('error', fail);
    child.on('close', (code) => {
      child.stdin.destroy();
      done({ screen, code });
    });
  });
}
