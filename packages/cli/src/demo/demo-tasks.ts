import { UserAction } from '@umapi-kit/client';
import type { Action, ExecuteResult, User } from '@umapi-kit/client';
import type { UmapiPort } from '../context/umapi-port.js';

/** One of the walkthrough's ten sample tasks, run through the real client. */
export interface DemoTask {
  title: string;
  purpose: string;
  /** The request as the walkthrough shows it (method + path, and the JSON body for writes). */
  request: string;
  run(client: UmapiPort): Promise<string>;
}

export interface DemoDomains {
  orgId: string;
  enterpriseDomain: string;
  federatedDomain: string;
}

/** A check that failed: the demo reports it and exits 1. */
export class DemoCheckError extends Error {
  override name = 'DemoCheckError';
}

function expect(condition: boolean, message: string): asserts condition {
  if (!condition) throw new DemoCheckError(message);
}

/** The entry as the walkthrough prints it: the user and its domain first, then the steps. */
function body(action: Action): string {
  const { do: steps, requestID, ...target } = action.toWire();
  const entry = requestID === undefined ? { ...target, do: steps } : { ...target, do: steps, requestID };
  return JSON.stringify([entry], null, 2);
}

async function send(client: UmapiPort, action: Action): Promise<ExecuteResult> {
  const result = await client.execute([action]);
  const outcome = result.outcomes[0];
  expect(outcome !== undefined, 'no outcome returned');
  expect(
    outcome.status === 'succeeded',
    `the server reported ${outcome.errorCode ?? 'an error'}: ${outcome.message ?? ''}`,
  );
  return result;
}

async function mustGet(client: UmapiPort, user: string, domain?: string): Promise<User> {
  const found = await client.users.get(user, domain === undefined ? {} : { domain });
  expect(found !== null, `${user} is not in the organization afterwards`);
  return found;
}

