import { describe, expect, it } from 'vitest';
import { checkUserFields, parseIdentityType, UserAction, ValidationError } from '@umapi-kit/client';
import { COUNTRY_CODE_COUNT } from '../../src/actions/country-codes.js';

describe('checkUserFields', () => {
  it('reports every problem of a row at once, in field order, with its rule', () => {
    const problems = checkUserFields(
      'federatedID',
      {
        email: `${'j'.repeat(51)}@example.com`,
        firstname: ' ',
        lastname: 'x'.repeat(251),
        country: 'usa',
      },
      'create',
    );
    expect(problems.map((p) => [p.field, p.rule])).toEqual([
      ['email', 'length'],
      ['firstname', 'required'],
      ['lastname', 'length'],
      ['country', 'format'],
    ]);
    expect(problems[0]?.detail).toBe(
      `must be at most 60 characters, got 63: "${'j'.repeat(51)}@example.com"`,
    );
  });

  it('adds the fields each identity type needs only when creating', () => {
    const required = (type: Parameters<typeof checkUserFields>[0]) =>
      checkUserFields(type, { user: 'jdoe@example.com' }, 'create').map((p) => p.field);
    expect(required('adobeID')).toEqual([]);
    expect(required('enterpriseID')).toEqual(['firstname', 'lastname']);
    expect(required('federatedID')).toEqual(['firstname', 'lastname', 'country']);
    expect(checkUserFields('federatedID', { user: 'jdoe@example.com' })).toEqual([]);
  });

  it('knows the addressing rules: a username needs a domain, an email refuses one', () => {
    expect(checkUserFields(undefined, { user: 'jdoe' })).toMatchObject([
      { field: 'domain', rule: 'required' },
    ]);
    expect(checkUserFields(undefined, { user: 'jdoe', domain: 'example.com' })).toEqual([]);
    expect(checkUserFields(undefined, { user: 'jdoe@example.com', domain: 'example.com' })).toMatchObject([
      { field: 'domain', rule: 'not-allowed' },
    ]);
    expect(checkUserFields(undefined, { user: 'jdoe', domain: 'not a domain' })).toMatchObject([
      { field: 'domain', rule: 'format' },
    ]);
  });

  it('refuses a two-letter country that ISO 3166 has not assigned, before anything is sent', () => {
    const [problem, ...others] = checkUserFields(undefined, { country: 'ZZ' });
    expect(others).toEqual([]);
    expect([problem?.field, problem?.rule]).toEqual(['country', 'format']);
    expect(problem?.detail).toContain('"ZZ" is not an ISO-3166 country code');
    expect(checkUserFields(undefined, { country: 'UK' })).toHaveLength(1);
    // UD: Adobe's "undefined" country, which Enterprise IDs get without one.
    for (const code of ['US', 'GB', 'DE', 'AX', 'ZW', 'SS', 'CW', 'UD']) {
      expect(checkUserFields(undefined, { country: code })).toEqual([]);
    }
    expect(COUNTRY_CODE_COUNT).toBe(249);
  });

  it('refuses control characters in any field and a country on update', () => {
    expect(checkUserFields(undefined, { firstname: 'Jane\nDoe', lastname: 'a\u0000' })).toMatchObject([
      { field: 'firstname', rule: 'format' },
      { field: 'lastname', rule: 'format' },
    ]);
    expect(checkUserFields(undefined, { country: 'US' }, 'update')).toMatchObject([
      { field: 'country', rule: 'not-allowed' },
    ]);
  });

  it('is the rule the builders throw on: the first problem, with its path', () => {
    let error: unknown;
    try {
      UserAction.create('federatedID', 'j@example.com', { firstname: 'J', lastname: 'D', country: 'usa' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ path: 'createFederatedID.country', rule: 'format' });
    expect((error as ValidationError).detail).toBe(
      checkUserFields('federatedID', { country: 'usa' })[0]?.detail,
    );
    expect((error as Error).message).toBe(`createFederatedID.country ${(error as ValidationError).detail}`);
  });
});

describe('parseIdentityType', () => {
  it.each([
    ['federatedID', 'federatedID'],
    ['federatedid', 'federatedID'],
    ['Federated', 'federatedID'],
    ['federated_id', 'federatedID'],
    ['ENTERPRISE', 'enterpriseID'],
    ['enterprise-ID', 'enterpriseID'],
    ['adobeId', 'adobeID'],
    ['adobe', 'adobeID'],
  ])('reads %s as %s', (text, type) => {
    expect(parseIdentityType(text)).toBe(type);
  });

  it('refuses anything else', () => {
    expect(parseIdentityType('google')).toBeUndefined();
    expect(parseIdentityType('')).toBeUndefined();
  });
});
