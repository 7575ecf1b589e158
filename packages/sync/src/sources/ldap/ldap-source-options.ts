/** Where the bind password comes from. It is read when the source connects and never appears in a message. */
export type PasswordSource = { value: string } | { env: string } | { file: string };

/** Reading group members from the groups themselves instead of a `memberOf` filter. */
export interface TwoStepsLookup {
  /** The group attribute that lists members: `member`, `uniqueMember` (DNs) or `memberUid` (user names). */
  groupMemberAttributeName: string;
  /** Follow member groups down to their users (loops are detected and cut). */
  nestedGroup: boolean;
}

/** The `{attribute}` templates that make a directory user of an entry (User Sync Tool key names). */
export interface LdapFormats {
  email: string;
  username?: string;
  domain?: string;
  givenName: string;
  surname: string;
  countryCode: string;
  identityType?: string;
}

/** An LDAP or Active Directory source, as `directory_users.connectors.ldap` in sync.yml describes it. */
export interface LdapSourceOptions {
  /** `ldap://host[:port]` or `ldaps://host[:port]`. */
  host: string;
  /** The bind DN (or `user@domain` for AD); without it the bind is anonymous. */
  username?: string;
  password?: PasswordSource;
  /** Upgrade an `ldap://` connection with StartTLS before binding. */
  startTls: boolean;
  /** PEM file of the CA(s) that sign the server's certificate (default: Node's bundled CAs). */
  caFile?: string;
  /** Verify the server's certificate (default true); false is insecure and warned about on every run. */
  tlsVerify: boolean;
  /** Refuse to send the bind over a connection without TLS (an `ldap://` host then needs `start_tls`). */
  requireTlsCert: boolean;
  baseDn: string;
  searchPageSize: number;
  allUsersFilter: string;
  /** `{group}` is the directory group's name. */
  groupFilterFormat: string;
  /** `{group_dn}` is the group's DN. */
  groupMemberFilterFormat: string;
  twoStepsLookup?: TwoStepsLookup;
  formats: LdapFormats;
  /** How attribute values are decoded (default utf8). */
  stringEncoding: string;
  /** The mapped directory groups (`directory_users.groups[].directory_group`) whose members are looked up. */
  groups: readonly string[];
  /** Per-operation timeout (default 120 s) and connect timeout (default 15 s). */
  timeoutMs?: number;
  connectTimeoutMs?: number;
}

/** The User Sync Tool's defaults (its connector-ldap.yml template): Active Directory, disabled accounts left out. */
export const LDAP_DEFAULTS = {
  searchPageSize: 1000,
  allUsersFilter:
    '(&(objectClass=user)(objectCategory=person)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))',
  groupFilterFormat:
    '(&(|(objectCategory=group)(objectClass=groupOfNames)(objectClass=posixGroup))(cn={group}))',
  groupMemberFilterFormat: '(memberOf={group_dn})',
  formats: {
    email: '{mail}',
    givenName: '{givenName}',
    surname: '{sn}',
    countryCode: '{c}',
  },
  stringEncoding: 'utf8',
} as const;
