import { describe, expect, it } from 'vitest';
import { checkCountry, checkEmail, checkName, isEmail, UserAction, ValidationError } from '@umapi-kit/client';

/** The field a rule names when it refuses the value, or undefined when it accepts it. */
function refusedField(rule: (value: string, field: string) => unknown, value: string, field: string) {
  try {
    rule(value, field);
  } catch (error) {
    if (error instanceof ValidationError) return error.field;
    throw error;
  }
  return undefined;
}

describe('exported field rules', () => {
  it('are the rules the builders apply, naming the field the caller gives', () => {
    expect(isEmail('jdoe@example.com')).toBe(true);
    expect(isEmail('jdoe@')).toBe(false);
    expect(refusedField(checkEmail, 'jdoe@', 'row 3 email')).toBe('row 3 email');
    expect(refusedField(checkEmail, `${'a'.repeat(50)}@example.com`, 'email')).toBe('email');
    expect(refusedField(checkEmail, 'jdoe@example.com', 'email')).toBeUndefined();
    expect(refusedField(checkName, '', 'firstname')).toBe('firstname');
    expect(refusedField(checkName, 'x'.repeat(251), 'lastname')).toBe('lastname');
    expect(refusedField(checkCountry, 'usa', 'country')).toBe('country');
    expect(refusedField(checkCountry, 'US', 'country')).toBeUndefined();
    // The country the rule refuses, the builder refuses too.
    const build = (country: string) =>
      UserAction.create('federatedID', 'j@example.com', { firstname: 'J', lastname: 'D', country });
    expect(refusedField(build, 'usa', 'country')).toBe('createFederatedID.country');
  });
});
