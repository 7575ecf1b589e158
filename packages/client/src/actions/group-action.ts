import { ValidationError } from '../errors.js';
import type { Action, ActionStep, IfAlreadyExists, WireCommand } from './types.js';
import type { CreateOption } from './user-action.js';
import { checkUserFields, checkUserGroupName, throwFirst } from './field-rules.js';

export interface CreateGroupFields {
  description?: string;
  /** Default `ignoreIfAlreadyExists`, so that a create re-sent after a lost answer does not fail. */
  option?: CreateOption;
}

/** Builds the steps for one user group (umapi-api.md §4.4). Every method checks its input and returns `this`. */
export class GroupAction implements Action {
  readonly kind = 'usergroup';
  readonly target: string;
  readonly requestId: string | undefined;
  private readonly steps: ActionStep[] = [];
  private deleted = false;

  /** `name` may be any existing group (system groups included); it is only checked on create and rename. */
  constructor(name: string, options: { requestId?: string } = {}) {
    if (typeof name !== 'string' || name.trim() === '') {
      throw new ValidationError({
        path: 'usergroup',
        rule: 'required',
        detail: 'must be a non-empty group name',
      });
    }
    this.target = name;
    this.requestId = options.requestId;
  }

  create(fields: CreateGroupFields = {}): this {
    if (this.steps.length > 0) {
      throw new ValidationError({
        path: 'createUserGroup',
        rule: 'order',
        detail: 'must be the first and only create step',
      });
    }
    checkUserGroupName(this.target, 'usergroup');
    const body: Record<string, string> = { name: this.target };
    if (fields.description !== undefined) body['description'] = fields.description;
    const option: CreateOption = fields.option ?? 'ignoreIfAlreadyExists';
    if (option !== 'errorIfAlreadyExists') body['option'] = option satisfies IfAlreadyExists;
    this.steps.push({ createUserGroup: body });
    return this;
  }

  update(fields: { name?: string; description?: string }): this {
    this.checkNotDeleted('update');
    const body: Record<string, string> = {};
    if (fields.name !== undefined) {
      checkUserGroupName(fields.name, 'updateUserGroup.name');
      body['name'] = fields.name;
    }
    if (fields.description !== undefined) body['description'] = fields.description;
    if (Object.keys(body).length === 0) {
      throw new ValidationError({
        path: 'updateUserGroup',
        rule: 'empty',
        detail: 'needs a name or a description',
      });
    }
    this.steps.push({ updateUserGroup: body });
    return this;
  }

  /** Deletes the group; nothing may follow. */
  delete(): this {
    this.checkNotDeleted('delete');
    this.steps.push({ deleteUserGroup: {} });
    this.deleted = true;
    return this;
  }

  addUsers(emails: string[]): this {
    return this.membership('add', 'user', emails);
  }

  removeUsers(emails: string[]): this {
    return this.membership('remove', 'user', emails);
  }

  addProfiles(names: string[]): this {
    return this.membership('add', 'productConfiguration', names);
  }

  removeProfiles(names: string[]): this {
    return this.membership('remove', 'productConfiguration', names);
  }

  toWire(): WireCommand {
    if (this.steps.length === 0) {
      throw new ValidationError({
        path: 'do',
        rule: 'empty',
        detail: `has no steps: the action for user group "${this.target}" does nothing`,
      });
    }
    const wire: WireCommand = { usergroup: this.target, do: this.steps.map((step) => structuredClone(step)) };
    if (this.requestId !== undefined) wire.requestID = this.requestId;
    return wire;
  }

  private membership(verb: 'add' | 'remove', key: 'user' | 'productConfiguration', values: string[]): this {
    const method = `${verb}${key === 'user' ? 'Users' : 'Profiles'}`;
    this.checkNotDeleted(method);
    if (values.length === 0) {
      throw new ValidationError({ path: method, rule: 'empty', detail: 'needs at least one name' });
    }
    values.forEach((value, i) => {
      if (key === 'user')
        throwFirst(checkUserFields(undefined, { email: value }), '', { email: `${method}[${i}]` });
      else if (typeof value !== 'string' || value.trim() === '') {
        throw new ValidationError({
          path: `${method}[${i}]`,
          rule: 'required',
          detail: 'must be a non-empty profile name',
        });
      }
    });
    this.steps.push({ [verb]: { [key]: [...values] } });
    return this;
  }

  private checkNotDeleted(method: string): void {
    if (this.deleted) {
      throw new ValidationError({
        path: method,
        rule: 'order',
        detail: 'cannot follow delete(), which must be the last step',
      });
    }
  }
}
