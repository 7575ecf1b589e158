import type { CommandDefinition } from '../cli/command.js';
import { authToken } from './auth-token.js';
import { configShow } from './config-show.js';
import { demo } from './demo.js';
import { fleetRun } from './fleet/fleet-run.js';
import { groupsList } from './groups/groups-list.js';
import {
  groupsAddProfiles,
  groupsAddUsers,
  groupsCreate,
  groupsDelete,
  groupsRemoveProfiles,
  groupsRemoveUsers,
  groupsUpdate,
} from './groups/groups-manage.js';
import { status } from './status.js';
import { syncCommands } from './sync/index.js';
import { usersCreate } from './users/users-create.js';
import { usersGet } from './users/users-get.js';
import { usersAddGroups, usersRemoveGroups } from './users/users-groups.js';
import { usersImport } from './users/users-import.js';
import { usersList } from './users/users-list.js';
import { usersRemove } from './users/users-remove.js';
import { usersUpdate } from './users/users-update.js';

/** Every command of `umapi`, in help order. */
export const allCommands: readonly CommandDefinition[] = [
  authToken,
  usersCreate,
  usersUpdate,
  usersGet,
  usersList,
  usersAddGroups,
  usersRemoveGroups,
  usersRemove,
  usersImport,
  groupsList,
  groupsCreate,
  groupsUpdate,
  groupsDelete,
  groupsAddUsers,
  groupsRemoveUsers,
  groupsAddProfiles,
  groupsRemoveProfiles,
  ...syncCommands,
  fleetRun,
  status,
  configShow,
  demo,
];
