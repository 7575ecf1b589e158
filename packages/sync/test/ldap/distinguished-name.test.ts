import { describe, expect, it } from 'vitest';
import { normalizeDn } from '../../src/sources/ldap/distinguished-name.js';

describe('normalizeDn', () => {
  it('gives every spelling of one DN the same text', () => {
    const spellings = [
      'CN=Ann Smith,OU=People,DC=Example,DC=Com',
      'cn=ann smith,ou=people,dc=example,dc=com',
      'CN=Ann Smith, OU=People, DC=Example, DC=Com',
      'CN = Ann Smith ,OU= People,DC =Example;DC=Com',
      ' CN=Ann Smith,OU=People,DC=Example,DC=Com ',
    ];
    expect(new Set(spellings.map(normalizeDn))).toEqual(
      new Set(['cn=ann smith,ou=people,dc=example,dc=com']),
    );
  });

  it('keeps escapes and multi-valued RDNs, with their spaces dropped', () => {
    expect(normalizeDn('CN=Smith\\, Ann,OU=People')).toBe('cn=smith\\, ann,ou=people');
    expect(normalizeDn('CN=Ann + UID=ann,OU=People')).toBe('cn=ann+uid=ann,ou=people');
    expect(normalizeDn('UID=ann+CN=Ann,DC=x')).toBe('uid=ann+cn=ann,dc=x');
  });
});