export function demoTasks(org: DemoDomains): DemoTask[] {
  const adobeId = 'walkthrough.adobeid@gmail.com';
  const enterprise = `john.doe@${org.enterpriseDomain}`;
  const federatedUser = 'jane.sso';
  const federatedEmail = `jane.sso@${org.federatedDomain}`;
  const combined = `new.hire@${org.enterpriseDomain}`;
  const userGroup = 'TestGroup1';
  const profile = 'Creative Cloud 1';

  const addAdobe = UserAction.create('adobeID', adobeId, {
    email: adobeId,
    country: 'US',
    option: 'ignoreIfAlreadyExists',
  });
  const createEnterprise = UserAction.create('enterpriseID', enterprise, {
    email: enterprise,
    firstname: 'John',
    lastname: 'Doe',
    country: 'US',
    option: 'errorIfAlreadyExists',
  });
  const createFederated = UserAction.create(
    'federatedID',
    federatedUser,
    {
      email: federatedEmail,
      firstname: 'Jane',
      lastname: 'Sso',
      country: 'US',
      option: 'errorIfAlreadyExists',
    },
    { domain: org.federatedDomain },
  );
  const update = new UserAction(federatedUser, { domain: org.federatedDomain }).update({
    firstname: 'Janet',
    lastname: 'Single-Sign-On',
  });
  const remove = new UserAction(enterprise).removeFromOrg({ deleteAccount: false });
  const createAndAdd = UserAction.create('enterpriseID', combined, {
    email: combined,
    firstname: 'New',
    lastname: 'Hire',
    country: 'US',
    option: 'errorIfAlreadyExists',
  }).addToGroups([userGroup, profile]);
  const action = `POST /v2/usermanagement/action/${org.orgId}`;

  return [
    {
      title: 'JWT token exchange',
      purpose: 'sign a JWT with the integration private key and exchange it at IMS for an access token',
      request: 'POST /ims/exchange/jwt  client_id, client_secret, jwt_token=<signed JWT>',
      async run(client) {
        const token = await client.getAccessToken();
        const { expiresAt } = token;
        expect(token.accessToken.length > 0, 'IMS returned an empty token');
        expect(expiresAt > Date.now(), 'the token is already expired');
        return `access token obtained (not shown); expires ${new Date(expiresAt).toISOString()}`;
      },
    },
    {
      title: 'Add an Adobe ID user',
      purpose: 'add an existing Adobe ID to the organization (addAdobeID)',
      request: `${action}\n${body(addAdobe)}`,
      async run(client) {
        await send(client, addAdobe);
        const user = await mustGet(client, adobeId, 'AdobeID');
        expect(user.type === 'adobeID', `expected type adobeID, got ${user.type}`);
        return `${adobeId} is in the organization as an Adobe ID`;
      },
    },
    {
      title: 'Create an Enterprise ID user',
      purpose: 'create an account owned by the organization in its claimed domain (createEnterpriseID)',
      request: `${action}\n${body(createEnterprise)}`,
      async run(client) {
        await send(client, createEnterprise);
        const user = await mustGet(client, enterprise);
        expect(user.type === 'enterpriseID', `expected type enterpriseID, got ${user.type}`);
        return `${enterprise} created: ${user.firstname ?? ''} ${user.lastname ?? ''}, ${user.country ?? ''}`;
      },
    },
    {
      title: 'Create a Federated ID user',
      purpose: 'create an SSO user identified by username + domain (createFederatedID)',
      request: `${action}\n${body(createFederated)}`,
      async run(client) {
        await send(client, createFederated);
        const user = await mustGet(client, federatedEmail);
        expect(user.type === 'federatedID', `expected type federatedID, got ${user.type}`);
        return `${federatedUser} (${org.federatedDomain}) created with email ${federatedEmail}`;
      },
    },
    {
      title: 'Update a user',
      purpose: "change the federated user's first and last name (update)",
      request: `${action}\n${body(update)}`,
      async run(client) {
        await send(client, update);
        const user = await mustGet(client, federatedEmail);
        expect(
          user.firstname === 'Janet' && user.lastname === 'Single-Sign-On',
          `names not updated: ${user.firstname ?? ''} ${user.lastname ?? ''}`,
        );
        return `${federatedEmail} is now ${user.firstname} ${user.lastname}`;
      },
    },
    {
      title: 'List user groups and product profiles',
      purpose: 'read every group of the organization, page by page',
      request: `GET /v2/usermanagement/groups/${org.orgId}/0 (then 1, 2, ... until lastPage)`,
      async run(client) {
        const groups = await client.groups.list().toArray({ all: true });
        const userGroups = groups.filter((group) => group.type === 'USER_GROUP').length;
        const profiles = groups.filter((group) => group.type === 'PRODUCT_PROFILE').length;
        expect(
          userGroups > 0 && profiles > 0,
          `expected user groups and product profiles, got ${groups.length} groups`,
        );
        expect(
          groups.some((group) => group.groupName === userGroup),
          `${userGroup} is not listed`,
        );
        return `${groups.length} groups: ${userGroups} user groups, ${profiles} product profiles, ${groups.length - userGroups - profiles} admin groups`;
      },
    },
    {
      title: 'List users',
      purpose: 'read every user of the organization, page by page',
      request: `GET /v2/usermanagement/users/${org.orgId}/0 (then 1, 2, ... until lastPage)`,
      async run(client) {
        const users = await client.users.list().toArray({ all: true });
        const emails = new Set(users.map((user) => user.email));
        for (const email of [adobeId, enterprise, federatedEmail])
          expect(emails.has(email), `${email} is missing from the list`);
        return `${users.length} users, including the three created above`;
      },
    },
    {
      title: 'List users in a group',
      purpose: `read the members of the user group ${userGroup}`,
      request: `GET /v2/usermanagement/users/${org.orgId}/0/${encodeURIComponent(userGroup)}`,
      async run(client) {
        const members = await client.users.list({ group: userGroup }).toArray({ all: true });
        expect(members.length > 0, `${userGroup} has no members`);
        expect(
          members.every((user) => user.groups === undefined || user.groups.includes(userGroup)),
          'a listed member is not in the group',
        );
        return `${members.length} member${members.length === 1 ? '' : 's'}: ${members.map((user) => user.email).join(', ')}`;
      },
    },
    {
      title: 'Remove a user from the organization',
      purpose: 'remove the Enterprise user created above (removeFromOrg)',
      request: `${action}\n${body(remove)}`,
      async run(client) {
        await send(client, remove);
        const user = await client.users.get(enterprise);
        expect(user === null, `${enterprise} is still in the organization`);
        return `${enterprise} removed`;
      },
    },
    {
      title: 'Create a user and add it to a user group and a product profile',
      purpose: 'createEnterpriseID and add to groups in ONE command entry',
      request: `${action}\n${body(createAndAdd)}`,
      async run(client) {
        await send(client, createAndAdd);
        const user = await mustGet(client, combined);
        const groups = user.groups ?? [];
        expect(
          groups.includes(userGroup) && groups.includes(profile),
          `groups are ${groups.join(', ') || '(none)'}`,
        );
        return `${combined} created and in ${userGroup} and ${profile}`;
      },
    },
  ];
}
