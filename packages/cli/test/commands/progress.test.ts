import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Action, ExecuteOptions, ExecuteResult } from '@umapi-kit/client';
import { runCli } from '@umapi-kit/cli';
import { FakeClient, MemorySink, testEnvironment } from '../support/fake-environment.js';

class ProgressClient extends FakeClient {
  override async execute(actions: readonly Action[], options?: ExecuteOptions): Promise<ExecuteResult> {
    options?.onProgress?.({ done: 1, succeeded: 1, failed: 0, total: actions.length });
    return super.execute(actions, options);
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'umapi-progress-'));
  await writeFile(
    join(dir, 'rows.csv'),
    'action,user,groups\nupdate,a@example.com,G\nupdate,b@example.com,G\n',
  );
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('progress on stderr', () => {
  it('is shown for an import when stderr is a terminal', async () => {
    const env = testEnvironment(new ProgressClient(), { cwd: dir, stderr: new MemorySink(true) });
    expect(await runCli(['users', 'import', 'rows.csv'], env)).toBe(0);
    expect(env.stderr.text).toContain('applying');
    expect(env.stdout.text).not.toContain('applying');
  });

  it.each([['--json'], ['--quiet'], ['--no-progress']])('is off with %s', async (flag) => {
    const env = testEnvironment(new ProgressClient(), { cwd: dir, stderr: new MemorySink(true) });
    expect(await runCli(['users', 'import', 'rows.csv', flag], env)).toBe(0);
    expect(env.stderr.text).not.toContain('applying');
  });

  it('is off without a terminal', async () => {
    const env = testEnvironment(new ProgressClient(), { cwd: dir });
    expect(await runCli(['users', 'import', 'rows.csv'], env)).toBe(0);
    expect(env.stderr.text).not.toContain('applying');
  });
});
