import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/index.js';
import type { Emulator, OrgSeed } from '../../src/index.js';
import { parseOrgSeeds } from '../../src/store/seed-orgs.js';
import { field, startBin } from '../support/bin-process.js';
import { umapiHeaders } from '../support/emulator-fixtures.js';

const bin = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));
const ORG_A = 'AAAA0123456789ABCDEF0001@AdobeOrg';
const ORG_B = 'BBBB0123456789ABCDEF0002@AdobeOrg';

const seeds: OrgSeed[] = [
  {
    orgId: ORG_A,
    name: 'Org A',
    clientId: 'client-a',
    clientSecret: 'secret-a',
    extraClients: [{ clientId: 'client-a2', clientSecret: 'secret-a2' }],
    enterpriseDomains: ['a.example.net'],
    trustedDomains: ['b.example.net'],
    userGroups: ['Staff'],
    profiles: ['All Apps'],
    users: 30,
  },
  {
    orgId: ORG_B,
    clientId: 'client-b',
    clientSecret: 'secret-b',
    federatedDomains: ['b.example.net'],
    users: 5,
  },
];

async function token(emulator: Emulator, clientId: string, clientSecret: string): Promise<string> {
  const response = await emulator.fetch(`${emulator.imsUrl}/ims/token/v3`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
      scope: 'openid,AdobeID,user_management_sdk',
    }).toString(),
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

