import type pg from 'pg';
import type { Plan, PlanEntry } from '../../plan/plan-types.js';
import {
  ENTRY_TRANSITIONS,
  JournalError,
  planFingerprint,
  type EntryState,
  type JournalRow,
} from '../journal.js';
import { journalKey, type ApplyJournal, type HeldOrgLock, type TransitionDetails } from '../journal-store.js';
import type { LockOptions } from '../locks.js';
import { StateFileError } from '../sqlite-file.js';

interface EntryRow {
  id: string;
  seq: number;
  body: string;
  state: EntryState;
  error_code: string | null;
  message: string | null;
  reconciled: boolean;
  attempts: number;
  resume_step: number | null;
  updated_at: string;
}

function toRow(row: EntryRow): JournalRow {
  const out: JournalRow = {
    id: row.id,
    seq: row.seq,
    entry: JSON.parse(row.body) as PlanEntry,
    state: row.state,
    reconciled: row.reconciled,
    attempts: row.attempts,
    updatedAt: Number(row.updated_at),
  };
  if (row.error_code !== null) out.errorCode = row.error_code;
  if (row.message !== null) out.message = row.message;
  if (row.resume_step !== null) out.resumeStep = row.resume_step;
  return out;
}

/** What the journal needs from its store: the pool and the org lock (the journal's run lock is the org lock). */
export interface PgJournalHost {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** The org lock this process holds for the org, if it holds one. */
  heldOrgLock(orgId: string): HeldOrgLock | undefined;
  lockOrg(
    orgId: string,
    holder: { runId: string; journal: string },
    options?: Pick<LockOptions, 'pid' | 'host'>,
  ): Promise<HeldOrgLock>;
}

/**
 * The apply journal in PostgreSQL: the rows of (org, plan digest), so any host with a copy of the plan and the
 * same database finds it. The run that holds the org lock is its only writer: it reads its rows once and keeps
 * them; every move is checked against the journal's state machine, kept at once, and written in order (one
 * statement each, committed before its promise resolves). After a write the server refused, every later one
 * is refused with the same error.
 */
export class PostgresJournal implements ApplyJournal {
  readonly location: string;
  readonly #host: PgJournalHost;
  readonly #orgId: string;
  readonly #digest: string;
  readonly #rows: Map<string, JournalRow>;
  #writes: Promise<void> = Promise.resolve();
  #broken: Error | undefined;
  /** A lock this journal took itself (when no org lock was held already), released on close. */
  #ownLock: HeldOrgLock | undefined;

  private constructor(
    host: PgJournalHost,
    orgId: string,
    digest: string,
    location: string,
    rows: JournalRow[],
  ) {
    this.#host = host;
    this.#orgId = orgId;
    this.#digest = digest;
    this.location = location;
    this.#rows = new Map(rows.map((row) => [row.id, row]));
  }

