import { execFile } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { FileWriteError, writeFileWhole } from '../../src/output/write-file-whole.js';

const dir = await mkdtemp(join(tmpdir(), 'cli-write-whole-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
const moduleUrl = new URL('../../src/output/write-file-whole.ts', import.meta.url).href;

describe('writeFileWhole', () => {
  it('replaces the file in one step and leaves no temporary file', async () => {
    const path = join(dir, 'plan.json');
    await writeFile(path, 'old');
    await writeFileWhole(path, '{"new":true}');
    expect(await readFile(path, 'utf8')).toBe('{"new":true}');
    expect(await readdir(dir)).toEqual(['plan.json']);
  });

  it('refuses a folder as the destination, naming it, and removes the temporary file', async () => {
    const folder = join(dir, 'target-is-a-folder');
    await mkdir(folder);
    await expect(writeFileWhole(folder, 'text')).rejects.toThrow(
      `cannot write ${folder}: it is a folder, not a file`,
    );
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a group- and world-readable file with an owner-only one', async () => {
    const path = join(dir, 'was-readable.json');
    await writeFile(path, 'old', { mode: 0o666 });
    await writeFileWhole(path, 'new');
    expect((await modeOf(path)).toString(8)).toBe('600');
  });

  it.each(['022', '000', '277'])('under umask %s the new file is 0600', async (umask) => {
    const path = join(dir, `umask-${umask}.json`);
    // A child process: the umask is process-wide, and vitest runs files side by side.
    const script =
      `process.umask(0o${umask}); const { writeFileWhole } = await import(${JSON.stringify(moduleUrl)}); ` +
      `await writeFileWhole(${JSON.stringify(path)}, 'x');`;
    await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('../../../..', import.meta.url)),
    });
    expect((await modeOf(path)).toString(8)).toBe('600');
  });

  it('refuses a destination that is a symbolic link and leaves its target alone', async () => {
    const victim = join(dir, 'victim.txt');
    await writeFile(victim, 'precious');
    const link = join(dir, 'linked-plan.json');
    await symlink(victim, link);
    const failure = writeFileWhole(link, 'plan');
    await expect(failure).rejects.toBeInstanceOf(FileWriteError);
    await expect(failure).rejects.toThrow(
      `cannot write ${link}: it is a symbolic link; refusing to write through it`,
    );
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('does not write through links planted at the temporary names an earlier version used', async () => {
    const victim = join(dir, 'victim-of-temp.txt');
    await writeFile(victim, 'precious');
    const path = join(dir, 'out.json');
    for (const pid of [process.pid, process.pid + 1]) {
      await symlink(victim, join(dir, `.out.json.${String(pid)}.tmp`));
    }
    await writeFileWhole(path, 'plan');
    expect(await readFile(victim, 'utf8')).toBe('precious');
    expect(await readFile(path, 'utf8')).toBe('plan');
    expect((await lstat(path)).isFile()).toBe(true);
  });

  it('gives every write its own temporary file: five at once in one process all succeed', async () => {
    const folder = await mkdtemp(join(dir, 'names-'));
    const path = join(folder, 'a.json');
    // With a temporary name made of the process id, these shared one file and all but one rename failed.
    await Promise.all(Array.from({ length: 5 }, (_, i) => writeFileWhole(path, String(i))));
    expect(await readdir(folder)).toEqual(['a.json']);
    expect(['0', '1', '2', '3', '4']).toContain(await readFile(path, 'utf8'));
  });

  it('says why when the folder does not exist', async () => {
    const path = join(dir, 'no-such-folder', 'plan.json');
    await expect(writeFileWhole(path, 'x')).rejects.toThrow(`cannot write ${path}: no such file`);
  });
});
