import type { Client } from 'ldapts';
import { TextDecoder } from 'node:util';
import { directoryUserFrom, type DirectoryField } from '../directory-row.js';
import type { DirectorySource, SourceRow } from '../directory-source.js';
import type { FileRecord, RecordCell } from '../records.js';
import { parseTemplate, type AttributeTemplate } from './attribute-template.js';
import { normalizeDn } from './distinguished-name.js';
import { EntryValues } from './entry-values.js';
import { lookUpMemberships, type Memberships } from './group-membership.js';
import { closeQuietly, openLdapConnection } from './ldap-connection.js';
import { LdapSourceError } from './ldap-source-error.js';
import type { LdapFormats, LdapSourceOptions } from './ldap-source-options.js';
import { pagedSearch } from './paged-search.js';

/** The format key (for messages) and directory field of each template. */
const FIELDS: readonly [keyof LdapFormats, DirectoryField, string][] = [
  ['email', 'email', 'user_email_format'],
  ['username', 'username', 'user_username_format'],
  ['domain', 'domain', 'user_domain_format'],
  ['givenName', 'firstname', 'user_given_name_format'],
  ['surname', 'lastname', 'user_surname_format'],
  ['countryCode', 'country', 'user_country_code_format'],
  ['identityType', 'type', 'user_identity_type_format'],
];

/** What the last complete read found besides users (for `umapi sync check-source`). */
export interface LdapReadStats {
  users: number;
  groupsFound: string[];
  groupsMissing: string[];
}

/**
 * Users of an LDAP directory or Active Directory: one paged search with `all_users_filter` (streamed, one page in
 * memory), mapped by the `{attribute}` templates, with the mapped groups' members looked up first. Row numbers
 * count entries in the order read; problems name the entry's DN. Any failure throws `LdapSourceError`.
 */
export class LdapSource implements DirectorySource {
  readonly name: string;
  readonly options: LdapSourceOptions;
  readonly #templates: { template: AttributeTemplate; field: DirectoryField; key: string }[];
  #stats: LdapReadStats | undefined;

  constructor(options: LdapSourceOptions) {
    this.options = options;
    this.name = `${options.host.replace(/\/+$/, '')}/${options.baseDn}`;
    this.#templates = [];
    for (const [format, field, key] of FIELDS) {
      const text = options.formats[format];
      if (text === undefined) continue;
      const template = parseTemplate(text);
      if (typeof template === 'string') {
        throw new LdapSourceError('setting', options.host, `${key} "${text}" ${template}`);
      }
      this.#templates.push({ template, field, key });
    }
  }

  /** Set when a read has finished whole. */
  get stats(): LdapReadStats | undefined {
    return this.#stats;
  }

  async *rows(): AsyncIterable<SourceRow> {
    this.#stats = undefined;
    const client = await openLdapConnection(this.options);
    try {
      const memberships = await lookUpMemberships(client, this.options);
      let line = 0;
      for await (const row of this.#users(client, memberships)) {
        line = row.line;
        yield row;
      }
      this.#stats = { users: line, groupsFound: memberships.found, groupsMissing: memberships.missing };
    } finally {
      await closeQuietly(client);
    }
  }

  /** How many entries the group filter matches (`{group}` as `*`). */
  async countGroups(): Promise<number> {
    const client = await openLdapConnection(this.options);
    try {
      let count = 0;
      for await (const entry of pagedSearch(client, this.options, {
        base: this.options.baseDn,
        filter: this.options.groupFilterFormat.split('{group}').join('*'),
        attributes: ['1.1'],
        doing: 'counting groups',
      })) {
        if (entry.dn !== '') count += 1;
      }
      return count;
    } finally {
      await closeQuietly(client);
    }
  }

  async *#users(client: Client, memberships: Memberships): AsyncGenerator<SourceRow> {
    const attributes = new Set(['objectGUID', 'entryUUID']);
    for (const { template } of this.#templates) for (const name of template.attributes) attributes.add(name);
    if (memberships.byName.size > 0) attributes.add('uid');
    const utf8 = /^utf-?8$/i.test(this.options.stringEncoding);
    const decoder = new TextDecoder(this.options.stringEncoding);
    let line = 0;
    for await (const entry of pagedSearch(client, this.options, {
      base: this.options.baseDn,
      filter: this.options.allUsersFilter,
      attributes: [...attributes],
      buffers: utf8 ? ['objectGUID'] : [...attributes],
      doing: 'reading users',
    })) {
      line += 1;
      const values = new EntryValues(entry, decoder);
      const cells = new Map<string, RecordCell>();
      for (const { template, field, key } of this.#templates) {
        const value = template.render((name) => values.first(name));
        if (value !== undefined) cells.set(field, { value, column: `${key} ${template.text}` });
      }
      // As the User Sync Tool does: without user_domain_format, the domain is the email's.
      const email = cells.get('email')?.value;
      if (cells.has('username') && !cells.has('domain') && typeof email === 'string' && email.includes('@')) {
        cells.set('domain', {
          value: email.slice(email.lastIndexOf('@') + 1),
          column: 'domain of the email',
        });
      }
      const anchor = values.anchor();
      if (anchor !== undefined) cells.set('id', { value: anchor, column: 'objectGUID/entryUUID' });
      const groups = new Set(memberships.byDn.get(normalizeDn(entry.dn)));
      const uid = values.first('uid')?.toLowerCase();
      for (const group of (uid === undefined ? undefined : memberships.byName.get(uid)) ?? [])
        groups.add(group);
      cells.set('groups', { value: [...groups], column: 'groups' });
      const record: FileRecord = { line, cells };
      const columns: Partial<Record<DirectoryField, string>> = {};
      const result = directoryUserFrom(record, columns);
      if (result.problems === undefined) {
        yield { line, user: result.user };
      } else {
        yield {
          line,
          problems: result.problems.map((problem) => ({
            ...problem,
            message: `${entry.dn}: ${problem.message}`,
          })),
        };
      }
    }
  }
}
