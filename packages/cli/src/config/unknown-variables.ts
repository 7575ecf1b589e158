import { environmentNames } from './env-settings.js';

/** Every `UMAPI_*` variable umapi reads: the settings' names and aliases, and the ones read on their own. */
export const knownVariables: readonly string[] = [
  ...Object.values(environmentNames).flat(),
  'UMAPI_PROFILE',
  'UMAPI_PROFILES_FILE',
  'UMAPI_LOCK_DIR',
  'UMAPI_PACING_TIME_SCALE',
  'UMAPI_CREDENTIAL_POOL',
  'UMAPI_FLEET_RUN_RECORD',
  'UMAPI_STATE',
  'UMAPI_FULL_READ_INTERVAL',
];

/** `UMAPI_KEYRING_<KEY>`: the secret a `secure_*_key: KEY` entry of a User Sync Tool connector names. */
const KEYRING_PREFIX = 'UMAPI_KEYRING_';

export interface UnknownVariable {
  name: string;
  /** `env` or `.env:4`. */
  where: string;
  /** The known name closest to it, when one is close enough to be the one meant. */
  suggestion: string | undefined;
}

/** Edit distance (insertions, deletions, substitutions) between two names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known name a typo most likely meant (ignoring `_` and case), or undefined when none is close. */
export function closestVariable(name: string): string | undefined {
  const bare = (text: string): string => text.toUpperCase().replace(/_/g, '');
  let best: { name: string; cost: number } | undefined;
  for (const known of knownVariables) {
    const [typed, candidate] = [bare(name), bare(known)];
    // A name cut short (UMAPI_PRIVATE_KEY for UMAPI_PRIVATE_KEY_FILE) is as close as one typo.
    const cost = candidate.startsWith(typed) && typed.length >= 8 ? 1 : distance(typed, candidate);
    if (best === undefined || cost < best.cost) best = { name: known, cost };
  }
  return best !== undefined && best.cost <= Math.max(2, Math.floor(bare(name).length / 4))
    ? best.name
    : undefined;
}

/** The `UMAPI_*` names among `names` that umapi does not read, each with where it was set. */
export function unknownVariables(
  names: Iterable<string>,
  where: (name: string) => string,
): UnknownVariable[] {
  const known = new Set(knownVariables);
  const found: UnknownVariable[] = [];
  for (const name of names) {
    if (!name.toUpperCase().startsWith('UMAPI_') || known.has(name)) continue;
    // A User Sync Tool keyring entry given by environment (`secure_*_key: K` → UMAPI_KEYRING_K): read by name.
    if (name.startsWith(KEYRING_PREFIX) && name.length > KEYRING_PREFIX.length) continue;
    found.push({ name, where: where(name), suggestion: closestVariable(name) });
  }
  return found;
}

/** The warning for one: `UMAPI_ORGID (env) is not a umapi setting; did you mean UMAPI_ORG_ID?` */
export function unknownVariableMessage(variable: UnknownVariable): string {
  return (
    `${variable.name} (${variable.where}) is not a umapi setting and is ignored` +
    (variable.suggestion === undefined
      ? `; the settings are listed in 'umapi config show --help'`
      : `; did you mean ${variable.suggestion}?`)
  );
}
