import { openDatabase, type Db } from '../../src/store/database.js';
import { seedDemo, type DemoOrg } from '../../src/store/seed-demo.js';
import { executeActions } from '../../src/engine/execute-actions.js';

export interface ActionBody {
  result: string;
  completed: number;
  notCompleted: number;
  completedInTestMode: number;
  errors?: Array<{
    index: number;
    step: number;
    requestID?: string;
    message: string;
    user?: string;
    errorCode: string;
  }>;
  warnings?: Array<{ index: number; step: number; message: string; warningCode: string; user?: string }>;
  message?: string;
}

export function demoDb(): { db: Db; demo: DemoOrg } {
  const db = openDatabase(':memory:');
  return { db, demo: seedDemo(db) };
}

/** Runs one action request and returns its body (asserting nothing). */
export function act(db: Db, orgId: string, entries: unknown, testOnly = false): ActionBody {
  return executeActions(db, orgId, JSON.stringify(entries), { testOnly }).body as ActionBody;
}

/** The errorCode of the first error of a one-entry request. */
export function errorOf(db: Db, orgId: string, entry: unknown, testOnly = false): string | undefined {
  return act(db, orgId, [entry], testOnly).errors?.[0]?.errorCode;
}
