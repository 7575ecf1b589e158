import { createHash } from 'node:crypto';

/**
 * The first key of umapi-kit's advisory locks (PostgreSQL's two-key form: this one names the kind of lock, so other
 * programs sharing the database are not in the way): "umlk" (org locks) and "ummg" (schema migrations).
 */
export const LOCK_NAMESPACE_ORG = 0x756d6c6b;
export const LOCK_NAMESPACE_MIGRATIONS = 0x756d6d67;

/** The second key: the first 32 bits of SHA-256 of the name (an org id, a schema), as a signed integer. */
export function advisoryKey(name: string): number {
  return createHash('sha256').update(name).digest().readInt32BE(0);
}
