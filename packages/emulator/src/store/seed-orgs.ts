import { createHash } from 'node:crypto';
import type { Db } from './database.js';
import { createProfile, createUserGroup } from './groups.js';
import { createIntegration } from './integrations.js';
import { createDirectory, createOrg, findDomain, orgExists, trustDomain } from './orgs.js';
import { demoKeyPair, seedUsers } from './seed-demo.js';
import { inTransaction } from './transactions.js';

/** An integration (API key + secret) of a seeded org. Each has its own per-client budget. */
export interface ClientSeed {
  clientId: string;
  clientSecret: string;
}

/** An org to serve besides (or instead of) the demo org: its integrations, domains, trusts, groups and users. */
export interface OrgSeed {
  /** e.g. `0123456789ABCDEF01234567@AdobeOrg`. */
  orgId: string;
  name?: string;
  clientId: string;
  clientSecret: string;
  /** More integrations of the same org: a credential pool, each paced at its own per-client budget. */
  extraClients?: ClientSeed[];
  /** Domains this org claims with an Enterprise ID directory. */
  enterpriseDomains?: string[];
  /** Domains this org claims with a Federated ID directory. */
  federatedDomains?: string[];
  /** Domains claimed by another org whose owner trusts this org: it may add users of those domains. */
  trustedDomains?: string[];
  userGroups?: string[];
  /** Product profiles (user groups with a product). */
  profiles?: string[];
  /** Generated users spread over the org's domains and groups. */
  users?: number;
}

/** What a seeded org's callers need: its id and every integration's credentials. */
export interface SeededOrg {
  orgId: string;
  clientId: string;
  clientSecret: string;
  technicalAccountId: string;
  extraClients: ClientSeed[];
  /** The key every seeded integration's JWT may be signed with (the demo key pair). */
  privateKeyPem: string;
}

const ORG_ID = /^[0-9A-Za-z]{1,64}@AdobeOrg$/;

/** A technical account id derived from the client id, stable across restarts. */
function technicalAccountOf(clientId: string): string {
  const hex = createHash('sha256').update(clientId).digest('hex').slice(0, 24).toUpperCase();
  return `${hex}@techacct.adobe.com`;
}

function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
    throw new Error(`${where}: expected a list of non-empty strings`);
  }
  return value as string[];
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new Error(`${where}: expected a non-empty string`);
  return value;
}

const ORG_KEYS = new Set([
  'orgId',
  'name',
  'clientId',
  'clientSecret',
  'extraClients',
  'enterpriseDomains',
  'federatedDomains',
  'trustedDomains',
  'userGroups',
  'profiles',
  'users',
]);

