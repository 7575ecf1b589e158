import { ValidationError } from '@umapi-kit/client';
import { UsageError } from '../cli/cli-errors.js';

/**
 * The CLI's name for each field a client builder may complain about, keyed by the last part of the builder's
 * field path without its index: `createEnterpriseID.firstname` → `firstname`, `addToGroups[2]` → `addToGroups`.
 */
export type FieldNames = Readonly<Record<string, string>>;

/** A builder's complaint in the CLI's words: the flag, argument or column, and what is wrong with it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/**
 * Renames the field of a builder's `ValidationError` to the CLI's name for it (list positions counted from 1, as
 * the CLI shows them), with the error's own words after the field: `createFederatedID.country must be exactly 2
 * ...` becomes `{ field: '--country', message: 'must be exactly 2 ...' }`.
 */
export function fieldProblem(error: ValidationError, names: FieldNames): FieldProblem {
  const name = names[error.field] ?? (error.path === '' ? '(input)' : error.path);
  const field = error.index === undefined ? name : `${name}[${String(error.index + 1)}]`;
  return { field, message: error.detail };
}

/**
 * Runs a builder call. A `ValidationError` becomes a `UsageError` (exit 2) naming the CLI's flag or argument,
 * with the hints given for that name; anything else passes through.
 */
export function buildOrUsage<T>(
  names: FieldNames,
  build: () => T,
  hints: Readonly<Record<string, readonly string[]>> = {},
): T {
  try {
    return build();
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    const problem = fieldProblem(error, names);
    throw new UsageError(`${problem.field}: ${problem.message}`, hints[problem.field] ?? []);
  }
}
