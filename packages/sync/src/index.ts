/**
 * The public API of @umapi-kit/sync: directory sources, the configuration, the planner, plan files, and the
 * journaled applier. It returns data (plans, run reports); callers decide what to print and how to exit.
 */
export type { AdobeUser, DirectoryUser, IdentityType } from './types.js';

export { describeFsError, isDiskRefusal } from './fs-error.js';
export { parseDuration } from './duration.js';

// Sources
export {
  InputFileError,
  readCsvRecords,
  readJsonlRecords,
  cellPlace,
  type FileRecord,
  type RecordCell,
  type RecordProblem,
  type RecordRow,
} from './sources/records.js';
export {
  loadDirectory,
  type DirectorySource,
  type DuplicateRow,
  type LoadOptions,
  type LoadedDirectory,
  type RowError,
  type SourceRow,
} from './sources/directory-source.js';
export { DIRECTORY_FIELDS, type DirectoryField } from './sources/directory-row.js';
export { CsvSource, type CsvSourceOptions } from './sources/csv-source.js';
export { JsonlSource } from './sources/jsonl-source.js';
export { LdapSource, type LdapReadStats } from './sources/ldap/ldap-source.js';
export { LdapSourceError, type LdapFailure } from './sources/ldap/ldap-source-error.js';
export {
  LDAP_DEFAULTS,
  type LdapFormats,
  type LdapSourceOptions,
  type PasswordSource,
  type TwoStepsLookup,
} from './sources/ldap/ldap-source-options.js';
export { guidFromBytes } from './sources/ldap/guid.js';

// Configuration
export {
  createSource,
  loadSyncConfig,
  parseSyncConfig,
  type DuplicateRows,
  type SourceConfig,
  type SyncConfig,
} from './config/sync-config.js';
export { SyncConfigError } from './config/sync-config-error.js';
export {
  NOTIFY_ON,
  type EmailTarget,
  type NotifyOn,
  type NotifyTarget,
  type SecretReference,
  type SmtpSecurity,
  type WebhookTarget,
} from './config/notify-config.js';
export {
  ADOBE_ONLY_ACTIONS,
  UPDATE_ATTRIBUTES,
  defaultRules,
  type Threshold,
  type AdobeOnlyUserAction,
  type GroupMapping,
  type SyncRules,
  type UpdateAttribute,
} from './plan/sync-rules.js';

// Plans
export * from './plan/plan-types.js';
export { Planner, plan, planFromStream, type MatchedBy, type PlannerOptions } from './plan/planner.js';
export {
  keepWritableGroupChanges,
  unwritableGroups,
  type UnwritableGroups,
} from './plan/unwritable-groups.js';
export { countEntries, parsePlan, planToJson, type PlanCounts } from './plan/plan-file.js';
export { explainUser, type ExplainInputs, type ExplainStep, type Explanation } from './plan/explain.js';

// State
export type { AccountBinding, RunRecord, StateStore } from './state/state-store.js';
export { SqliteStateStore } from './state/sqlite-state-store.js';
export type { FullListing, RunQuery } from './state/state-store.js';
export {
  DEFAULT_PG_SCHEMA,
  parseStateLocation,
  STATE_ENV,
  StateLocationError,
  type StateLocation,
} from './state/state-location.js';
export { openStateStore } from './state/open-state-store.js';
export { PostgresStateStore, type StoredJournal } from './state/postgres/pg-state-store.js';
export { NewerSchemaError, SCHEMA_VERSION } from './state/postgres/pg-migrations.js';
export { DEFAULT_FULL_READ_INTERVAL_MS, earlyFullRead, type EarlyFullRead } from './state/full-read-guard.js';
export type {
  ApplyJournal,
  HeldOrgLock,
  JournalStore,
  OrgLockHolder,
  TransitionDetails,
} from './state/journal-store.js';
export { FileJournal, FileJournalStore } from './state/file-journal-store.js';
export { ForeignFileError, StateFileError } from './state/sqlite-file.js';
export { fingerprint, planRefusal, sealPlan, type PlanCheck } from './plan/plan-seal.js';
export { holdDestructive, isDestructive } from './plan/safety-limits.js';

// Applying
export {
  checkJournalFile,
  JournalError,
  planFingerprint,
  readJournalRows,
  runningApplyOf,
  type EntryState,
  type JournalRow,
} from './state/journal.js';
export { LOCK_DIR_ENV, LockError, orgLockDirectory, type LockOptions } from './state/locks.js';
export { applyPlan, type ApplyOptions, type ApplyProgress } from './apply/apply-plan.js';
export { entryToAction } from './apply/entry-action.js';
export {
  isComplete,
  outcomeOf,
  runOutcome,
  type EntryOutcomeRecord,
  type RunReport,
} from './apply/run-report.js';
export type { ReadBackStats } from './apply/org-read-back.js';

// The User Sync Tool's configuration folder
export {
  loadUstConfig,
  type UstConfig,
  type UstLoadOptions,
  type UstSecondaryOrg,
} from './ust/ust-config.js';
export { migrateUstConfig, type Migration } from './ust/migrate.js';
export type { UstUmapiConnection } from './ust/umapi-connector.js';
export {
  applyInvocation,
  InvocationError,
  mergeInvocation,
  type Given,
  type InvocationOptions,
  type InvocationResult,
} from './ust/invocation.js';
export { secretToolLookup, type KeyringLookup } from './ust/keyring.js';
export { keyringVariable } from './ust/ust-secret.js';
export { additionalGroupMappings } from './plan/additional-groups.js';
export { mappedOrgs, orgRules, targetOrg } from './plan/org-rules.js';
export { mergeOrgPlans, type SecondaryPlan } from './plan/multi-org-plan.js';
export { selectDirectoryUsers } from './plan/directory-selection.js';
export type { AdditionalGroupRule, AdobeUserScope, DirectorySelection } from './plan/sync-rules.js';
