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
