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
  dir = await mkdtemp(join(tmpdir(), 'umapi-inputs-'));
});

afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** Requests that reached the emulator's UMAPI (not IMS) since `from`. */
const umapiRequests = (from: number): string[] =>
  emulator
    .requestLog()
    .slice(from)
    .map((entry) => entry.path)
    .filter((path) => path.includes('/usermanagement/'));

const federated = ['users', 'create', '--type', 'federated', '--first-name', 'Fay', '--last-name', 'Lee'];

describe('flags checked before anything is sent', () => {
  it('a lower-case country is upper-cased and the user is created with it', async () => {
    const email = `fay@${emulator.demo!.federatedDomain}`;
    const result = await umapiInFolder(emulator, dir, [...federated, email, '--country', 'us']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shown = await umapiInFolder(emulator, dir, ['users', 'get', email, '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ email, country: 'US' });
  });

  it.each([
    [[...federated, 'zed@example.com', '--country', 'zz'], '--country: "ZZ" is not an ISO-3166 country code'],
    [
      ['users', 'create', '--type', 'adobe', 'zed@example.com', '--groups', ' , ,'],
      "--groups: ' , ,' names nothing; give comma-separated names",
    ],
    [['users', 'list', '--json', '--output', 'csv'], '--json and --output csv ask for two formats'],
    [['users', 'list', '--status', 'active'], '--status: only members of a product profile'],
  ])('%j is a usage error (exit 2) and sends nothing', async (argv, message) => {
    const from = emulator.requestLog().length;
    const result = await umapiInFolder(emulator, dir, argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(umapiRequests(from)).toEqual([]);
  });

  it('--json with --output json is one request, not a conflict', async () => {
    const result = await umapiInFolder(emulator, dir, ['users', 'list', '--json', '--output', 'json']);
    expect(result.code).toBe(0);
    expect(Array.isArray(JSON.parse(result.stdout))).toBe(true);
  });
});