  /** Opens (or creates, in one transaction) the journal of `plan` for `orgId`; another plan's is refused. */
  static async open(
    host: PgJournalHost,
    plan: Plan,
    orgId: string,
    storeLocation: string,
  ): Promise<PostgresJournal> {
    const s = `"${host.schema}"`;
    const digest = journalKey(plan);
    const fingerprint = planFingerprint(plan);
    const location = `${storeLocation} journal ${digest.slice(0, 16)} (org ${orgId})`;
    const client = await host.pool.connect();
    try {
      await client.query('BEGIN');
      const found = await client.query<{ fingerprint: string }>(
        `SELECT fingerprint FROM ${s}.journals WHERE org_id = $1 AND plan_digest = $2 FOR UPDATE`,
        [orgId, digest],
      );
      const existing = found.rows[0];
      if (existing === undefined) {
        await client.query(
          `INSERT INTO ${s}.journals (org_id, plan_digest, fingerprint) VALUES ($1, $2, $3)`,
          [orgId, digest, fingerprint],
        );
        await client.query(
          `INSERT INTO ${s}.journal_entries (org_id, plan_digest, id, seq, body, state)
           SELECT $1, $2, * FROM unnest($3::text[], $4::int[], $5::text[], $6::text[])`,
          [
            orgId,
            digest,
            plan.entries.map((entry) => entry.id),
            plan.entries.map((_, seq) => seq),
            plan.entries.map((entry) => JSON.stringify(entry)),
            plan.entries.map((entry) => (entry.held === undefined ? 'pending' : 'held')),
          ],
        );
      } else if (existing.fingerprint !== fingerprint) {
        throw new JournalError(
          `${location} was written for other entries than this plan holds; make a new plan`,
          'other-plan',
        );
      }
      const rows = await client.query<EntryRow>(
        `SELECT id, seq, body, state, error_code, message, reconciled, attempts, resume_step, updated_at
           FROM ${s}.journal_entries WHERE org_id = $1 AND plan_digest = $2 ORDER BY seq`,
        [orgId, digest],
      );
      await client.query('COMMIT');
      return new PostgresJournal(host, orgId, digest, location, rows.rows.map(toRow));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** The journal's run lock is the org lock: taken here when this process does not hold it already. */
  async acquireLock(options: LockOptions = {}): Promise<void> {
    if (this.#host.heldOrgLock(this.#orgId) !== undefined) return;
    this.#ownLock = await this.#host.lockOrg(
      this.#orgId,
      { runId: `journal-${this.#digest.slice(0, 12)}`, journal: this.location },
      options,
    );
  }

  /** Nothing to remove: the server frees an advisory lock when its holder's connection ends. */
  forceUnlock(): Promise<void> {
    return Promise.resolve();
  }

  rows(states?: readonly EntryState[]): JournalRow[] {
    const all = [...this.#rows.values()].sort((a, b) => a.seq - b.seq);
    const rows = states === undefined ? all : all.filter((row) => states.includes(row.state));
    return rows.map((row) => ({ ...row }));
  }

  has(id: string): boolean {
    return this.#rows.has(id);
  }

  state(id: string): EntryState {
    const row = this.#rows.get(id);
    if (row === undefined) throw new JournalError(`no entry ${id} in ${this.location}`);
    return row.state;
  }

  counts(): Record<EntryState, number> {
    const counts: Record<EntryState, number> = {
      pending: 0,
      held: 0,
      sent: 0,
      succeeded: 0,
      partial: 0,
      failed: 0,
      ambiguous: 0,
    };
    for (const row of this.#rows.values()) counts[row.state] += 1;
    return counts;
  }

  transition(id: string, to: EntryState, details: TransitionDetails = {}): Promise<void> {
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    const row = this.#rows.get(id);
    if (row === undefined) return Promise.reject(new JournalError(`no entry ${id} in ${this.location}`));
    if (!ENTRY_TRANSITIONS[row.state].includes(to)) {
      return Promise.reject(new JournalError(`entry ${id}: cannot go from ${row.state} to ${to}`));
    }
    const updatedAt = Date.now();
    const next: JournalRow = {
      ...row,
      state: to,
      reconciled: row.reconciled || details.reconciled === true,
      attempts: row.attempts + (to === 'sent' ? 1 : 0),
      updatedAt,
    };
    delete next.errorCode;
    delete next.message;
    delete next.resumeStep;
    if (details.errorCode !== undefined) next.errorCode = details.errorCode;
    if (details.message !== undefined) next.message = details.message;
    if (details.resumeStep !== undefined) next.resumeStep = details.resumeStep;
    this.#rows.set(id, next);
    const s = `"${this.#host.schema}"`;
    const write = this.#writes.then(async () => {
      if (this.#broken !== undefined) throw this.#broken;
      try {
        await this.#host.pool.query(
          `UPDATE ${s}.journal_entries SET state = $4, error_code = $5, message = $6, updated_at = $7,
             resume_step = $8, reconciled = $9, attempts = $10
           WHERE org_id = $1 AND plan_digest = $2 AND id = $3`,
          [
            this.#orgId,
            this.#digest,
            id,
            to,
            next.errorCode ?? null,
            next.message ?? null,
            updatedAt,
            next.resumeStep ?? null,
            next.reconciled,
            next.attempts,
          ],
        );
      } catch (error) {
        this.#broken = new StateFileError(this.location, 'journal', (error as Error).message, {
          action: 'write',
          midRun: true,
        });
        throw this.#broken;
      }
    });
    // The chain goes on after a failure (each write checks `#broken` itself).
    this.#writes = write.catch(() => undefined);
    return write;
  }

  async close(): Promise<void> {
    await this.#writes;
    const lock = this.#ownLock;
    this.#ownLock = undefined;
    await lock?.release();
  }
}
