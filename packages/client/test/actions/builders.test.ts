import { describe, expect, it } from 'vitest';
import { GroupAction, UserAction, ValidationError } from '@umapi-kit/client';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).path;
  }
  throw new Error('expected a ValidationError');
}

describe('UserAction', () => {
  it('builds the email-shaped Federated ID create with ignoreIfAlreadyExists by default', () => {
    const action = new UserAction('jdoe@example.com')
      .createFederatedId({ firstname: 'John', lastname: 'Doe', country: 'US' })
      .addToGroups(['A', 'B']);
    expect(action.toWire()).toEqual({
      user: 'jdoe@example.com',
      do: [
        {
          createFederatedID: {
            email: 'jdoe@example.com',
            firstname: 'John',
            lastname: 'Doe',
            country: 'US',
            option: 'ignoreIfAlreadyExists',
          },
        },
        { add: { group: ['A', 'B'] } },
      ],
    });
  });

  it('builds the username + domain and the SSO-username Federated shapes', () => {
    const byUsername = new UserAction('jdoe', { domain: 'example.com', requestId: 'r1' }).createFederatedId({
      email: 'jdoe@example.com',
      firstname: 'J',
      lastname: 'D',
      country: 'DE',
      option: 'updateIfAlreadyExists',
    });
    expect(byUsername.toWire()).toMatchObject({
      user: 'jdoe',
      domain: 'example.com',
      requestID: 'r1',
      do: [{ createFederatedID: { email: 'jdoe@example.com', option: 'updateIfAlreadyExists' } }],
    });
    const sso = new UserAction('sso.name@example.com').createFederatedId({
      email: 'other@example.com',
      firstname: 'F',
      lastname: 'L',
      country: 'US',
    });
    expect(sso.toWire()).toMatchObject({
      user: 'sso.name@example.com',
      do: [{ createFederatedID: { email: 'other@example.com' } }],
    });
  });

  it('sends no option when the caller wants the API default (error if it exists)', () => {
    const wire = new UserAction('a@example.com')
      .createEnterpriseId({ firstname: 'A', lastname: 'B', option: 'errorIfAlreadyExists' })
      .toWire();
    expect(wire.do[0]).toEqual({
      createEnterpriseID: { email: 'a@example.com', firstname: 'A', lastname: 'B' },
    });
  });

  it('marks Adobe IDs with useAdobeID, by static helpers too', () => {
    expect(UserAction.forAdobeId('a@example.com').addToGroups(['P']).toWire().useAdobeID).toBe(true);
    const created = UserAction.create('adobeID', 'a@example.com', { country: 'US' }).toWire();
    expect(created).toEqual({
      user: 'a@example.com',
      useAdobeID: true,
      do: [{ addAdobeID: { email: 'a@example.com', country: 'US', option: 'ignoreIfAlreadyExists' } }],
    });
  });

  it('builds update, remove from groups, remove all and removeFromOrg', () => {
    const wire = new UserAction('a@example.com')
      .update({ email: 'b@example.com', firstname: 'B' })
      .removeFromGroups(['X'])
      .removeFromAllGroups()
      .removeFromOrg({ deleteAccount: true })
      .toWire();
    expect(wire.do).toEqual([
      { update: { email: 'b@example.com', firstname: 'B' } },
      { remove: { group: ['X'] } },
      { remove: 'all' },
      { removeFromOrg: { deleteAccount: true } },
    ]);
  });

  it('refuses what the server would reject, naming the field', () => {
    expect(fieldOf(() => new UserAction('jdoe'))).toBe('domain');
    expect(fieldOf(() => new UserAction('jdoe@example.com', { domain: 'example.com' }))).toBe('domain');
    expect(
      fieldOf(() =>
        new UserAction('a@example.com')
          .addToGroups(['A'])
          .createEnterpriseId({ firstname: 'a', lastname: 'b' }),
      ),
    ).toBe('createEnterpriseID');
    const created = new UserAction('a@example.com').createAdobeId();
    expect(fieldOf(() => created.createAdobeId())).toBe('addAdobeID');
    const removed = new UserAction('a@example.com').removeFromOrg();
    expect(fieldOf(() => removed.addToGroups(['A']))).toBe('addToGroups');
    expect(fieldOf(() => removed.removeFromOrg())).toBe('removeFromOrg');
    const long = `${'x'.repeat(50)}@example.com`;
    expect(fieldOf(() => new UserAction(long).createAdobeId())).toBe('addAdobeID.email');
    expect(fieldOf(() => new UserAction('a@example.com').update({ email: 'not-an-email' }))).toBe(
      'update.email',
    );
    expect(
      fieldOf(() =>
        new UserAction('a@example.com').createFederatedId({ firstname: 'a', lastname: 'b', country: 'us' }),
      ),
    ).toBe('createFederatedID.country');
    expect(
      fieldOf(() => new UserAction('a@example.com').createFederatedId({ firstname: 'a', lastname: 'b' })),
    ).toBe('createFederatedID.country');
    expect(
      fieldOf(() =>
        new UserAction('a@example.com').createEnterpriseId({ firstname: 'x'.repeat(251), lastname: 'b' }),
      ),
    ).toBe('createEnterpriseID.firstname');
    expect(
      fieldOf(() =>
        new UserAction('jdoe', { domain: 'example.com' }).createFederatedId({
          firstname: 'a',
          lastname: 'b',
          country: 'US',
        }),
      ),
    ).toBe('createFederatedID.email');
    expect(fieldOf(() => new UserAction('a@example.com').update({ country: 'US' } as never))).toBe(
      'update.country',
    );
    expect(fieldOf(() => new UserAction('a@example.com').addToGroups(['_org_admin']))).toBe('addToGroups[0]');
    expect(fieldOf(() => new UserAction('a@example.com').addToGroups(['A', ' ']))).toBe('addToGroups[1]');
    expect(fieldOf(() => new UserAction('a@example.com').toWire())).toBe('do');
  });
});

