import type { Db } from './database.js';
import { statement } from './statement-cache.js';
import { inTransaction } from './transactions.js';

/** The seeds that ran on a database: each runs once per database file, whatever restarts follow. */
export type SeedName = 'demo' | 'generated-users';

/** What a seed recorded when it ran on this database, or undefined when it never did. */
export function seedRun(db: Db, seed: SeedName): string | undefined {
  return statement(db, 'SELECT detail FROM seed_runs WHERE seed = ?').pluck().get(seed) as string | undefined;
}

/**
 * Runs `seed` unless it already ran on this database, recording it in the same transaction (so a crash leaves
 * either both or neither). Returns whether it ran.
 */
export function seedOnce(db: Db, seed: SeedName, detail: string, run: () => void): boolean {
  return inTransaction(db, () => {
    if (seedRun(db, seed) !== undefined) return false;
    run();
    statement(db, 'INSERT INTO seed_runs (seed, detail) VALUES (?, ?)').run(seed, detail);
    return true;
  });
}
