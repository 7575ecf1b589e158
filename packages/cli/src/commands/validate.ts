import { UsageError } from '../cli/cli-errors.js';

/**
 * A value that must be one of a flag's or column's choices. (Field rules — emails, names, countries, users and
 * domains — are the client's: its builders check them, and `builder-errors.ts` names the flag or column.)
 */
export function checkChoice<T extends string>(
  value: string | undefined,
  choices: readonly T[],
  field: string,
): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) {
    throw new UsageError(`${field}: expected one of ${choices.join(', ')}, got '${value}'`);
  }
  return value as T;
}
