export type * from './types.js';
export {
  UserAction,
  type CreateOption,
  type CreateUserFields,
  type UpdateUserFields,
  type UserActionOptions,
} from './user-action.js';
export { GroupAction, type CreateGroupFields } from './group-action.js';
/** The builders' field rules, for callers that report every bad field of a row rather than the first. */
export { checkCountry, checkEmail, checkName, isEmail } from './validate.js';
export { execute, type ExecuteRunOptions } from './execute.js';
export {
  MAX_ENTRIES_PER_REQUEST,
  MAX_LIST_LENGTH,
  MAX_STEPS_PER_ENTRY,
  splitCommand,
  type SplitEntry,
} from './split-command.js';
