import { ValidationError } from '../errors.js';
import { checkGroupList, checkUserFields, throwFirst } from './field-rules.js';
import type { Action, ActionStep, IdentityType, IfAlreadyExists, WireCommand } from './types.js';

/**
 * `option` of a create step. Creates default to `ignoreIfAlreadyExists`: a create whose answer was lost can then
 * be sent again safely (a second attempt finds the user the first one created and goes on). `errorIfAlreadyExists`
 * sends no option (the API's own default: creating an existing user is an error).
 */
export type CreateOption = IfAlreadyExists | 'errorIfAlreadyExists';

const CREATE_OPTIONS: readonly CreateOption[] = [
  'ignoreIfAlreadyExists',
  'updateIfAlreadyExists',
  'errorIfAlreadyExists',
];

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

/**
 * Builds the steps for one user (umapi-api.md §4.3). Every method checks its input with the client's field rules
 * (`checkUserFields`), throws a `ValidationError` for the first problem, and returns `this`.
 */
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
    if (typeof user !== 'string') {
      throw new ValidationError({
        path: 'user',
        rule: 'required',
        detail: 'must be a non-empty email or username',
      });
    }
    throwFirst(checkUserFields(undefined, { user, domain: options.domain }), '');
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
    const given = fields as UpdateUserFields & { country?: string };
    throwFirst(checkUserFields(undefined, given, 'update'), 'update.');
    const body: Record<string, string> = {};
    for (const key of ['email', 'username', 'firstname', 'lastname'] as const) {
      const value = fields[key];
      if (value !== undefined) body[key] = value;
    }
    if (Object.keys(body).length === 0) {
      throw new ValidationError({
        path: 'update',
        rule: 'empty',
        detail: 'needs at least one of email, username, firstname, lastname',
      });
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
      throw new ValidationError({
        path: 'do',
        rule: 'empty',
        detail: `has no steps: the action for user "${this.target}" does nothing`,
      });
    }
    const wire: WireCommand = { user: this.target, do: this.steps.map((step) => structuredClone(step)) };
    if (this.domain !== undefined) wire.domain = this.domain;
    if (this.useAdobeId) wire.useAdobeID = true;
    if (this.requestId !== undefined) wire.requestID = this.requestId;
    return wire;
  }

  private addCreate(type: IdentityType, fields: CreateUserFields): this {
    const stepName = CREATE_STEP[type];
    if (this.hasCreate) {
      throw new ValidationError({
        path: stepName,
        rule: 'order',
        detail: 'may appear once: a user action creates only once',
      });
    }
    if (this.steps.length > 0) {
      throw new ValidationError({
        path: stepName,
        rule: 'order',
        detail: 'must be the first step of the action',
      });
    }
    throwFirst(
      checkUserFields(type, { user: this.target, domain: this.domain, ...fields }, 'create'),
      `${stepName}.`,
      { user: 'user', domain: 'domain' },
    );
    const option = fields.option ?? 'ignoreIfAlreadyExists';
    if (!CREATE_OPTIONS.includes(option)) {
      throw new ValidationError({
        path: `${stepName}.option`,
        rule: 'not-allowed',
        detail: `must be one of ${CREATE_OPTIONS.join(', ')}`,
      });
    }
    const body: Record<string, string> = { email: fields.email ?? this.target };
    for (const key of ['firstname', 'lastname', 'country'] as const) {
      const value = fields[key];
      if (value !== undefined) body[key] = value;
    }
    if (option !== 'errorIfAlreadyExists') body['option'] = option;
    this.steps.push({ [stepName]: body });
    this.hasCreate = true;
    return this;
  }

  private checkNotAfterRemove(method: string): void {
    if (this.hasRemoveFromOrg) {
      throw new ValidationError({
        path: method,
        rule: 'order',
        detail: 'cannot follow removeFromOrg, which must be the last step',
      });
    }
  }
}
