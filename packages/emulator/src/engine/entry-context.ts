import type { Db } from '../store/database.js';

/** What a running entry needs: the database, the org, the mode, and where to record warnings. */
export interface EntryContext {
  db: Db;
  orgId: string;
  testOnly: boolean;
  /** Index of the step being validated or applied; errors and warnings report it. */
  step: number;
  warn(warningCode: string, message: string): void;
}

/** Checks the `do` array's shape and returns each step as [name, value]. Sets ctx.step on failure. */
export function parseSteps(
  ctx: EntryContext,
  steps: unknown,
  known: ReadonlySet<string>,
  fail: (code: string, message: string) => never,
): Array<[string, unknown]> {
  ctx.step = 0;
  if (!Array.isArray(steps))
    fail('error.command.steps.malformed', "The 'do' value must be an array of steps");
  if (steps.length > 10) {
    fail('error.command.add_remove.list_too_long', `Too many steps in command: ${steps.length}, max 10`);
  }
  const parsed: Array<[string, unknown]> = [];
  for (const [index, step] of (steps as unknown[]).entries()) {
    ctx.step = index;
    if (typeof step !== 'object' || step === null || Array.isArray(step)) {
      fail('error.command.illegal_entry', `Step ${index} must be an object with one key naming the step`);
    }
    const keys = Object.keys(step);
    const name = keys[0];
    if (keys.length !== 1 || name === undefined) {
      fail('error.command.illegal_entry', `Step ${index} must have exactly one key, found ${keys.length}`);
    }
    if (!known.has(name)) fail('error.command.step.unknown', `Unknown step: ${name}`);
    parsed.push([name, (step as Record<string, unknown>)[name]]);
  }
  return parsed;
}
