import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileWhole } from '../../src/output/write-file-whole.js';

const dir = await mkdtemp(join(tmpdir(), 'cli-write-whole-'));
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFileWhole', () => {
  it('replaces the file in one step and leaves no temporary file', async () => {
    const path = join(dir, 'plan.json');
    await writeFile(path, 'old');
    await writeFileWhole(path, '{"new":true}');
    expect(await readFile(path, 'utf8')).toBe('{"new":true}');
    expect(await readdir(dir)).toEqual(['plan.json']);
  });

  it('on failure keeps the previous file and removes the temporary one', async () => {
    const folder = join(dir, 'target-is-a-folder');
    await mkdir(folder);
    await expect(writeFileWhole(folder, 'text')).rejects.toThrow();
    expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
