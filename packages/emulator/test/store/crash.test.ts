import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { snapshotOrg } from '../../src/store/snapshot.js';
import { demoOrgId } from '../../src/store/seed-demo.js';

const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-crash-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('a writer killed with SIGKILL leaves only whole requests behind', async () => {
    const file = join(dir, 'crash.db');
    const script = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
    // `node --import tsx` keeps the writer a single process, so SIGKILL really kills the writer itself.
    const root = fileURLToPath(new URL('../../../../', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const committed = await new Promise<number>((resolve, reject) => {
      let last = 0;
      child.stdout.on('data', (chunk: Buffer) => {
        const lines = chunk.toString().trim().split('\n');
        last = Number(lines[lines.length - 1]);
        if (last >= 40) {
          child.kill('SIGKILL');
          resolve(last);
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited early (${code}): ${stderr}`));
      });
    });
    await new Promise((resolve) => child.on('close', resolve));

    const db = openDatabase(file);
    const crashUsers = snapshotOrg(db, demoOrgId).users.filter((u) => u.email.startsWith('crash'));
    db.close();
    const byRequest = new Map<string, number>();
    for (const user of crashUsers) {
      byRequest.set(user.lastname ?? '', (byRequest.get(user.lastname ?? '') ?? 0) + 1);
      expect(user.groups).toEqual(['Designers']);
    }
    // Every request is all-or-nothing: 5 users each, and the applied requests are a prefix 0..n-1.
    expect([...byRequest.values()].every((count) => count === 5)).toBe(true);
    const applied = byRequest.size;
    expect(applied).toBeGreaterThanOrEqual(committed);
    expect([...byRequest.keys()].map(Number).sort((a, b) => a - b)).toEqual(
      Array.from({ length: applied }, (_, i) => i),
    );
  });
});
