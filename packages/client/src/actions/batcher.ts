import { MAX_ENTRIES_PER_REQUEST, type SplitEntry } from './split-command.js';

/** One wire entry of a request and the action it belongs to. */
export interface BatchItem<Owner> {
  owner: Owner;
  entry: SplitEntry;
}

/**
 * What to send: a request whose entries may run alongside other requests, or the requests of one action longer
 * than a request, which must run one after the other with nothing else in flight (the API does not order
 * entries across requests).
 */
export type Work<Owner> =
  { kind: 'request'; items: BatchItem<Owner>[] } | { kind: 'sequence'; requests: BatchItem<Owner>[][] };

/**
 * Packs actions, in input order, into requests of at most 10 entries; the entries of one action always go in one
 * request, or, when there are more than 10, into a sequence of their own. Pure: nothing is sent here.
 */
export class Batcher<Owner> {
  #open: BatchItem<Owner>[] = [];

  /** Adds one action's entries; returns the work that is now complete, in the order it must start. */
  add(owner: Owner, entries: readonly SplitEntry[]): Work<Owner>[] {
    const items = entries.map((entry) => ({ owner, entry }));
    if (items.length > MAX_ENTRIES_PER_REQUEST) {
      const requests: BatchItem<Owner>[][] = [];
      for (let i = 0; i < items.length; i += MAX_ENTRIES_PER_REQUEST) {
        requests.push(items.slice(i, i + MAX_ENTRIES_PER_REQUEST));
      }
      return [...this.flush(), { kind: 'sequence', requests }];
    }
    const ready = this.#open.length + items.length > MAX_ENTRIES_PER_REQUEST ? this.flush() : [];
    this.#open.push(...items);
    return ready;
  }

  /** The request being filled, if any. */
  flush(): Work<Owner>[] {
    if (this.#open.length === 0) return [];
    const items = this.#open;
    this.#open = [];
    return [{ kind: 'request', items }];
  }

  /** Entries added but not yet handed out (for reporting them as not sent when stopped). */
  get pending(): readonly BatchItem<Owner>[] {
    return this.#open;
  }
}
