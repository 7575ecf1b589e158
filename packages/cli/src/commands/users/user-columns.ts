import type { User } from '@umapi-kit/client';
import { fieldColumns } from '../../output/columns.js';

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
export const defaultUserFields = ['email', 'type', 'firstname', 'lastname', 'country', 'groups'];
