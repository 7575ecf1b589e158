import type { Db } from '../store/database.js';
import { orgExists } from '../store/orgs.js';
import { inDiscardedSavepoint, inTransaction } from '../store/transactions.js';
import { badOrganization, requestFailure, type EngineResponse } from './engine-response.js';
import type { EntryContext } from './entry-context.js';
import { isObject, StepFailure, type JsonObject } from './step-failure.js';
import { runUserEntry } from './user-entry.js';
import { runUsergroupEntry } from './usergroup-entry.js';

const maxEntries = 10;

interface Issue {
  index: number;
  step: number;
  requestID?: string;
  message: string;
  user?: string;
}

/**
 * Parses the raw body itself (malformed JSON → error.command.malformed); one transaction per request; testOnly
 * changes nothing.
 *
 * Choices where the docs are silent: request-level failures answer HTTP 400 with `{result, message}`; an entry
 * stops at its first failing step and the steps before it stay applied; an unexpected internal error rolls the
 * whole request back and answers 500.
 */
export function executeActions(
  db: Db,
  orgId: string,
  rawBody: string,
  options: { testOnly: boolean },
): EngineResponse {
  if (!orgExists(db, orgId)) return badOrganization();
  let entries: unknown;
  try {
    entries = JSON.parse(rawBody);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return requestFailure(400, 'error.command.malformed', `Request body is not valid JSON: ${detail}`);
  }
  if (!Array.isArray(entries)) {
    return requestFailure(400, 'error.command.malformed', 'Request body must be a JSON array of commands');
  }
  if (entries.length === 0) {
    return requestFailure(400, 'error.command.malformed', 'Request body must hold at least one command');
  }
  if (entries.length > maxEntries) {
    return requestFailure(
      400,
      'error.command.malformed',
      `Too many commands in one request: ${entries.length}, max ${maxEntries}`,
    );
  }
  try {
    const body = inTransaction(db, () => runEntries(db, orgId, entries as unknown[], options.testOnly));
    return { status: 200, body };
  } catch {
    return requestFailure(
      500,
      'error.internal.exceptionflys',
      'Internal error; no change of this request was applied',
    );
  }
}

function runEntries(db: Db, orgId: string, entries: unknown[], testOnly: boolean): JsonObject {
  const errors: Array<Issue & { errorCode: string }> = [];
  const warnings: Array<Issue & { warningCode: string }> = [];
  let succeeded = 0;
  entries.forEach((entry, index) => {
    const base = describe(entry, index);
    const ctx: EntryContext = {
      db,
      orgId,
      testOnly,
      step: 0,
      warn: (warningCode, message) => warnings.push({ ...base, step: ctx.step, message, warningCode }),
    };
    const run = (): void => {
      try {
        if (!isObject(entry)) {
          throw new StepFailure('error.command.user_usergroup.missing', 'Each command must be an object');
        }
        const hasUser = entry['user'] !== undefined;
        const hasGroup = entry['usergroup'] !== undefined;
        if (hasUser === hasGroup) {
          throw new StepFailure(
            'error.command.user_usergroup.missing',
            "Each command needs exactly one root: 'user' or 'usergroup'",
          );
        }
        if (hasUser) runUserEntry(ctx, entry);
        else runUsergroupEntry(ctx, entry);
        succeeded += 1;
      } catch (error) {
        if (!(error instanceof StepFailure)) throw error;
        errors.push({ ...base, step: ctx.step, message: error.message, errorCode: error.errorCode });
      }
    };
    // Test mode: each entry runs inside a savepoint that is always rolled back, so entries are judged
    // independently (creating the same user twice passes, §4.6) and nothing is changed.
    if (testOnly) inDiscardedSavepoint(db, run);
    else run();
  });
  const failed = entries.length - succeeded;
  const body: JsonObject = {
    completed: testOnly ? 0 : succeeded,
    notCompleted: failed,
    completedInTestMode: testOnly ? succeeded : 0,
    result: failed === 0 ? 'success' : succeeded === 0 ? 'error' : 'partial',
  };
  if (errors.length > 0) body['errors'] = errors;
  if (warnings.length > 0) body['warnings'] = warnings;
  return body;
}

/** index, requestID and user (the user or usergroup root) that every error/warning of an entry carries. */
function describe(entry: unknown, index: number): Issue {
  const issue: Issue = { index, step: 0, message: '' };
  if (!isObject(entry)) return issue;
  const requestID = entry['requestID'];
  if (typeof requestID === 'string') issue.requestID = requestID;
  const root = entry['user'] ?? entry['usergroup'];
  if (typeof root === 'string') issue.user = root;
  return issue;
}
