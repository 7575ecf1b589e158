import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRules, ForeignFileError, plan, SqliteStateStore } from '../src/index.js';
import { Journal } from '../src/state/journal.js';

/** The journal and the state store refuse planted links (also beside them) and keep their files owner-only. */

const dir = mkdtempSync(join(tmpdir(), 'sync-sqlite-file-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const samplePlan = plan(
  [{ email: 'a@example.com', firstname: 'F', lastname: 'L', groups: [], country: 'US' }],
  [],
  defaultRules(),
);
const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

function victim(name: string): string {
  const path = join(dir, name);
  writeFileSync(path, 'precious');
  return path;
}

describe('umapi-kit SQLite files', () => {
  it('refuse a journal or state store path that is a symbolic link, and leave its target alone', () => {
    const target = victim('victim-1');
    const journal = join(dir, 'linked.journal.db');
    symlinkSync(target, journal);
    expect(() => Journal.open(journal, samplePlan)).toThrow(
      `${journal} is a symbolic link, not a journal: refusing to follow it`,
    );
    const state = join(dir, 'linked.state.db');
    symlinkSync(target, state);
    expect(() => SqliteStateStore.open(state)).toThrow(ForeignFileError);
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it.each(['-wal', '-shm', '-journal'])('refuse a symbolic link planted at the %s file', (suffix) => {
    const target = victim(`victim${suffix}`);
    const journal = join(dir, `planted${suffix}.journal.db`);
    symlinkSync(target, `${journal}${suffix}`);
    expect(() => Journal.open(journal, samplePlan)).toThrow(
      `${journal}${suffix} (beside the journal ${journal}) is a symbolic link: refusing to use it`,
    );
    expect(readFileSync(target, 'utf8')).toBe('precious');
  });

  it('make an existing journal of ours, and the -wal left beside it, owner-only again when opened', () => {
    const journal = join(dir, 'wide.journal.db');
    Journal.open(journal, samplePlan).close();
    chmodSync(journal, 0o644);
    writeFileSync(`${journal}-wal`, '');
    chmodSync(`${journal}-wal`, 0o666);
    const reopened = Journal.open(journal, samplePlan);
    try {
      expect(modeOf(journal)).toBe('600');
      expect(modeOf(`${journal}-wal`)).toBe('600');
    } finally {
      reopened.close();
    }
  });

  it('leave the mode of a SQLite file they refuse (not a umapi-kit journal) as it was', () => {
    const foreign = join(dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE photos (id INTEGER)');
    other.close();
    chmodSync(foreign, 0o644);
    expect(() => Journal.open(foreign, samplePlan)).toThrow(ForeignFileError);
    expect(modeOf(foreign)).toBe('644');
  });
});
