import { join } from 'node:path';
import type { Emulator } from '@umapi-kit/emulator';
import { runCli, type CliEnvironment } from '@umapi-kit/cli';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { MemorySink } from './fake-environment.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface InFolderOptions {
  /** Replace parts of the environment (the `env` given is added to the demo org's). */
  overrides?: Partial<CliEnvironment>;
  env?: Record<string, string>;
  /** Which of stdout and stderr are terminals. */
  terminal?: { stdout?: boolean; stderr?: boolean };
}

/**
 * `umapi ARGS --no-pacing` in process, against the emulator's demo org, working in `dir` (also its home and,
 * under `state-home`, its XDG state folder, so locks and state stay in the test's folder).
 */
export async function umapiInFolder(
  emulator: Emulator,
  dir: string,
  args: readonly string[],
  options: InFolderOptions = {},
): Promise<Run> {
  const stdout = new MemorySink(options.terminal?.stdout === true);
  const stderr = new MemorySink(options.terminal?.stderr === true);
  const code = await runCli([...args, '--no-pacing'], {
    stdout,
    stderr,
    cwd: dir,
    homeDir: dir,
    fetch: emulator.fetch,
    ...options.overrides,
    env: {
      ...demoOrgEnv(emulator),
      XDG_STATE_HOME: join(dir, 'state-home'),
      UMAPI_LOCK_DIR: join(dir, 'locks'),
      // Tests plan the same org many times a minute: the page-0 guard is off unless a test turns it on.
      UMAPI_FULL_READ_INTERVAL: '0',
      ...options.env,
    },
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
