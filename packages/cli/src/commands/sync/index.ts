import type { CommandDefinition } from '../../cli/command.js';
import { syncApply } from './sync-apply.js';
import { syncCheckSource } from './sync-check-source.js';
import { syncExplain } from './sync-explain.js';
import { syncMigrate } from './sync-migrate.js';
import { syncHistory } from './sync-history.js';
import { syncPlan } from './sync-plan.js';
import { syncReport } from './sync-report.js';
import { syncRun } from './sync-run.js';

/** The `umapi sync …` commands, for the registry. */
export const syncCommands: readonly CommandDefinition[] = [
  syncPlan,
  syncApply,
  syncRun,
  syncExplain,
  syncReport,
  syncHistory,
  syncCheckSource,
  syncMigrate,
];