function action(
  emulator: Emulator,
  orgId: string,
  clientId: string,
  bearer: string,
  body: unknown,
): Promise<Response> {
  return emulator.fetch(`${emulator.umapiUrl}/action/${orgId}`, {
    method: 'POST',
    headers: umapiHeaders(bearer, clientId, { 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
}

describe('several orgs from one database', () => {
  let emulator: Emulator | undefined;
  afterEach(async () => {
    await emulator?.close();
    emulator = undefined;
  });

  it('serves each org with its own integrations, domains, groups and users', async () => {
    emulator = await startEmulator({ listen: false, seed: 'none', limits: 'off', orgs: seeds });
    expect(emulator.orgs.map((org) => org.orgId)).toEqual([ORG_A, ORG_B]);
    const a = emulator.snapshot(ORG_A);
    const b = emulator.snapshot(ORG_B);
    expect(a.users).toHaveLength(30);
    expect(b.users).toHaveLength(5);
    expect(a.users.every((user) => user.email.endsWith('@a.example.net'))).toBe(true);
    expect(b.users.every((user) => user.type === 'federatedID')).toBe(true);
    expect(a.groups.map((group) => group.name)).toEqual(
      expect.arrayContaining(['Staff', 'All Apps', '_org_admin']),
    );
    // The default org of a seed-none emulator is the first seeded org.
    expect(emulator.snapshot().users).toHaveLength(30);
    // Org B's integration cannot act on org A.
    const bearerB = await token(emulator, 'client-b', 'secret-b');
    const refused = await action(emulator, ORG_A, 'client-b', bearerB, [
      { user: 'x@a.example.net', do: [{ addAdobeID: { email: 'x@gmail.com' } }] },
    ]);
    expect(refused.status).toBe(401);
  });

  it('lets only the org that claims a domain create its users, even when another org trusts it', async () => {
    emulator = await startEmulator({ listen: false, seed: 'none', limits: 'off', orgs: seeds });
    const create = [
      {
        user: 'new.person@b.example.net',
        do: [
          {
            createFederatedID: {
              email: 'new.person@b.example.net',
              country: 'US',
              firstname: 'N',
              lastname: 'P',
            },
          },
        ],
      },
    ];
    // Org A trusts b.example.net, but changes to users need the claiming org (umapi-api.md §13).
    const bearerA = await token(emulator, 'client-a', 'secret-a');
    const trustee = await action(emulator, ORG_A, 'client-a', bearerA, create);
    expect(await trustee.json()).toMatchObject({
      completed: 0,
      errors: [{ errorCode: 'error.domain.trust.nonexistent' }],
    });
    const bearerB = await token(emulator, 'client-b', 'secret-b');
    const owner = await action(emulator, ORG_B, 'client-b', bearerB, create);
    expect(await owner.json()).toMatchObject({ completed: 1 });
    expect(emulator.snapshot(ORG_B).users.map((user) => user.email)).toContain('new.person@b.example.net');
  });

  it('keeps the global budget per org: one org at its budget does not throttle another', async () => {
    emulator = await startEmulator({
      listen: false,
      seed: 'none',
      limits: { action: { perClient: 2, global: 3 } },
      orgs: seeds,
    });
    const em = emulator;
    const bearerA = await token(em, 'client-a', 'secret-a');
    const bearerA2 = await token(em, 'client-a2', 'secret-a2');
    const bearerB = await token(em, 'client-b', 'secret-b');
    const noop = [{ user: 'nobody@a.example.net', do: [{ removeFromOrg: {} }] }];
    const statuses: number[] = [];
    for (const [clientId, bearer] of [
      ['client-a', bearerA],
      ['client-a', bearerA],
      ['client-a', bearerA], // over client-a's own budget of 2
      ['client-a2', bearerA2],
      ['client-a2', bearerA2], // org A's global budget of 3 is used up
    ] as const) {
      statuses.push((await action(em, ORG_A, clientId, bearer, noop)).status);
    }
    expect(statuses).toEqual([200, 200, 429, 200, 429]);
    const other = await action(em, ORG_B, 'client-b', bearerB, [
      { user: 'nobody@b.example.net', do: [{ removeFromOrg: {} }] },
    ]);
    expect(other.status).toBe(200);
  });

  it('names the org, the key and what is expected for a bad orgs list', () => {
    expect(() => parseOrgSeeds([{ orgId: 'nope', clientId: 'c', clientSecret: 's' }], 'orgs.json')).toThrow(
      'orgs.json: orgs[0].orgId: expected an id like 0123ABCD@AdobeOrg, got "nope"',
    );
    expect(() => parseOrgSeeds([{ ...seeds[1], colour: 'red' }], 'orgs.json')).toThrow(
      'orgs.json: orgs[0]: unknown key "colour"',
    );
    expect(() => parseOrgSeeds([seeds[0], { ...seeds[1], clientId: 'client-a2' }], 'orgs.json')).toThrow(
      'orgs.json: orgs[1]: client id client-a2 is used twice',
    );
    expect(() => parseOrgSeeds([{ orgId: ORG_B, clientId: 'c', clientSecret: 's', users: 3 }], 'o')).toThrow(
      'o: orgs[0].users: generated users need a domain',
    );
  });

  it('refuses a domain two orgs claim, and a trusted domain nobody claims', async () => {
    await expect(
      startEmulator({
        listen: false,
        seed: 'none',
        orgs: [seeds[1] as OrgSeed, { ...(seeds[1] as OrgSeed), orgId: ORG_A, clientId: 'other' }],
      }),
    ).rejects.toThrow(`org ${ORG_A}: the domain b.example.net is already claimed by ${ORG_B}`);
    await expect(
      startEmulator({
        listen: false,
        seed: 'none',
        orgs: [{ ...(seeds[1] as OrgSeed), trustedDomains: ['nowhere.example'] }],
      }),
    ).rejects.toThrow('trustedDomains names nowhere.example, which no org claims');
  });
});

describe('umapi-emulator --orgs FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'emulator-orgs-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the demo org and the listed orgs from one --db, once per database, without printing their secrets', async () => {
    const file = join(dir, 'orgs.json');
    writeFileSync(file, JSON.stringify(seeds));
    const db = join(dir, 'orgs.sqlite');
    for (let start = 0; start < 2; start += 1) {
      const bin = await startBin(['--db', db, '--orgs', file, '--port', '0', '--limits', 'off']);
      expect(bin.output).toContain(`Org (from --orgs):    ${ORG_A}  clients: client-a, client-a2`);
      expect(bin.output).not.toContain('secret-a');
      const url = field(bin.output, 'UMAPI base URL:');
      const ims = field(bin.output, 'IMS base URL:');
      const tokenResponse = await fetch(`${ims}/ims/token/v3`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: 'client-b',
          client_secret: 'secret-b',
        }),
      });
      const bearer = ((await tokenResponse.json()) as { access_token: string }).access_token;
      const page = await fetch(`${url}/users/${ORG_B}/0`, { headers: umapiHeaders(bearer, 'client-b') });
      expect(((await page.json()) as { users: unknown[] }).users).toHaveLength(5);
      expect(await bin.stop()).toBe(0);
    }
  }, 30_000);

  it('says which entry of the file is wrong', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify([{ orgId: ORG_A, clientId: 'c' }]));
    const run = spawnSync(process.execPath, [bin, '--orgs', file, '--port', '0'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--orgs ${file}: orgs[0].clientSecret: expected a non-empty string`);
  });
});
