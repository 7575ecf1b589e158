import { demoOrgClient } from '../../../test-support/emulator-org.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyPlan,
  isComplete,
  createSource,
  loadDirectory,
  loadSyncConfig,
  planFromStream,
  type Plan,
} from '../src/index.js';
import { demoSyncYaml } from './support/demo-sync-yaml.js';

/**
 * Sync through a hostile network: about 30 % of action requests fail (429, 502, 503, 504, resets, and
 * "applied then lost"). The final org must be exactly the directory, and no change may be applied twice: every
 * account is created once and a second plan is empty.
 */
const dir = mkdtempSync(join(tmpdir(), 'sync-faults-'));
let emulator: Emulator;
let client: UmapiClient;
/** Bodies of action requests that reached the engine, by user, counting create steps. */
const createsSent = new Map<string, number>();

beforeAll(async () => {
  emulator = await startEmulator({
    listen: false,
    seed: 'demo',
    limits: 'off',
    faults: {
      seed: 7,
      rules: [
        { endpoint: 'action', fault: '429', probability: 0.06, retryAfter: '0.01' },
        { endpoint: 'action', fault: '502', probability: 0.05 },
        { endpoint: 'action', fault: '503', probability: 0.05 },
        { endpoint: 'action', fault: '504', probability: 0.04 },
        { endpoint: 'action', fault: 'reset', probability: 0.05 },
        { endpoint: 'action', fault: 'applied-then-lost', probability: 0.05 },
      ],
    },
  });
  const countingFetch: typeof fetch = async (input, init) => {
    if (
      typeof init?.body === 'string' &&
      (input instanceof Request ? input.url : input.toString()).includes('/action/')
    ) {
      for (const entry of JSON.parse(init.body) as { user?: string; do: Record<string, unknown>[] }[]) {
        if (entry.do.some((step) => 'createFederatedID' in step) && entry.user !== undefined) {
          createsSent.set(entry.user, (createsSent.get(entry.user) ?? 0) + 1);
        }
      }
    }
    return emulator.fetch(input, init);
  };
  client = demoOrgClient(emulator, {
    fetch: countingFetch,
    pacing: false,
    maxRetries: 8,
    retry: { firstDelayMs: 1, randomMaxMs: 1 },
  });
  const rows = ['email,firstname,lastname,country,groups,type'];
  rows.push('ben.designer@example.com,Ben,Designer,GB,dev,enterpriseID');
  rows.push('cleo.dev@example.com,Cleo,Developer,DE,"dev,design",enterpriseID');
  for (let i = 0; i < 60; i += 1) {
    rows.push(
      `hire.${i}@fed.example.com,Hire,Number ${i},US,${i % 2 === 0 ? 'design' : '"dev,design"'},federatedID`,
    );
  }
  writeFileSync(join(dir, 'users.csv'), rows.join('\n'));
  writeFileSync(
    join(dir, 'sync.yml'),
    demoSyncYaml({ maxAdobeOnlyUsers: 5, groups: { design: 'Designers', dev: 'Developers' } }),
  );
});

afterAll(async () => {
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

async function makePlan(): Promise<Plan> {
  const config = await loadSyncConfig(join(dir, 'sync.yml'));
  const directory = await loadDirectory(createSource(config.source), { strict: true });
  return planFromStream(directory.users, client.users.list(), config.rules);
}

describe('sync with 30 % of action requests failing', () => {
  it('ends exactly at the directory state, applying each change once', async () => {
    const plan = await makePlan();
    expect(plan.entries.filter((e) => e.kind === 'create')).toHaveLength(60);
    expect(plan.entries.some((e) => e.kind === 'remove-from-org')).toBe(true);

    const journalPath = join(dir, 'journal.db');
    let report = await applyPlan(plan, client, { journalPath });
    // Retries can run out on a very unlucky request: running again on the same journal finishes the job.
    for (let run = 0; run < 3 && !isComplete(report); run += 1) {
      report = await applyPlan(plan, client, { journalPath });
    }
    expect(report.entries.filter((e) => e.state !== 'succeeded')).toEqual([]);
    expect(emulator.requestLog().some((entry) => entry.fault !== undefined)).toBe(true);

    // Exactly the directory: every hire exists once with its mapped groups, and a new plan has nothing to do.
    const users = new Map(emulator.snapshot().users.map((u) => [u.email, u]));
    for (let i = 0; i < 60; i += 1) {
      const groups = users.get(`hire.${i}@fed.example.com`)?.groups;
      expect(groups).toEqual(i % 2 === 0 ? ['Designers'] : ['Designers', 'Developers']);
    }
    expect((await makePlan()).entries).toEqual([]);

    // Each hire is one account (a create applied twice would be a second account or a reported failure).
    const emails = emulator.snapshot().users.map((u) => u.email);
    expect(new Set(emails).size).toBe(emails.length);
    // Faulted attempts were re-sent (the counting fetch saw more create bodies than there are hires).
    expect([...createsSent.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(60);
  });
});
