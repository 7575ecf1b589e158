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

const FIELD_PATH = /^(?:.*\.)?([^.[\]]+)(?:\[(\d+)\])?$/;

/**
 * Renames the field of a builder's `ValidationError` to the CLI's name for it (list positions counted from 1, as
 * the CLI shows them) and drops the builder's own field path from the message: `createFederatedID.country must be
 * exactly 2 ...` becomes `{ field: '--country', message: 'must be exactly 2 ...' }`.
 */
export function fieldProblem(error: ValidationError, names: FieldNames): FieldProblem {
  const path = error.field ?? '';
  const match = FIELD_PATH.exec(path);
  const key = match?.[1] ?? path;
  const position = match?.[2];
  const name = names[key] ?? (path === '' ? '(input)' : path);
  const field = position === undefined ? name : `${name}[${Number(position) + 1}]`;
  let message = error.message;
  if (path !== '' && message.startsWith(`${path} `)) {
    message = message.slice(path.length + 1).replace(/^is required\b/, 'required');
  }
  return { field, message };
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
