export type * from './types.js';
export {
  UserAction,
  type CreateOption,
  type CreateUserFields,
  type UpdateUserFields,
  type UserActionOptions,
} from './user-action.js';
export { GroupAction, type CreateGroupFields } from './group-action.js';
export { execute, type ExecuteRunOptions } from './execute.js';
export {
  MAX_ENTRIES_PER_REQUEST,
  MAX_LIST_LENGTH,
  MAX_STEPS_PER_ENTRY,
  splitCommand,
  type SplitEntry,
} from './split-command.js';
