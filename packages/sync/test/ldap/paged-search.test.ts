import { Client } from 'ldapts';
import { afterEach, describe, expect, it } from 'vitest';
import { LDAP_DEFAULTS, LdapSource, type LdapSourceOptions } from '@umapi-kit/sync';
import {
  startPageServer,
  type PageServer,
  type PagedEntry,
} from '../../../../test-support/ldap-page-server.js';

/** Pages a real server may send that slapd never does: here from a minimal LDAP server on 127.0.0.1. */
function person(uid: string): PagedEntry {
  return {
    dn: `uid=${uid},ou=people,dc=example,dc=com`,
    attributes: { mail: [`${uid}@example.com`], givenName: [uid], sn: ['Person'], c: ['US'] },
  };
}

let server: PageServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function options(url: string): LdapSourceOptions {
  return {
    ...LDAP_DEFAULTS,
    host: url,
    username: 'cn=reader,dc=example,dc=com',
    password: { value: 'not-a-real-password' },
    startTls: false,
    tlsVerify: true,
    requireTlsCert: false,
    baseDn: 'dc=example,dc=com',
    searchPageSize: 2,
    allUsersFilter: '(objectClass=inetOrgPerson)',
    formats: { email: '{mail}', givenName: '{givenName}', surname: '{sn}', countryCode: '{c}' },
    groups: [],
  };
}

describe('paged search', () => {
  // Active Directory answers with a page without entries, and a cookie, when a page's time ran out first.
  const pages = [[person('ann'), person('bob')], [], [person('cat')], []];

  it('reads past a page with no entries while the server says more are to come', async () => {
    server = await startPageServer(pages);
    const emails: string[] = [];
    for await (const row of new LdapSource(options(server.url)).rows()) {
      if (row.user !== undefined) emails.push(row.user.email);
    }
    expect(emails).toEqual(['ann@example.com', 'bob@example.com', 'cat@example.com']);
    // Each page asked for with the cookie of the one before, and none after the empty cookie.
    expect(server.cookiesReceived).toEqual(['', '1', '2', '3']);
  });

  it('is needed: ldapts’s own paged search stops at the empty page and reads 2 of the 3 users', async () => {
    server = await startPageServer(pages);
    const client = new Client({ url: server.url });
    await client.bind('cn=reader,dc=example,dc=com', 'not-a-real-password');
    let entries = 0;
    for await (const page of client.searchPaginated('dc=example,dc=com', { paged: { pageSize: 2 } })) {
      entries += page.searchEntries.length;
    }
    await client.unbind();
    expect(entries).toBe(2);
  });

  it('ends the search cleanly when the reader stops early (the page asked for ahead is settled)', async () => {
    server = await startPageServer(pages);
    const source = new LdapSource(options(server.url));
    for await (const row of source.rows()) {
      expect(row.user?.email).toBe('ann@example.com');
      break;
    }
    // Asked for the second page ahead, then stopped: no third request.
    expect(server.cookiesReceived).toEqual(['', '1']);
  });
});
