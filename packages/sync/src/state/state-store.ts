import type { IdentityType } from '../types.js';

/** The Adobe account an anchor was last bound to, as UMAPI names it. */
export interface AccountBinding {
  type: IdentityType;
  email: string;
  /** Set when the account's username is not its email. */
  username?: string;
  domain?: string;
  /**
   * The account was not in the org when a plan last looked (or another anchor took it): the anchor no longer
   * finds it, and its directory user is matched as if it had no anchor (the missing-account policy applies).
   */
  missing?: true;
}

/** What a sync run leaves behind for the next one to compare with. */
export interface RunRecord {
  orgId: string;
  kind: 'plan' | 'apply';
  /** ISO times. */
  startedAt: string;
  finishedAt: string;
  /** `complete`: everything done; `held`: destructive entries held; `incomplete`: failed or unfinished. */
  outcome: 'complete' | 'held' | 'incomplete';
  directoryUsers?: number;
  adobeUsersRead?: number;
  /** The plan's digest, for an apply. */
  planDigest?: string;
  /** Counts by state or kind, as the run reports them. */
  counts?: Record<string, number>;
  /** An apply's run id (also in the org lock's holder record while it runs). */
  runId?: string;
  /** `user@host` pid that ran it. */
  host?: string;
  pid?: number;
  durationMs?: number;
  /** Requests that carried actions, retries, and 429 answers (an apply). */
  requests?: number;
  retries?: number;
  throttled?: number;
  /** Destructive entries the safety limits held. */
  held?: number;
}

/** The org listings whose page 0 Adobe throttles on its own (a full read starts there). */
export type FullListing = 'users' | 'groups';

/** Which runs `runs` lists: one org's or every org's, newest first, at most `limit`. */
export interface RunQuery {
  orgId?: string | undefined;
  limit: number;
}

/**
 * What sync remembers between runs, per org: which Adobe account each directory anchor is bound to, the runs and
 * their outcomes, and the key that signs plans. SQLite is the embedded default; other backends implement the
 * same interface.
 */
export interface StateStore {
  /** For messages: the file or URL (without secrets). */
  readonly location: string;
  /** The key plans are signed with (created on first use, never leaves the store). */
  planKey(): Promise<Buffer>;
  /** Every anchor of the org and the account it is bound to. */
  anchors(orgId: string): Promise<Map<string, AccountBinding>>;
  /**
   * Binds (or re-binds) anchors to accounts. An account is bound to one anchor at most: binding it to another
   * marks the earlier anchor's binding `missing`.
   */
  bindAnchors(orgId: string, bindings: Iterable<readonly [string, AccountBinding]>): Promise<void>;
  recordRun(record: RunRecord): Promise<void>;
  /** The last run that read the directory and finished complete (or held), newest first. */
  lastRun(orgId: string, kind: RunRecord['kind']): Promise<RunRecord | undefined>;
  /** The run history, newest first. */
  runs(query: RunQuery): Promise<RunRecord[]>;
  /** Records that a full read of an org listing starts now (page 0 is about to be read). ISO time. */
  recordFullRead(orgId: string, listing: FullListing, at: string): Promise<void>;
  /** When the last full read of the listing started (ISO time), if one is recorded. */
  lastFullRead(orgId: string, listing: FullListing): Promise<string | undefined>;
  close(): Promise<void>;
}
