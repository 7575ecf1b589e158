import type { UserRow } from '../store/users.js';

/** The documented user object (§6.6); absent fields are left out. */
interface UserJson {
  id: string;
  email: string;
  status: string;
  groups?: string[];
  username: string;
  domain: string;
  firstname?: string;
  lastname?: string;
  country?: string;
  type: string;
}

export function userJson(row: UserRow, groups: string[] | undefined): UserJson {
  const json: UserJson = {
    id: row.uid,
    email: row.email,
    status: row.status,
    username: row.username,
    domain: row.domain,
    type: row.type,
  };
  if (groups !== undefined) json.groups = groups;
  if (row.firstname !== null) json.firstname = row.firstname;
  if (row.lastname !== null) json.lastname = row.lastname;
  if (row.country !== null) json.country = row.country;
  return json;
}
