import { generateKeyPairSync } from 'node:crypto';
import { seededRandom } from '../seeded-random.js';
import type { Db } from './database.js';
import { statement } from './statement-cache.js';
import {
  assignableGroupIds,
  createContractAdminGroup,
  createProfile,
  createUserGroup,
  findGroup,
  insertGroup,
} from './groups.js';
import { createIntegration, findIntegration, setIntegrationPublicKey } from './integrations.js';
import { addMembership, linkProfile } from './memberships.js';
import { createDirectory, createOrg, trustDomain, writableDomains } from './orgs.js';
import { seedOnce } from './seed-runs.js';
import { inTransaction } from './transactions.js';
import { insertUser, maxUserId, type IdentityType } from './users.js';

export interface DemoOrg {
  orgId: string;
  clientId: string;
  clientSecret: string;
  technicalAccountId: string;
  privateKeyPem: string;
  publicKeyPem: string;
  enterpriseDomain: string;
  federatedDomain: string;
}

export const demoOrgId = 'C0FFEE0123456789ABCDEF01@AdobeOrg';
export const partnerOrgId = 'BADC0FFEE0123456789ABCDE@AdobeOrg';
const demoClientId = 'umapi-emulator-demo-client';
const demoClientSecret = 'p8e-emulator-demo-secret-not-for-production';
const demoTechnicalAccount = '0123456789ABCDEF01234567@techacct.adobe.com';
/** The demo org's domain whose directory is synced from Azure. */
export const managedDomain = 'entra.example.com';
const phantomGroup = 'Creative Cloud 1 provisioning';

interface DemoUser {
  type: IdentityType;
  email: string;
  username?: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  groups: string[];
}

const demoUsers: DemoUser[] = [
  {
    type: 'enterpriseID',
    email: 'ada.admin@example.com',
    firstname: 'Ada',
    lastname: 'Admin',
    country: 'US',
    groups: ['_org_admin', 'Designers'],
  },
  {
    type: 'enterpriseID',
    email: 'ben.designer@example.com',
    firstname: 'Ben',
    lastname: 'Designer',
    country: 'GB',
    groups: ['Designers', '_admin_Creative Cloud 1'],
  },
  {
    type: 'enterpriseID',
    email: 'cleo.dev@example.com',
    firstname: 'Cleo',
    lastname: 'Dev',
    country: 'DE',
    groups: ['Developers', '_developer_Document Cloud 1'],
  },
  {
    type: 'federatedID',
    email: 'dan.market@fed.example.com',
    firstname: 'Dan',
    lastname: 'Market',
    country: 'FR',
    groups: ['Marketing', 'Document Cloud 1'],
  },
  {
    type: 'federatedID',
    email: 'eve.ops@fed.example.com',
    username: 'eve.ops',
    firstname: 'Eve',
    lastname: 'Ops',
    country: 'CA',
    groups: ['Developers', 'Default Photoshop - 100Gb'],
  },
  {
    type: 'federatedID',
    email: 'fay.sso@fed.example.com',
    firstname: 'Fay',
    lastname: 'Sso',
    country: 'JP',
    groups: ['TestGroup1'],
  },
  {
    type: 'adobeID',
    email: 'gus.freelancer@gmail.com',
    firstname: 'Gus',
    lastname: 'Freelancer',
    country: 'US',
    groups: ['Creative Cloud 1'],
  },
  {
    type: 'adobeID',
    email: 'hal.contractor@outlook.com',
    groups: ['Default Photoshop - 100Gb', '_support_admin'],
  },
  {
    type: 'federatedID',
    email: 'ivy.partner@partner.example.org',
    firstname: 'Ivy',
    lastname: 'Partner',
    country: 'NL',
    groups: ['Shared From Partner'],
  },
];

let keyPair: { publicKey: string; privateKey: string } | undefined;

/** The demo integration's RSA key pair, generated once per process (generation takes ~100 ms). */
export function demoKeyPair(): { publicKey: string; privateKey: string } {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keyPair;
}

