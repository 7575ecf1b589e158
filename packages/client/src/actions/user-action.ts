import { ValidationError } from '../errors.js';
import type { Action, ActionStep, IdentityType, IfAlreadyExists, WireCommand } from './types.js';
import { checkCountry, checkEmail, checkGroupList, checkName, isEmail, MAX_NAME_LENGTH } from './validate.js';

/**
 * `option` of a create step. Creates default to `ignoreIfAlreadyExists`: the transport re-sends a create whose
 * answer was lost (timeout, 502/503/504), and without the option that second attempt would fail with "already
 * exists" for a user the first attempt created. `errorIfAlreadyExists` sends no option (the API's own default:
 * creating an existing user is an error).
 */
export type CreateOption = IfAlreadyExists | 'errorIfAlreadyExists';

export interface CreateUserFields {
  /** Defaults to the user string when it is an email. */
  email?: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  option?: CreateOption;
}

export interface UpdateUserFields {
  email?: string;
  username?: string;
  firstname?: string;
  lastname?: string;
  /** Not updatable: present only so that the error can say so. */
  country?: never;
}

export interface UserActionOptions {
  /** Required when `user` is not an email (a Federated username); refused otherwise. */
  domain?: string;
  /** `user` names an existing Adobe ID even if an Enterprise/Federated ID of that name exists. */
  useAdobeId?: boolean;
  requestId?: string;
}

const CREATE_STEP: Record<IdentityType, string> = {
  adobeID: 'addAdobeID',
  enterpriseID: 'createEnterpriseID',
  federatedID: 'createFederatedID',
};

/** Builds the steps for one user (umapi-api.md §4.3). Every method checks its input and returns `this`. */
export class UserAction implements Action {
  readonly kind = 'user';
  readonly target: string;
  readonly requestId: string | undefined;
  readonly domain: string | undefined;
  private useAdobeId: boolean;
  private readonly steps: ActionStep[] = [];
  private hasCreate = false;
  private hasRemoveFromOrg = false;

  constructor(user: string, options: UserActionOptions = {}) {
    if (typeof user !== 'string' || user.trim() === '') {
      throw new ValidationError('user must be a non-empty email or username', 'user');
    }
    if (user.length > MAX_NAME_LENGTH) {
      throw new ValidationError(
        `user must be at most ${MAX_NAME_LENGTH} characters, got ${user.length}`,
        'user',
      );
    }
    const email = isEmail(user);
    if (options.domain !== undefined) {
      if (email) {
        throw new ValidationError(
          `domain may only be given when user is a username, not an email ("${user}")`,
          'domain',
        );
      }
      if (options.domain.trim() === '' || options.domain.length > MAX_NAME_LENGTH) {
        throw new ValidationError(
          `domain must be a domain name like example.com, got "${options.domain}"`,
          'domain',
        );
      }
    } else if (!email) {
      throw new ValidationError(
        `user "${user}" is not an email, so it needs { domain } (the Federated ID's domain)`,
        'domain',
      );
    }
    this.target = user;
    this.domain = options.domain;
    this.useAdobeId = options.useAdobeId ?? false;
    this.requestId = options.requestId;
  }

  /** `new UserAction(user, { useAdobeId: true })`. */
  static forAdobeId(user: string, options: Omit<UserActionOptions, 'useAdobeId'> = {}): UserAction {
    return new UserAction(user, { ...options, useAdobeId: true });
  }

  /** A user action whose first step creates the account of the given type. */
  static create(
    type: IdentityType,
    user: string,
    fields: CreateUserFields = {},
    options: UserActionOptions = {},
  ): UserAction {
    const action = new UserAction(user, options);
    if (type === 'adobeID') return action.createAdobeId(fields);
    if (type === 'enterpriseID') return action.createEnterpriseId(fields);
    return action.createFederatedId(fields);
  }

  createAdobeId(fields: CreateUserFields = {}): this {
    this.useAdobeId = true;
    return this.addCreate('adobeID', fields);
  }

  createEnterpriseId(fields: CreateUserFields): this {
    return this.addCreate('enterpriseID', fields);
  }

  createFederatedId(fields: CreateUserFields): this {
    return this.addCreate('federatedID', fields);
  }

