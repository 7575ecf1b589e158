import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { umapiInFolder } from '../support/umapi-in-folder.js';

let emulator: Emulator;
let dir: string;

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-readable-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('output a person can read', () => {
  it('the users table shows the username where it differs from the email, blank where it is the email', async () => {
    const domain = emulator.demo!.federatedDomain;
    const created = await umapiInFolder(emulator, dir, [
      'users',
      'create',
      'jsmith',
      '--domain',
      domain,
      '--email',
      `john.smith@${domain}`,
      '--type',
      'federated',
      '--first-name',
      'John',
      '--last-name',
      'Smith',
      '--country',
      'US',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const table = await umapiInFolder(emulator, dir, ['users', 'list', '--output', 'table']);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^EMAIL\s+USERNAME\s+TYPE\s+FIRSTNAME/);
    expect(lines.find((line) => line.startsWith(`john.smith@${domain}`))).toMatch(
      /^\S+\s+jsmith\s+federatedID/,
    );
    expect(lines.find((line) => line.startsWith('ada.admin@example.com'))).toMatch(
      /^ada\.admin@example\.com\s+enterpriseID/,
    );
  });

  it('config show piped is the table; --json is JSON', async () => {
    const piped = await umapiInFolder(emulator, dir, ['config', 'show']);
    expect(piped.code).toBe(0);
    expect(piped.stdout).toMatch(/^SETTING\s+VALUE\s+SOURCE\norgId\s+\S+\s+env UMAPI_ORG_ID\n/);
    expect(piped.stdout).toContain('settings are complete\n');
    const json = await umapiInFolder(emulator, dir, ['config', 'show', '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ problem: null, unknownVariables: [] });
  });

  it('--dry-run is --test-only, on any command: checked by the server, nothing changed', async () => {
    const result = await umapiInFolder(emulator, dir, [
      'users',
      'create',
      'dry@example.com',
      '--type',
      'adobe',
      '--dry-run',
      '--output',
      'table',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'would have created adobe user: dry@example.com (test only: nothing was changed)\n',
    );
    const shown = await umapiInFolder(emulator, dir, ['users', 'get', 'dry@example.com']);
    expect(shown.code).toBe(1);
  });
});
