import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Plan, PlanOrigin } from './plan-types.js';

/** The text a plan's digest is computed over: the plan as JSON without its digest. */
function signedText(plan: Plan): string {
  const rest: Partial<Plan> = { ...plan };
  delete rest.digest;
  return JSON.stringify(rest);
}

function hmac(plan: Plan, key: Buffer): string {
  return createHmac('sha256', key).update(signedText(plan)).digest('hex');
}

/** SHA-256 of a text (a configuration file), or over a sequence of values (the directory as read). */
export function fingerprint(parts: Iterable<unknown>): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(typeof part === 'string' ? part : JSON.stringify(part)).update('\n');
  return hash.digest('hex');
}

/** The plan with where it came from and a digest signed with the state store's key. */
export function sealPlan(plan: Plan, origin: PlanOrigin, key: Buffer): Plan {
  const sealed: Plan = { ...plan, origin };
  delete sealed.digest;
  return { ...sealed, digest: hmac(sealed, key) };
}

export interface PlanCheck {
  orgId: string;
  now: number;
  /** Overrides the plan's own maximum age. */
  maxAgeMs?: number | undefined;
}

/**
 * Why a plan must not be applied, or undefined when it may: no digest or one that does not verify (the file was
 * edited, or signed by another state store), made for another org, or older than its maximum age.
 */
export function planRefusal(plan: Plan, key: Buffer, check: PlanCheck): string | undefined {
  if (plan.digest === undefined || plan.origin === undefined) {
    return 'it is not signed (made by an older umapi-kit, or written by hand): make a new plan with `umapi sync plan`';
  }
  const expected = Buffer.from(hmac(plan, key), 'hex');
  const given = Buffer.from(plan.digest, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return (
      'its digest does not match its contents: the file was changed after it was planned, or it was planned ' +
      `with another state store than ${plan.origin.stateLocation}; make a new plan`
    );
  }
  if (plan.origin.orgId !== check.orgId) {
    return `it was made for org ${plan.origin.orgId}, not ${check.orgId}, the org this apply would change`;
  }
  const age = check.now - Date.parse(plan.origin.createdAt);
  const maxAge = check.maxAgeMs ?? plan.origin.maxAgeMs;
  if (!(age <= maxAge)) {
    const hours = (ms: number): string => `${(ms / 3_600_000).toFixed(1)} h`;
    return `it is ${hours(age)} old, older than the ${hours(maxAge)} a plan may be (limits.max_plan_age or --max-plan-age): the org may have changed since; make a new plan`;
  }
  return undefined;
}
