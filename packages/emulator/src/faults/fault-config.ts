/** Endpoint classes a fault rule can target; `any` matches every IMS and UMAPI request. */
export type FaultEndpoint = 'action' | 'userRead' | 'groupRead' | 'ims' | 'any';

export type FaultKind =
  | '429'
  | '500'
  | '502'
  | '503'
  | '504'
  | '404'
  | 'latency'
  | 'hang'
  | 'reset'
  | 'truncate'
  | 'applied-then-lost'
  | 'short-page'
  | 'empty-page';

export interface FaultRule {
  endpoint: FaultEndpoint;
  fault: FaultKind;
  /** Chance (0..1) that a request of this class gets the fault. Give this or `on`. */
  probability?: number;
  /** Exact schedule: the 1-based numbers of the requests of this class that get the fault (e.g. [3, 5]). */
  on?: number[];
  /** For `latency`: milliseconds added before the request is handled (default 1000). */
  latencyMs?: number;
  /** For `applied-then-lost`: how the response is lost after the engine committed it (default `reset`). */
  lostAs?: 'reset' | '502';
  /** For `429`: the Retry-After value to send (default "1"). */
  retryAfter?: string;
}

export interface FaultConfig {
  /** Seed for the probabilistic rules; the same seed and request sequence give the same faults. */
  seed?: number;
  rules: FaultRule[];
}

const ENDPOINTS: readonly string[] = ['action', 'userRead', 'groupRead', 'ims', 'any'];
const KINDS: readonly string[] = [
  '429',
  '500',
  '502',
  '503',
  '504',
  '404',
  'latency',
  'hang',
  'reset',
  'truncate',
  'applied-then-lost',
  'short-page',
  'empty-page',
];
const RULE_KEYS: readonly string[] = [
  'endpoint',
  'fault',
  'probability',
  'on',
  'latencyMs',
  'lostAs',
  'retryAfter',
];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a fault config from JSON; `source` names the file or option in error messages. */
export function parseFaultConfig(value: unknown, source = 'faults'): FaultConfig {
  if (!isRecord(value)) throw new Error(`${source}: expected a JSON object {"seed": 1, "rules": [...]}`);
  const seed = value['seed'];
  if (seed !== undefined && (typeof seed !== 'number' || !Number.isInteger(seed))) {
    throw new Error(`${source}.seed: expected an integer, got ${JSON.stringify(seed)}`);
  }
  const rules = value['rules'];
  if (!Array.isArray(rules)) throw new Error(`${source}.rules: expected an array of fault rules`);
  const parsed = rules.map((raw: unknown, index) => parseRule(raw, `${source}.rules[${index}]`));
  return seed === undefined ? { rules: parsed } : { seed, rules: parsed };
}

function parseRule(raw: unknown, where: string): FaultRule {
  if (!isRecord(raw)) throw new Error(`${where}: expected an object {"endpoint": ..., "fault": ...}`);
  for (const key of Object.keys(raw)) {
    if (!RULE_KEYS.includes(key))
      throw new Error(`${where}: unknown key "${key}"; expected ${RULE_KEYS.join(', ')}`);
  }
  const endpoint = raw['endpoint'];
  if (typeof endpoint !== 'string' || !ENDPOINTS.includes(endpoint)) {
    throw new Error(
      `${where}.endpoint: expected one of ${ENDPOINTS.join(', ')}, got ${JSON.stringify(endpoint)}`,
    );
  }
  const fault = raw['fault'];
  if (typeof fault !== 'string' || !KINDS.includes(fault)) {
    throw new Error(`${where}.fault: expected one of ${KINDS.join(', ')}, got ${JSON.stringify(fault)}`);
  }
  const rule: FaultRule = { endpoint: endpoint as FaultEndpoint, fault: fault as FaultKind };
  const probability = raw['probability'];
  const on = raw['on'];
  if ((probability === undefined) === (on === undefined)) {
    throw new Error(
      `${where}: give exactly one of "probability" (0..1) or "on" (request numbers, e.g. [3, 5])`,
    );
  }
  if (probability !== undefined) {
    if (typeof probability !== 'number' || probability < 0 || probability > 1) {
      throw new Error(
        `${where}.probability: expected a number from 0 to 1, got ${JSON.stringify(probability)}`,
      );
    }
    rule.probability = probability;
  }
  if (on !== undefined) {
    if (!Array.isArray(on) || !on.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 1)) {
      throw new Error(`${where}.on: expected an array of request numbers counted from 1, e.g. [3, 5]`);
    }
    rule.on = on as number[];
  }
  const latencyMs = raw['latencyMs'];
  if (latencyMs !== undefined) {
    if (typeof latencyMs !== 'number' || latencyMs < 0) {
      throw new Error(`${where}.latencyMs: expected a non-negative number of milliseconds`);
    }
    rule.latencyMs = latencyMs;
  }
  const lostAs = raw['lostAs'];
  if (lostAs !== undefined) {
    if (lostAs !== 'reset' && lostAs !== '502') throw new Error(`${where}.lostAs: expected "reset" or "502"`);
    rule.lostAs = lostAs;
  }
  const retryAfter = raw['retryAfter'];
  if (retryAfter !== undefined) {
    if (typeof retryAfter !== 'string') throw new Error(`${where}.retryAfter: expected a string such as "2"`);
    rule.retryAfter = retryAfter;
  }
  return rule;
}
