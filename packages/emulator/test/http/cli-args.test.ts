import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../../src/cli/parse-cli-args.js';

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
