import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/parse-cli-args.js';
import { startEmulator } from '../../src/index.js';

describe('parseCliArgs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'umapi-emulator-args-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('maps flags to emulator options', () => {
    const faults = join(dir, 'faults.json');
    writeFileSync(
      faults,
      JSON.stringify({ seed: 3, rules: [{ endpoint: 'action', fault: '503', probability: 0.5 }] }),
    );
    const limits = join(dir, 'limits.json');
    writeFileSync(limits, JSON.stringify({ action: { perClient: 2, global: 4 }, minRetryAfterSeconds: 30 }));
    const command = parseCliArgs([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--db',
      ':memory:',
      '--seed',
      'demo',
      '--seed-users',
      '50',
      '--limits',
      limits,
      '--time-scale',
      '60',
      '--faults',
      faults,
      '--page-size-users',
      '10',
      '--page-size-groups',
      '5',
      '--tls',
      '--managed-by',
      'Fed.Example.com=google',
      '--managed-by',
      'entra.example.com=none',
    ]);
    expect(command).toEqual({
      help: false,
      options: {
        port: 0,
        host: '127.0.0.1',
        db: ':memory:',
        seed: 'demo',
        seedUsers: 50,
        limits: { action: { perClient: 2, global: 4 }, minRetryAfterSeconds: 30 },
        timeScale: 60,
        faults: { seed: 3, rules: [{ endpoint: 'action', fault: '503', probability: 0.5 }] },
        pageSizeUsers: 10,
        pageSizeGroups: 5,
        tls: true,
        managedBy: { 'fed.example.com': 'google', 'entra.example.com': null },
      },
    });
    expect(parseCliArgs([])).toEqual({ help: false, options: { port: 8080 } });
    expect(parseCliArgs(['--help'])).toEqual({ help: true });
  });

  it.each([
    [['--port', 'abc'], /--port: expected an integer/],
    [['--seed', 'x'], /--seed: expected demo or none/],
    [['--time-scale', '0'], /--time-scale: expected a positive number/],
    [['--cert', 'a.pem'], /--cert and --key must be given together/],
    [['--limits', '/nonexistent/limits.json'], /--limits: cannot read/],
    [['--bogus'], /Unknown option '--bogus'/],
    [
      ['--managed-by', 'fed.example.com=okta'],
      /--managed-by: expected DOMAIN=azure, DOMAIN=google or DOMAIN=none/,
    ],
    [['--managed-by', 'azure'], /--managed-by: expected DOMAIN=azure/],
  ])('rejects %j', (args, message) => {
    expect(() => parseCliArgs(args)).toThrow(message);
  });

  it('names the file and field of a bad limits file', () => {
    const limits = join(dir, 'bad-limits.json');
    writeFileSync(limits, JSON.stringify({ minRetryAfterSeconds: -5 }));
    expect(() => parseCliArgs(['--limits', limits])).toThrow(`--limits ${limits}.minRetryAfterSeconds`);
  });

  it('names the file and field of a bad faults file', () => {
    const faults = join(dir, 'bad-faults.json');
    writeFileSync(faults, JSON.stringify({ rules: [{ endpoint: 'action', fault: 'boom', on: [1] }] }));
    expect(() => parseCliArgs(['--faults', faults])).toThrow(`--faults ${faults}.rules[0].fault`);
  });
});

describe('managedBy option', () => {
  it('sets who syncs a directory at start and after a reset, and refuses an unclaimed domain', async () => {
    const emulator = await startEmulator({
      listen: false,
      managedBy: { 'fed.example.com': 'google', 'entra.example.com': null },
    });
    const managers = async (): Promise<Record<string, string | null>> => {
      const response = await emulator.fetch(`${emulator.imsUrl}/_emulator/directories`, {
        headers: { Authorization: `Bearer ${emulator.adminToken}` },
      });
      const body = (await response.json()) as {
        directories: Array<{ name: string; managedBy: string | null }>;
      };
      return Object.fromEntries(body.directories.map(({ name, managedBy }) => [name, managedBy]));
    };
    try {
      const expected = { 'Example Enterprise': null, 'Example Entra Sync': null, 'Example SSO': 'google' };
      expect(await managers()).toEqual(expected);
      emulator.setDirectoryManager('example.com', 'azure');
      emulator.reset();
      expect(await managers()).toEqual(expected);
      expect(() => {
        emulator.setDirectoryManager('nowhere.example', 'azure');
      }).toThrow('setDirectoryManager: no directory claims the domain nowhere.example');
    } finally {
      await emulator.close();
    }
    await expect(startEmulator({ listen: false, managedBy: { 'nowhere.example': 'azure' } })).rejects.toThrow(
      'managedBy: no directory claims the domain nowhere.example',
    );
  });
});
