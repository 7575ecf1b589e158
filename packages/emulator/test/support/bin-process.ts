import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The bin's source, run through tsx (one process, so signals reach the emulator itself). */
export const BIN = fileURLToPath(new URL('../../src/bin.ts', import.meta.url));

export interface RunningBin {
  /** What the bin printed up to "Ready.". */
  output: string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `umapi-emulator ARGS` (under `umask`, set in the child's shell, when given) and waits for "Ready.". */
export async function startBin(
  args: readonly string[],
  options: { umask?: string } = {},
): Promise<RunningBin> {
  const command = [process.execPath, '--import', 'tsx', BIN, ...args];
  const child =
    options.umask === undefined
      ? spawn(command[0] ?? '', command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn('sh', ['-c', `umask ${options.umask}; exec "$@"`, 'sh', ...command], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      if (output.includes('Ready.')) resolve();
    });
    child.once('exit', () => {
      reject(new Error(`bin exited early:\n${output}`));
    });
  });
  return {
    output,
    stop: () => {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The value of a `Label:   value` line of the bin's output. */
export function field(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.startsWith(label));
  if (line === undefined) throw new Error(`no "${label}" line in:\n${output}`);
  return line.slice(line.indexOf(':') + 1).trim();
}
