import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LDAP_DEFAULTS,
  LdapSource,
  LdapSourceError,
  loadDirectory,
  type DirectoryUser,
  type LdapSourceOptions,
} from '@umapi-kit/sync';
import {
  startSlapd,
  SLAPD_ADMIN_DN,
  SLAPD_ADMIN_PASSWORD,
  SLAPD_READER_DN,
  SLAPD_READER_PASSWORD,
  type Slapd,
} from '../../../../test-support/slapd.js';
import { bulkUid, directoryLdif, MAIN_DN } from '../../../../test-support/ldap-directory.js';

/** The LDAP source against a real slapd (Debian's OpenLDAP) started for this file on 127.0.0.1. */
const BULK = 5_200;
let slapd: Slapd | undefined;

beforeAll(async () => {
  slapd = await startSlapd({ ldif: directoryLdif({ bulk: BULK }), tls: true });
}, 60_000);
afterAll(async () => {
  await slapd?.stop();
});

function server(): Slapd {
  if (slapd === undefined) throw new Error('slapd did not start');
  return slapd;
}

function options(overrides: Partial<LdapSourceOptions> = {}): LdapSourceOptions {
  return {
    host: server().url,
    username: SLAPD_ADMIN_DN,
    password: { value: SLAPD_ADMIN_PASSWORD },
    startTls: false,
    tlsVerify: true,
    requireTlsCert: false,
    baseDn: MAIN_DN,
    searchPageSize: 100,
    allUsersFilter: '(objectClass=inetOrgPerson)',
    groupFilterFormat:
      '(&(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=posixGroup))(cn={group}))',
    groupMemberFilterFormat: LDAP_DEFAULTS.groupMemberFilterFormat,
    formats: { ...LDAP_DEFAULTS.formats, identityType: '{employeeType}' },
    stringEncoding: 'utf8',
    groups: [],
    ...overrides,
  };
}

async function read(overrides: Partial<LdapSourceOptions> = {}) {
  return loadDirectory(new LdapSource(options(overrides)));
}

function byEmail(users: DirectoryUser[], email: string): DirectoryUser {
  const user = users.find((item) => item.email.toLowerCase() === email.toLowerCase());
  if (user === undefined) throw new Error(`${email} was not read`);
  return user;
}

async function failureOf(source: LdapSource): Promise<LdapSourceError> {
  try {
    await loadDirectory(source);
  } catch (error) {
    if (error instanceof LdapSourceError) return error;
    throw error;
  }
  throw new Error('the read did not fail');
}

