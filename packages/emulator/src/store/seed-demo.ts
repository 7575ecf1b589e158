import { generateKeyPairSync } from 'node:crypto';
import type { Db } from './database.js';
import { statement } from './statement-cache.js';
import { createIntegration, findIntegration } from './integrations.js';
import {
  addMembership,
  createDirectory,
  createOrg,
  createProfile,
  createUserGroup,
  findGroup,
  insertUser,
  trustDomain,
  type IdentityType,
} from './org-records.js';

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
function demoKeyPair(): { publicKey: string; privateKey: string } {
  keyPair ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return keyPair;
}

/** Creates a small realistic org (idempotent on re-run: returns the existing one). */
export function seedDemo(db: Db): DemoOrg {
  const existing = statement(db, 'SELECT client_id, private_key_pem FROM demo_orgs WHERE org_id = ?').get(
    demoOrgId,
  ) as { client_id: string; private_key_pem: string } | undefined;
  if (existing !== undefined) {
    const integration = findIntegration(db, existing.client_id);
    if (integration !== undefined) return demoOrg(integration.publicKeyPem, existing.private_key_pem);
  }
  const { publicKey, privateKey } = demoKeyPair();
  db.transaction(() => {
    createOrg(db, partnerOrgId, 'Partner Org');
    createDirectory(db, partnerOrgId, 'Partner SSO', 'federated', ['partner.example.org']);
    createOrg(db, demoOrgId, 'Example Org');
    createDirectory(db, demoOrgId, 'Example Enterprise', 'enterprise', ['example.com']);
    createDirectory(db, demoOrgId, 'Example SSO', 'federated', ['fed.example.com']);
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
    const link = statement(db, 'INSERT INTO usergroup_profiles (usergroup_id, profile_id) VALUES (?, ?)');
    const id = (name: string): number => findGroup(db, demoOrgId, name)?.id ?? 0;
    link.run(id('Designers'), id('Creative Cloud 1'));
    link.run(id('Developers'), id('Document Cloud 1'));
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
  })();
  return demoOrg(publicKey, privateKey);
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

/** Deterministic PRNG (mulberry32) so seeded orgs are reproducible. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Adds `count` users spread over the org's user groups/profiles, fast (one transaction, prepared statements; 200 000 in seconds). */
export function seedUsers(db: Db, orgId: string, count: number, options?: { seed?: number }): void {
  if (!Number.isInteger(count) || count < 0)
    throw new Error(`seedUsers: count must be a non-negative integer, got ${count}`);
  const next = random(options?.seed ?? 1);
  const domains = statement(
    db,
    `SELECT d.name, r.type FROM domains d JOIN directories r ON r.id = d.directory_id WHERE d.org_id = ? ORDER BY d.name`,
  ).all(orgId) as Array<{ name: string; type: 'enterprise' | 'federated' }>;
  if (domains.length === 0)
    throw new Error(`seedUsers: org ${orgId} has no claimed domain to create users in`);
  const groupIds = statement(
    db,
    "SELECT id FROM groups WHERE org_id = ? AND type IN ('USER_GROUP', 'PRODUCT_PROFILE') AND is_read_only = 0 ORDER BY id",
  )
    .pluck()
    .all(orgId) as number[];
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
  const start = statement(db, 'SELECT COALESCE(MAX(id), 0) FROM users').pluck().get() as number;
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  db.transaction(() => {
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
  })();
}
