import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder } from '../support/umapi-in-folder.js';

/**
 * The reproduction: the first action's answer is lost after the server handled it (`applied-then-lost`),
 * and the email change it carried was refused because another account has that address. The command must not
 * report success. (The emulator loses only answers that applied something; the client-side read-back of a lost
 * refusal is in the client's lost-answer contract test.)
 */
describe('users update --email onto a taken address, answer lost', () => {
  let emulator: Emulator;
  let dir: string;
  beforeEach(async () => {
    emulator = await startEmulator({ listen: false, limits: 'off' });
    dir = await mkdtemp(join(tmpdir(), 'name-in-use-'));
  });
  afterEach(async () => {
    await emulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fails with name_in_use (exit 1) and leaves both accounts as they were', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: 'applied-then-lost', on: [1] }] });
    const run = await umapiInFolder(emulator, dir, [
      'users',
      'update',
      'ben.designer@example.com',
      '--email',
      'cleo.dev@example.com',
      '--json',
    ]);
    const emails = emulator.snapshot().users.map((u) => u.email);
    expect(emails).toContain('ben.designer@example.com');
    expect(emails.filter((e) => e === 'cleo.dev@example.com')).toHaveLength(1);
    expect(run.stdout + run.stderr).toContain('error.user.email.name_in_use');
    expect(run.stdout).not.toMatch(/"status":\s*"succeeded"/);
    // Nothing was applied, so the answer was not lost: one action request, answered.
    const actions = emulator.requestLog().filter((e) => e.endpointClass === 'action');
    expect(actions.map((e) => [e.status, e.fault])).toEqual([[200, undefined]]);
    expect(run.code).toBe(1);
  });
});