describe('reading users', () => {
  it('reads every user page by page (100 a page), with the templates, anchors and one row problem', async () => {
    const directory = await read();
    expect(directory.rowsRead).toBe(BULK + 5);
    expect(directory.users).toHaveLength(BULK + 4);
    expect(directory.errors).toHaveLength(1);
    expect(directory.errors[0]?.message).toMatch(
      /^uid=cy,ou=people,ou=main,dc=example,dc=com: email is missing/,
    );
    const ann = byEmail(directory.users, 'ann@example.com');
    expect(ann).toMatchObject({ firstname: 'Ann', lastname: 'Archer', country: 'US', type: 'federatedID' });
    expect(ann.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(byEmail(directory.users, 'bjorn@example.com')).toMatchObject({
      firstname: 'Björn',
      lastname: 'Öberg',
      country: 'SE',
    });
    expect(byEmail(directory.users, 'dee.dev@example.com').type).toBe('enterpriseID');
    expect(byEmail(directory.users, `${bulkUid(BULK - 1)}@example.com`).firstname).toBe(
      `User${String(BULK - 1)}`,
    );
    expect(new Set(directory.users.map((user) => user.id)).size).toBe(BULK + 4);
  });

  it('builds fields from several attributes and constant text', async () => {
    const directory = await read({
      formats: {
        ...LDAP_DEFAULTS.formats,
        email: '{uid}@corp.example.com',
        username: '{uid}',
        domain: 'corp.example.com',
      },
      allUsersFilter: '(&(objectClass=inetOrgPerson)(|(uid=ann)(uid=cy)))',
    });
    expect(directory.users.map((user) => [user.email, user.username, user.domain])).toEqual([
      ['ann@corp.example.com', 'ann', 'corp.example.com'],
      ['cy@corp.example.com', 'cy', 'corp.example.com'],
    ]);
  });
});

describe('groups', () => {
  it('two steps with nesting: member DNs in any spelling, through a cycle, once each', async () => {
    const directory = await read({
      groups: ['designers', 'contractors', 'absent'],
      twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: true },
      allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
    });
    const groups = Object.fromEntries(directory.users.map((user) => [user.email, [...user.groups].sort()]));
    expect(groups).toEqual({
      'ann@example.com': ['contractors', 'designers'],
      'bjorn@example.com': ['contractors', 'designers'],
      'Dee.Dev@Example.com': ['contractors', 'designers'],
      'eve@example.com': [],
    });
  });

  it('two steps without nesting stops at the group itself', async () => {
    const source = new LdapSource(
      options({
        groups: ['designers', 'absent'],
        twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: false },
        allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
      }),
    );
    const directory = await loadDirectory(source);
    expect(
      directory.users.filter((user) => user.groups.includes('designers')).map((user) => user.email),
    ).toEqual(['ann@example.com', 'bjorn@example.com']);
    expect(source.stats).toEqual({ users: 5, groupsFound: ['designers'], groupsMissing: ['absent'] });
  });

  it('uniqueMember and memberUid (matched to uid, any case)', async () => {
    const unique = await read({
      groups: ['reviewers'],
      twoStepsLookup: { groupMemberAttributeName: 'uniqueMember', nestedGroup: true },
      allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
    });
    expect(unique.users.filter((user) => user.groups.length > 0).map((user) => user.email)).toEqual([
      'Dee.Dev@Example.com',
      'eve@example.com',
    ]);
    const posix = await read({
      groups: ['ops'],
      twoStepsLookup: { groupMemberAttributeName: 'memberUid', nestedGroup: false },
      allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
    });
    expect(posix.users.filter((user) => user.groups.length > 0).map((user) => user.email)).toEqual([
      'ann@example.com',
      'eve@example.com',
    ]);
  });

  it('the filter way ({group_dn} in group_member_filter_format), and a group name with filter characters', async () => {
    const directory = await read({
      groups: ['designers', 'R&D (Paris)'],
      groupMemberFilterFormat: '(seeAlso={group_dn})',
      allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
    });
    expect(
      directory.users.filter((user) => user.groups.includes('designers')).map((user) => user.email),
    ).toEqual(['ann@example.com', 'bjorn@example.com']);
    const twoSteps = await read({
      groups: ['R&D (Paris)'],
      twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: false },
      allUsersFilter: '(&(objectClass=inetOrgPerson)(!(uid=user*)))',
    });
    expect(twoSteps.users.filter((user) => user.groups.length > 0).map((user) => user.email)).toEqual([
      'eve@example.com',
    ]);
  });
});

describe('TLS', () => {
  it('ldaps:// and StartTLS with the CA file read the directory', async () => {
    const filter = '(&(objectClass=inetOrgPerson)(uid=ann))';
    const ldaps = await read({
      host: server().ldapsUrl ?? '',
      caFile: server().caFile ?? '',
      allUsersFilter: filter,
    });
    expect(ldaps.users.map((user) => user.email)).toEqual(['ann@example.com']);
    const startTls = await read({ startTls: true, caFile: server().caFile ?? '', allUsersFilter: filter });
    expect(startTls.users.map((user) => user.email)).toEqual(['ann@example.com']);
  });

  it('a certificate from an unknown CA is refused (ldaps:// and StartTLS)', async () => {
    for (const overrides of [{ host: server().ldapsUrl ?? '' }, { startTls: true }]) {
      const error = await failureOf(new LdapSource(options(overrides)));
      expect(error.failure).toBe('tls');
      expect(error.message).toMatch(/not trusted.*ca_file/);
    }
  });

  it('require_tls_cert refuses to bind over plain ldap://', async () => {
    const error = await failureOf(new LdapSource(options({ requireTlsCert: true })));
    expect(error.failure).toBe('setting');
    expect(error.message).toMatch(/start_tls/);
  });
});

