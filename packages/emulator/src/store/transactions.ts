import type { Db } from './database.js';

/** Runs `fn` in one transaction: committed when it returns, rolled back when it throws. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}

/** Runs `fn` inside a savepoint that is always rolled back afterwards, so nothing it writes is kept. */
export function inDiscardedSavepoint<T>(db: Db, fn: () => T): T {
  db.exec('SAVEPOINT discarded');
  try {
    return fn();
  } finally {
    db.exec('ROLLBACK TO discarded; RELEASE discarded');
  }
}