/** Creates a small realistic org, once per database: later calls (a restart on the same file) return it. */
export function seedDemo(db: Db): DemoOrg {
  seedOnce(db, 'demo', demoOrgId, () => {
    const { publicKey, privateKey } = demoKeyPair();
    createOrg(db, partnerOrgId, 'Partner Org');
    createDirectory(db, partnerOrgId, 'Partner SSO', 'federated', ['partner.example.org']);
    createOrg(db, demoOrgId, 'Example Org');
    createDirectory(db, demoOrgId, 'Example Enterprise', 'enterprise', ['example.com']);
    createDirectory(db, demoOrgId, 'Example SSO', 'federated', ['fed.example.com']);
    // Synced from Azure in Admin Console: UMAPI may not create, update or remove its users.
    createDirectory(db, demoOrgId, 'Example Entra Sync', 'federated', [managedDomain], {
      managedBy: 'azure',
    });
    trustDomain(db, demoOrgId, 'partner.example.org');
    for (const name of ['Designers', 'Developers', 'Marketing', 'TestGroup1']) {
      createUserGroup(db, demoOrgId, name, { description: `${name} of Example Org` });
    }
    createUserGroup(db, demoOrgId, 'Shared From Partner', {
      description: 'Shared by Partner Org',
      isReadOnly: true,
    });
    createProfile(db, demoOrgId, 'Creative Cloud 1', 'Creative Cloud All Apps (Enterprise)', '100');
    createProfile(db, demoOrgId, 'Document Cloud 1', 'Acrobat Pro DC (Enterprise)', '50');
    createProfile(db, demoOrgId, 'Default Photoshop - 100Gb', 'Photoshop (Single App - Enterprise)', '1');
    // Since 2025-06-03 groups may have the type CONTRACT_ADMIN_GROUP, named for a contract.
    createContractAdminGroup(
      db,
      demoOrgId,
      'C0FFEE5A9DB8F0345B01_CONTRACT_GROUP',
      'ETLA - C0FFEE5A9DB8F0345B01',
    );
    // A historic "provisioning" name Adobe keeps but no longer lists (since 2025-10-28).
    insertGroup(db, demoOrgId, { name: phantomGroup, type: 'USER_GROUP', phantom: true });
    const id = (name: string): number => findGroup(db, demoOrgId, name)?.id ?? 0;
    const phantomId = (): number =>
      statement(db, 'SELECT id FROM groups WHERE org_id = ? AND name = ?')
        .pluck()
        .get(demoOrgId, phantomGroup) as number;
    linkProfile(db, id('Designers'), id('Creative Cloud 1'));
    linkProfile(db, id('Developers'), id('Document Cloud 1'));
    for (const user of demoUsers) {
      const username = user.username ?? user.email;
      const userId = insertUser(db, demoOrgId, {
        type: user.type,
        email: user.email,
        username,
        domain: user.email.slice(user.email.indexOf('@') + 1),
        firstname: user.firstname,
        lastname: user.lastname,
        country: user.country,
      });
      for (const group of user.groups) addMembership(db, id(group), userId);
      if (user.email === 'gus.freelancer@gmail.com') addMembership(db, phantomId(), userId);
    }
    createIntegration(db, {
      clientId: demoClientId,
      clientSecret: demoClientSecret,
      orgId: demoOrgId,
      technicalAccountId: demoTechnicalAccount,
      publicKeyPem: publicKey,
    });
    statement(db, 'INSERT INTO demo_orgs (org_id, client_id, private_key_pem) VALUES (?, ?, ?)').run(
      demoOrgId,
      demoClientId,
      privateKey,
    );
  });
  const row = statement(db, 'SELECT client_id, private_key_pem FROM demo_orgs WHERE org_id = ?').get(
    demoOrgId,
  ) as { client_id: string; private_key_pem: string } | undefined;
  const integration = row === undefined ? undefined : findIntegration(db, row.client_id);
  if (row === undefined || integration === undefined) {
    throw new Error('This database was seeded with the demo org, but its demo integration is gone');
  }
  return demoOrg(integration.publicKeyPem, row.private_key_pem);
}

/** Puts back an earlier demo key pair (after a reset re-seeded with a new one), so key files written stay valid. */
export function keepDemoKeyPair(db: Db, demo: DemoOrg): void {
  setIntegrationPublicKey(db, demo.clientId, demo.publicKeyPem);
  statement(db, 'UPDATE demo_orgs SET private_key_pem = ? WHERE org_id = ?').run(
    demo.privateKeyPem,
    demo.orgId,
  );
}

function demoOrg(publicKeyPem: string, privateKeyPem: string): DemoOrg {
  return {
    orgId: demoOrgId,
    clientId: demoClientId,
    clientSecret: demoClientSecret,
    technicalAccountId: demoTechnicalAccount,
    privateKeyPem,
    publicKeyPem,
    enterpriseDomain: 'example.com',
    federatedDomain: 'fed.example.com',
  };
}

/** Adds `count` users spread over the org's user groups/profiles, fast (one transaction, prepared statements; 200 000 in seconds). */
export function seedUsers(db: Db, orgId: string, count: number, options?: { seed?: number }): void {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`seedUsers: count must be a non-negative integer, got ${count}`);
  // Deterministic, so seeded orgs are reproducible.
  const next = seededRandom(options?.seed ?? 1);
  // Users of a directory synced from Azure or Google come from that sync, never from UMAPI: none are made there.
  const domains = writableDomains(db, orgId);
  if (domains.length === 0)
    throw new Error(`seedUsers: org ${orgId} has no claimed domain UMAPI may create users in`);
  const groupIds = assignableGroupIds(db, orgId);
  const firstNames = ['Alex', 'Sam', 'Kim', 'Lee', 'Noa', 'Ravi', 'Mia', 'Tom', 'Iris', 'Omar'];
  const lastNames = [
    'Smith',
    'Garcia',
    'Chen',
    'Okafor',
    'Novak',
    'Silva',
    'Khan',
    'Berg',
    'Rossi',
    'Tanaka',
  ];
  const countries = ['US', 'GB', 'DE', 'FR', 'JP', 'IN', 'BR', 'CA', 'AU', 'NL'];
  const start = maxUserId(db);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  inTransaction(db, () => {
    for (let index = 0; index < count; index += 1) {
      const domain = pick(domains);
      const email = `user${start + index + 1}@${domain.name}`;
      const userId = insertUser(db, orgId, {
        type: domain.type === 'enterprise' ? 'enterpriseID' : 'federatedID',
        email,
        username: email,
        domain: domain.name,
        firstname: pick(firstNames),
        lastname: pick(lastNames),
        country: pick(countries),
      });
      if (groupIds.length > 0) addMembership(db, pick(groupIds), userId);
    }
  });
}