  update(fields: UpdateUserFields): this {
    this.checkNotAfterRemove('update');
    if ('country' in fields) {
      throw new ValidationError(
        'update.country: country cannot be updated through the API',
        'update.country',
      );
    }
    const body: Record<string, string> = {};
    if (fields.email !== undefined) {
      checkEmail(fields.email, 'update.email');
      body['email'] = fields.email;
    }
    if (fields.username !== undefined) {
      checkName(fields.username, 'update.username');
      body['username'] = fields.username;
    }
    if (fields.firstname !== undefined) {
      checkName(fields.firstname, 'update.firstname');
      body['firstname'] = fields.firstname;
    }
    if (fields.lastname !== undefined) {
      checkName(fields.lastname, 'update.lastname');
      body['lastname'] = fields.lastname;
    }
    if (Object.keys(body).length === 0) {
      throw new ValidationError(
        'update needs at least one of email, username, firstname, lastname',
        'update',
      );
    }
    this.steps.push({ update: body });
    return this;
  }

  addToGroups(groups: string[]): this {
    this.checkNotAfterRemove('addToGroups');
    checkGroupList(groups, 'addToGroups');
    this.steps.push({ add: { group: [...groups] } });
    return this;
  }

  removeFromGroups(groups: string[]): this {
    this.checkNotAfterRemove('removeFromGroups');
    checkGroupList(groups, 'removeFromGroups');
    this.steps.push({ remove: { group: [...groups] } });
    return this;
  }

  /** `{ remove: "all" }`: every profile, user group and admin role (except `_org_admin`). */
  removeFromAllGroups(): this {
    this.checkNotAfterRemove('removeFromAllGroups');
    this.steps.push({ remove: 'all' });
    return this;
  }

  /** Must be the last step. `deleteAccount` also deletes an Enterprise/Federated account the org owns. */
  removeFromOrg(options: { deleteAccount?: boolean } = {}): this {
    this.checkNotAfterRemove('removeFromOrg');
    this.steps.push({ removeFromOrg: { deleteAccount: options.deleteAccount ?? false } });
    this.hasRemoveFromOrg = true;
    return this;
  }

  toWire(): WireCommand {
    if (this.steps.length === 0) {
      throw new ValidationError(`The action for user "${this.target}" has no steps`, 'do');
    }
    const wire: WireCommand = { user: this.target, do: this.steps.map((step) => structuredClone(step)) };
    if (this.domain !== undefined) wire.domain = this.domain;
    if (this.useAdobeId) wire.useAdobeID = true;
    if (this.requestId !== undefined) wire.requestID = this.requestId;
    return wire;
  }

  private addCreate(type: IdentityType, fields: CreateUserFields): this {
    const stepName = CREATE_STEP[type];
    if (this.hasCreate)
      throw new ValidationError(`${stepName}: a user action may create only once`, stepName);
    if (this.steps.length > 0) {
      throw new ValidationError(
        `${stepName}: the create step must be the first step of the action`,
        stepName,
      );
    }
    const email = fields.email ?? (isEmail(this.target) ? this.target : undefined);
    if (email === undefined) {
      throw new ValidationError(
        `${stepName}.email is required when user is not an email`,
        `${stepName}.email`,
      );
    }
    checkEmail(email, `${stepName}.email`);
    const body: Record<string, string> = { email };
    const needsNames = type !== 'adobeID';
    for (const key of ['firstname', 'lastname'] as const) {
      const value = fields[key];
      if (value === undefined) {
        if (needsNames) throw new ValidationError(`${stepName}.${key} is required`, `${stepName}.${key}`);
        continue;
      }
      checkName(value, `${stepName}.${key}`);
      body[key] = value;
    }
    if (fields.country !== undefined) {
      checkCountry(fields.country, `${stepName}.country`);
      body['country'] = fields.country;
    } else if (type === 'federatedID') {
      throw new ValidationError(
        `${stepName}.country is required (2 letters, e.g. "US")`,
        `${stepName}.country`,
      );
    }
    const option = fields.option ?? 'ignoreIfAlreadyExists';
    if (
      !(['ignoreIfAlreadyExists', 'updateIfAlreadyExists', 'errorIfAlreadyExists'] as unknown[]).includes(
        option,
      )
    ) {
      throw new ValidationError(
        `${stepName}.option must be ignoreIfAlreadyExists, updateIfAlreadyExists or errorIfAlreadyExists`,
        `${stepName}.option`,
      );
    }
    if (option !== 'errorIfAlreadyExists') body['option'] = option;
    this.steps.push({ [stepName]: body });
    this.hasCreate = true;
    return this;
  }

  private checkNotAfterRemove(method: string): void {
    if (this.hasRemoveFromOrg) {
      throw new ValidationError(
        `${method}: removeFromOrg must be the last step, nothing may follow it`,
        method,
      );
    }
  }
}