describe('failures abort the read', () => {
  it('a wrong password names the host and bind DN, never the password', async () => {
    const error = await failureOf(new LdapSource(options({ password: { value: 'wrong-horse-battery' } })));
    expect(error.failure).toBe('bind');
    expect(error.message).toContain(server().url);
    expect(error.message).toContain(SLAPD_ADMIN_DN);
    expect(error.message).not.toContain('wrong-horse-battery');
  });

  it('the password from an environment variable, and a variable that is not set', async () => {
    process.env['UMAPI_TEST_LDAP_PASSWORD'] = SLAPD_ADMIN_PASSWORD;
    try {
      const directory = await read({
        password: { env: 'UMAPI_TEST_LDAP_PASSWORD' },
        allUsersFilter: '(uid=ann)',
      });
      expect(directory.users).toHaveLength(1);
    } finally {
      delete process.env['UMAPI_TEST_LDAP_PASSWORD'];
    }
    const error = await failureOf(new LdapSource(options({ password: { env: 'UMAPI_TEST_LDAP_PASSWORD' } })));
    expect(error.failure).toBe('setting');
    expect(error.message).toMatch(/UMAPI_TEST_LDAP_PASSWORD, which is not set/);
  });

  it('an unreachable server', async () => {
    const { createServer } = await import('node:net');
    const server = createServer();
    const port = await new Promise<number>((resolve) => {
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : 0);
      });
    });
    await new Promise((resolve) => server.close(resolve));
    const error = await failureOf(new LdapSource(options({ host: `ldap://127.0.0.1:${String(port)}` })));
    expect(error.failure).toBe('connect');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('a continuation reference (part of the tree on another server)', async () => {
    const error = await failureOf(new LdapSource(options({ baseDn: 'dc=example,dc=com' })));
    expect(error.failure).toBe('referral');
    expect(error.message).toContain('ldap://partners.example.net/');
  });

  it('a base DN that does not exist', async () => {
    const error = await failureOf(new LdapSource(options({ baseDn: 'ou=nowhere,dc=example,dc=com' })));
    expect(error.failure).toBe('search');
    expect(error.message).toMatch(/result code 32/);
  });
});

describe('a server that stops short', () => {
  it('the size limit is an error, not a short directory', async () => {
    const limited = await startSlapd({ ldif: directoryLdif({ bulk: 300 }), sizeLimit: 250 });
    try {
      // The rootdn has no limits; an ordinary account has.
      const reader = {
        host: limited.url,
        username: SLAPD_READER_DN,
        password: { value: SLAPD_READER_PASSWORD },
      };
      const error = await failureOf(new LdapSource(options(reader)));
      expect(error.failure).toBe('limit');
      expect(error.message).toMatch(/size limit/);
    } finally {
      await limited.stop();
    }
  }, 60_000);

  it('slapd killed mid-read is an error after the rows read so far', async () => {
    const doomed = await startSlapd({ ldif: directoryLdif({ bulk: 1_000 }) });
    try {
      const source = new LdapSource(options({ host: doomed.url }));
      let rows = 0;
      let failure: unknown;
      try {
        for await (const row of source.rows()) {
          rows += 1;
          if (row.line === 150) doomed.kill();
        }
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(LdapSourceError);
      expect((failure as LdapSourceError).failure).toBe('dropped');
      expect(rows).toBeLessThan(1_005);
      expect(source.stats).toBeUndefined();
    } finally {
      await doomed.stop();
    }
  }, 60_000);
});