/** Checks an `orgs` list (from JSON): every error names the org's index and key and says what is expected. */
export function parseOrgSeeds(value: unknown, source: string): OrgSeed[] {
  if (!Array.isArray(value)) throw new Error(`${source}: expected a JSON array of orgs`);
  const seen = new Set<string>();
  const clients = new Set<string>();
  const orgs = value.map((raw: unknown, index): OrgSeed => {
    const where = `${source}: orgs[${index}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new Error(`${where}: expected an object`);
    const record = raw as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!ORG_KEYS.has(key))
        throw new Error(`${where}: unknown key "${key}" (known: ${[...ORG_KEYS].join(', ')})`);
    }
    const orgId = text(record['orgId'], `${where}.orgId`);
    if (!ORG_ID.test(orgId))
      throw new Error(`${where}.orgId: expected an id like 0123ABCD@AdobeOrg, got "${orgId}"`);
    if (seen.has(orgId)) throw new Error(`${where}.orgId: ${orgId} is listed twice`);
    seen.add(orgId);
    const extra = record['extraClients'];
    if (extra !== undefined && !Array.isArray(extra))
      throw new Error(`${where}.extraClients: expected a list of {clientId, clientSecret}`);
    const extraClients = (extra ?? []).map((client: unknown, clientIndex): ClientSeed => {
      const at = `${where}.extraClients[${clientIndex}]`;
      if (typeof client !== 'object' || client === null)
        throw new Error(`${at}: expected {clientId, clientSecret}`);
      const c = client as Record<string, unknown>;
      return {
        clientId: text(c['clientId'], `${at}.clientId`),
        clientSecret: text(c['clientSecret'], `${at}.clientSecret`),
      };
    });
    const seed: OrgSeed = {
      orgId,
      clientId: text(record['clientId'], `${where}.clientId`),
      clientSecret: text(record['clientSecret'], `${where}.clientSecret`),
    };
    for (const clientId of [seed.clientId, ...extraClients.map((c) => c['clientId'])]) {
      if (clients.has(clientId)) throw new Error(`${where}: client id ${clientId} is used twice`);
      clients.add(clientId);
    }
    if (extraClients.length > 0) seed.extraClients = extraClients;
    if (record['name'] !== undefined) seed.name = text(record['name'], `${where}.name`);
    for (const key of [
      'enterpriseDomains',
      'federatedDomains',
      'trustedDomains',
      'userGroups',
      'profiles',
    ] as const) {
      const list = stringList(record[key], `${where}.${key}`);
      if (list !== undefined) seed[key] = list;
    }
    if (record['users'] !== undefined) {
      if (typeof record['users'] !== 'number' || !Number.isInteger(record['users']) || record['users'] < 0)
        throw new Error(`${where}.users: expected a non-negative integer`);
      seed.users = record['users'];
    }
    if (
      (seed.users ?? 0) > 0 &&
      (seed.enterpriseDomains ?? []).length + (seed.federatedDomains ?? []).length === 0
    ) {
      throw new Error(
        `${where}.users: generated users need a domain (enterpriseDomains or federatedDomains)`,
      );
    }
    return seed;
  });
  return orgs;
}

/**
 * Creates the orgs that are not in the database yet (a restart on the same file seeds nothing again), all in one
 * transaction. Domains are claimed before trusts are set, so an org may trust a domain claimed later in the list.
 */
export function seedOrgs(db: Db, seeds: readonly OrgSeed[]): SeededOrg[] {
  const { publicKey, privateKey } = demoKeyPair();
  const fresh = seeds.filter((seed) => !orgExists(db, seed.orgId));
  inTransaction(db, () => {
    for (const seed of fresh) {
      {
        createOrg(db, seed.orgId, seed.name ?? seed.orgId);
        for (const [type, domains] of [
          ['enterprise', seed.enterpriseDomains],
          ['federated', seed.federatedDomains],
        ] as const) {
          for (const domain of domains ?? []) {
            const owner = findDomain(db, domain);
            if (owner !== undefined)
              throw new Error(`org ${seed.orgId}: the domain ${domain} is already claimed by ${owner.orgId}`);
            const label = type === 'enterprise' ? 'Enterprise' : 'SSO';
            createDirectory(db, seed.orgId, `${seed.name ?? seed.orgId} ${label} ${domain}`, type, [domain]);
          }
        }
        for (const group of seed.userGroups ?? []) createUserGroup(db, seed.orgId, group);
        for (const profile of seed.profiles ?? [])
          createProfile(db, seed.orgId, profile, `${profile} product`, '100');
        for (const client of [
          { clientId: seed.clientId, clientSecret: seed.clientSecret },
          ...(seed.extraClients ?? []),
        ]) {
          createIntegration(db, {
            ...client,
            orgId: seed.orgId,
            technicalAccountId: technicalAccountOf(client.clientId),
            publicKeyPem: publicKey,
          });
        }
      }
    }
    for (const seed of fresh) {
      for (const domain of seed.trustedDomains ?? []) {
        if (findDomain(db, domain) === undefined)
          throw new Error(`org ${seed.orgId}: trustedDomains names ${domain}, which no org claims`);
        trustDomain(db, seed.orgId, domain);
      }
    }
    for (const [index, seed] of fresh.entries()) {
      if ((seed.users ?? 0) > 0) seedUsers(db, seed.orgId, seed.users ?? 0, { seed: index + 2 });
    }
  });
  return seeds.map((seed) => ({
    orgId: seed.orgId,
    clientId: seed.clientId,
    clientSecret: seed.clientSecret,
    technicalAccountId: technicalAccountOf(seed.clientId),
    extraClients: seed.extraClients ?? [],
    privateKeyPem: privateKey,
  }));
}
