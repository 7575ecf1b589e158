/** A documented per-entry failure: stops the entry and becomes one `errors[]` item. */
export class StepFailure extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'StepFailure';
  }
}

export function fail(errorCode: string, message: string): never {
  throw new StepFailure(errorCode, message);
}

/** Fails with a read-only code: the user group belongs to another org (shared with this one). */
export function failReadOnly(errorCode: string, groupName: string): never {
  fail(errorCode, `Usergroup is owned by another org and readonly: ${groupName}`);
}

/** The read-only code for adding users to (or removing them from) a shared user group. */
export function membersReadOnlyCode(verb: 'add' | 'remove'): string {
  return verb === 'add'
    ? 'error.usergroup.readonly.add_user_not_allowed'
    : 'error.usergroup.readonly.remove_user_not_allowed';
}

/** A list of names in an add/remove step: an array of at most 10 (PYCLIENT splits longer ones, §12 item 11). */
export function checkNameList(value: unknown, key: string): unknown[] {
  if (!Array.isArray(value))
    fail('error.command.add_remove.list_not_array', `The ${key} list must be an array`);
  if (value.length > 10) {
    fail('error.command.add_remove.list_too_long', `Too many names in ${key} list: ${value.length}, max 10`);
  }
  return value as unknown[];
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const emailPattern =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\.[A-Za-z]{2,}$/;

export function looksLikeEmail(value: string): boolean {
  return value.includes('@');
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}

/** email ≤ 60 chars and a plausible address, else `error.user.email.invalid`. */
export function checkEmail(value: unknown, field = 'email'): string {
  if (typeof value !== 'string')
    fail('error.command.create.string_expected', `String expected for field: ${field}`);
  if (value.length > 60) fail('error.user.email.invalid', `Email too long (max 60 characters): ${value}`);
  if (!emailPattern.test(value)) fail('error.user.email.invalid', `Invalid email address: ${value}`);
  return value;
}

export function checkName(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string')
    fail('error.command.create.string_expected', `String expected for field: ${field}`);
  if (value.length > 250) {
    fail('error.command.string.too_long', `String too long in command for field: ${field}, max length 250`);
  }
  return value;
}
