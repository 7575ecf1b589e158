export type { AdobeUser, DirectoryUser, IdentityType } from './types.js';
export { IDENTITY_TYPES, isIdentityType } from './types.js';
export {
  DirectorySourceError,
  loadDirectory,
  type DirectorySource,
  type LoadedDirectory,
  type RowError,
  type SourceRow,
} from './sources/directory-source.js';
export { CSV_FIELDS, CsvSource, type CsvField, type CsvSourceOptions } from './sources/csv-source.js';
export { JsonlSource } from './sources/jsonl-source.js';
export { validateUser, type RawUserFields } from './sources/validate-user.js';
export {
  createSource,
  loadSyncConfig,
  parseSyncConfig,
  type SourceConfig,
  type SyncConfig,
} from './config/sync-config.js';
export { SyncConfigError } from './config/sync-config-error.js';
export {
  ADOBE_ONLY_ACTIONS,
  UPDATE_ATTRIBUTES,
  defaultRules,
  type AdobeOnlyLimit,
  type AdobeOnlyUserAction,
  type GroupMapping,
  type SyncRules,
  type UpdateAttribute,
} from './plan/sync-rules.js';
export * from './plan/plan-types.js';
export { Planner, plan, planFromStream } from './plan/planner.js';
export { entryId } from './plan/entry-id.js';
export {
  countEntries,
  describeEntry,
  parsePlan,
  planToJson,
  summarizePlan,
  type PlanCounts,
} from './plan/plan-summary.js';
export {
  Journal,
  JournalError,
  planFingerprint,
  type EntryState,
  type JournalRow,
  type LockOptions,
} from './apply/journal.js';
export { entryToAction } from './apply/entry-action.js';
export { OrgLock, orgLockPath } from './apply/org-lock.js';
export { entryIsApplied, reconcileEntry } from './apply/reconcile-entry.js';
export { applyPlan, type ApplyOptions, type ApplyProgress } from './apply/apply-plan.js';
export { formatRunReport, type EntryOutcomeRecord, type RunReport } from './apply/run-report.js';
export type { SyncClient } from './apply/sync-client.js';