describe('GroupAction', () => {
  it('builds create, update, memberships and delete', () => {
    const wire = new GroupAction('DevOps', { requestId: 'g1' })
      .create({ description: 'Ops people' })
      .update({ description: 'Ops' })
      .addUsers(['a@example.com'])
      .removeUsers(['b@example.com'])
      .addProfiles(['P1'])
      .removeProfiles(['P2'])
      .delete()
      .toWire();
    expect(wire).toEqual({
      usergroup: 'DevOps',
      requestID: 'g1',
      do: [
        { createUserGroup: { name: 'DevOps', description: 'Ops people', option: 'ignoreIfAlreadyExists' } },
        { updateUserGroup: { description: 'Ops' } },
        { add: { user: ['a@example.com'] } },
        { remove: { user: ['b@example.com'] } },
        { add: { productConfiguration: ['P1'] } },
        { remove: { productConfiguration: ['P2'] } },
        { deleteUserGroup: {} },
      ],
    });
  });

  it('checks names on create and rename only', () => {
    expect(new GroupAction('_admin_DevOps').addUsers(['a@example.com']).toWire().usergroup).toBe(
      '_admin_DevOps',
    );
    expect(fieldOf(() => new GroupAction('_hidden').create())).toBe('usergroup');
    expect(fieldOf(() => new GroupAction('x'.repeat(256)).create())).toBe('usergroup');
    expect(fieldOf(() => new GroupAction('A').update({ name: '_b' }))).toBe('updateUserGroup.name');
    expect(fieldOf(() => new GroupAction(''))).toBe('usergroup');
    expect(fieldOf(() => new GroupAction('A').addUsers([]).toWire())).toBe('addUsers');
    expect(fieldOf(() => new GroupAction('A').addUsers(['nope']))).toBe('addUsers[0]');
    expect(fieldOf(() => new GroupAction('A').addUsers(['a@example.com']).create())).toBe('createUserGroup');
    expect(fieldOf(() => new GroupAction('A').delete().addProfiles(['P']))).toBe('addProfiles');
  });
});
