import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { RunReport } from '@umapi-kit/sync';
import { demoSyncYaml } from '../../../sync/test/support/demo-sync-yaml.js';

/**
 * What `sync plan` / `sync run` show while they work: on a terminal, the org read as `users read / total`; off
 * one (the results on stdout as JSON), a short summary and every entry that did not finish on stderr.
 */
let emulator: Emulator;
let dir = '';

beforeAll(async () => {
  // Several pages of users, so the read is seen to advance.
  emulator = await startEmulator({
    listen: false,
    seed: 'demo',
    seedUsers: 30,
    pageSizeUsers: 10,
    limits: 'off',
  });
});
afterAll(async () => {
  await emulator.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  emulator.reset();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
  dir = await mkdtemp(join(tmpdir(), 'umapi-sync-visible-'));
  await writeFile(
    join(dir, 'sync.yml'),
    demoSyncYaml({
      maxAdobeOnlyUsers: 100,
      groups: { design: 'Designers', dev: 'Developers', ghost: 'Not Yet Created' },
    }),
  );
  await writeFile(
    join(dir, 'users.csv'),
    [
      'email,firstname,lastname,country,groups,type',
      'ben.designer@example.com,Ben,Designer,GB,design,enterpriseID',
      'cleo.dev@example.com,Cleo,Dev,DE,dev,enterpriseID',
      // Created, but the group does not exist: partial.
      'gina.ghost@fed.example.com,Gina,Ghost,US,ghost,federatedID',
      'hal.ghost@fed.example.com,Hal,Ghost,US,"dev,ghost",federatedID',
      'ivy.new@fed.example.com,Ivy,New,US,design,federatedID',
    ].join('\n') + '\n',
  );
});

const umapi = (args: string[], terminal: { stdout?: boolean; stderr?: boolean } = {}): Promise<Run> =>
  umapiInFolder(emulator, dir, args, { terminal });

describe('sync plan and run on a terminal', () => {
  it('show the org read as users read / total on stderr', async () => {
    // X-Total-Count also counts the demo integration's technical account, which the listing never returns.
    const total = emulator.snapshot().users.length + 1;
    expect(total).toBeGreaterThan(30);
    const plan = await umapi(['sync', 'plan', '--sync-config', 'sync.yml'], { stdout: true, stderr: true });
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stderr).toContain('Adobe users read [');
    expect(plan.stderr).toMatch(new RegExp(`Adobe users read \\[[^\\]]*\\] \\d+/${String(total)} \\(`));
    expect(plan.stdout).not.toContain('Adobe users read [');
    const run = await umapi(['sync', 'run', '--sync-config', 'sync.yml', '--dry-run'], { stderr: true });
    expect(run.stderr).toMatch(new RegExp(`Adobe users read \\[[^\\]]*\\] \\d+/${String(total)} \\(`));
    const json = await umapi(['sync', 'plan', '--sync-config', 'sync.yml', '--json'], { stderr: true });
    expect(json.stderr).not.toContain('Adobe users read [');
  });
});

describe('sync run off a terminal', () => {
  it('prints a short summary and every entry that did not finish to stderr, the report to stdout', async () => {
    const run = await umapi(['sync', 'run', '--sync-config', 'sync.yml', '--yes']);
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as RunReport;
    const open = report.entries.filter((entry) => entry.state !== 'succeeded');
    expect(open.map((entry) => [entry.state, entry.user]).sort()).toEqual([
      ['partial', 'gina.ghost@fed.example.com'],
      ['partial', 'hal.ghost@fed.example.com'],
    ]);
    expect(run.stderr).toMatch(
      /^sync plan: \d+ entries \(create 3, remove-from-org \d+\); 5 directory users, \d+ Adobe users read; 0 held, 0 problems$/m,
    );
    expect(run.stderr).toMatch(
      new RegExp(
        `^sync apply: ${String(report.counts.total)} entries: \\d+ succeeded, 2 partial; \\d+ requests in`,
        'm',
      ),
    );
    for (const entry of open) {
      expect(run.stderr).toMatch(
        new RegExp(`^error: partial create ${entry.user.replaceAll('.', '\\.')}: .*Not Yet Created`, 'm'),
      );
    }

    // Asked for JSON explicitly: the failures are still on stderr, with the summary.
    emulator.reset();
    const json = await umapi(['sync', 'run', '--sync-config', 'sync.yml', '--yes', '--json']);
    expect(json.code).toBe(3);
    expect(json.stderr).toContain('error: partial create gina.ghost@fed.example.com');
    expect(json.stderr).toContain('error: partial create hal.ghost@fed.example.com');
    expect(json.stderr).toMatch(/^sync apply: \d+ entries: \d+ succeeded, 2 partial;/m);
  });
});
