import type { User } from '@umapi-kit/client';
import { fieldColumns, type Column } from '../../output/columns.js';

export const userFields = [
  'email',
  'username',
  'domain',
  'firstname',
  'lastname',
  'country',
  'type',
  'status',
  'groups',
  'id',
] as const;
export const userColumns = fieldColumns<User>(userFields);
export const defaultUserFields = ['email', 'username', 'type', 'firstname', 'lastname', 'country', 'groups'];

/**
 * The columns of the users table by default: the username is shown where it differs from the email (a
 * federated login like `jsmith`), blank where it is the email again.
 */
export function defaultTableColumns(columns: readonly Column<User>[]): Column<User>[] {
  return columns.map((column) =>
    column.name === 'username'
      ? {
          name: 'username',
          get: (user: User) =>
            user.username === undefined || user.username.toLowerCase() === user.email.toLowerCase()
              ? ''
              : user.username,
        }
      : column,
  );
}
