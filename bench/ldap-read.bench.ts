/**
 * Reading 50,000 users and their groups from a real slapd (Debian's OpenLDAP, started here on 127.0.0.1): the
 * LDAP source's time and peak memory (streamed, nothing kept), against `ldapsearch` reading the same entries —
 * the users, then the 50 mapped groups with their members — with the same page size. Target: at most 1.5× the
 * time of ldapsearch.
 */
import { spawnSync } from 'node:child_process';
import { LdapSource, type LdapSourceOptions } from '@umapi-kit/sync';
import { startSlapd, SLAPD_ADMIN_DN, SLAPD_ADMIN_PASSWORD } from '../test-support/slapd.js';
import { emit, result } from './support/report.js';

const USERS = 50_000;
const GROUPS = 50;
const PAGE = 1000;
const BASE = 'ou=bench,dc=example,dc=com';
const USER_FILTER = '(objectClass=inetOrgPerson)';
const ATTRIBUTES = ['mail', 'givenName', 'sn', 'c', 'entryUUID', 'objectGUID'];

function ldif(): string {
  const blocks = [
    `dn: ${BASE}\nobjectClass: organizationalUnit\nou: bench\n`,
    `dn: ou=people,${BASE}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${BASE}\nobjectClass: organizationalUnit\nou: groups\n`,
  ];
  for (let index = 0; index < USERS; index += 1) {
    const uid = `u${String(index).padStart(6, '0')}`;
    blocks.push(
      `dn: uid=${uid},ou=people,${BASE}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\n` +
        `givenName: Given${String(index)}\nsn: Surname${String(index)}\nmail: ${uid}@example.com\n`,
    );
  }
  for (let group = 0; group < GROUPS; group += 1) {
    const members: string[] = [];
    for (let index = group; index < USERS; index += GROUPS) {
      members.push(`member: uid=u${String(index).padStart(6, '0')},ou=people,${BASE}`);
    }
    blocks.push(
      `dn: cn=g${String(group)},ou=groups,${BASE}\nobjectClass: groupOfNames\ncn: g${String(group)}\n${members.join('\n')}\n`,
    );
  }
  return blocks.join('\n');
}

const slapd = await startSlapd({ ldif: ldif() });
try {
  const groups = Array.from({ length: GROUPS }, (_, group) => `g${String(group)}`);
  const options: LdapSourceOptions = {
    host: slapd.url,
    username: SLAPD_ADMIN_DN,
    password: { value: SLAPD_ADMIN_PASSWORD },
    startTls: false,
    tlsVerify: true,
    requireTlsCert: false,
    baseDn: BASE,
    searchPageSize: PAGE,
    allUsersFilter: USER_FILTER,
    groupFilterFormat: '(&(objectClass=groupOfNames)(cn={group}))',
    groupMemberFilterFormat: '(memberOf={group_dn})',
    twoStepsLookup: { groupMemberAttributeName: 'member', nestedGroup: false },
    formats: { email: '{mail}', givenName: '{givenName}', surname: '{sn}', countryCode: '{c}' },
    stringEncoding: 'utf8',
    groups,
  };
  let peakHeap = 0;
  // One warm-up read each (slapd's caches), then the measured reads.
  const readWithSource = async (): Promise<{ ms: number; users: number; memberships: number }> => {
    const started = performance.now();
    let users = 0;
    let memberships = 0;
    for await (const row of new LdapSource(options).rows()) {
      if (row.user === undefined) throw new Error(`invalid row ${String(row.line)}`);
      users += 1;
      memberships += row.user.groups.length;
      if (users % 1000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
    return { ms: performance.now() - started, users, memberships };
  };
  const ldapsearch = (filter: string, attributes: string[]): void => {
    const run = spawnSync(
      'ldapsearch',
      [
        '-LLL',
        '-x',
        '-H',
        slapd.url,
        '-D',
        SLAPD_ADMIN_DN,
        '-w',
        SLAPD_ADMIN_PASSWORD,
        '-b',
        BASE,
        '-E',
        `pr=${String(PAGE)}/noprompt`,
        filter,
        ...attributes,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1024 * 1024 * 1024 },
    );
    if (run.status !== 0) throw new Error(`ldapsearch failed: ${run.stderr.toString()}`);
  };
  const readWithLdapsearch = (): number => {
    const started = performance.now();
    ldapsearch(USER_FILTER, ATTRIBUTES);
    for (const group of groups) ldapsearch(`(&(objectClass=groupOfNames)(cn=${group}))`, ['member']);
    return performance.now() - started;
  };
  await readWithSource();
  readWithLdapsearch();
  const runs = 3;
  let sourceMs = Infinity;
  let toolMs = Infinity;
  let read = { users: 0, memberships: 0 };
  for (let run = 0; run < runs; run += 1) {
    const measured = await readWithSource();
    sourceMs = Math.min(sourceMs, measured.ms);
    read = measured;
    toolMs = Math.min(toolMs, readWithLdapsearch());
  }
  if (read.users !== USERS || read.memberships !== USERS) {
    throw new Error(`read ${String(read.users)} users with ${String(read.memberships)} memberships`);
  }
  emit([
    result(
      'ldap-read',
      `read ${String(USERS)} users + ${String(GROUPS)} groups (page ${String(PAGE)}), best of ${String(runs)}`,
      sourceMs / 1000,
      's',
    ),
    result('ldap-read', 'ldapsearch, same entries and page size', toolMs / 1000, 's'),
    result('ldap-read', 'ratio to ldapsearch', sourceMs / toolMs, '×', '<= 1.5'),
    result(
      'ldap-read',
      'peak JS heap while reading (sampled every 1,000 users)',
      peakHeap / 1024 / 1024,
      'MiB',
    ),
    result(
      'ldap-read',
      'peak RSS of the process (includes building the LDIF)',
      process.resourceUsage().maxRSS / 1024,
      'MiB',
    ),
  ]);
} finally {
  await slapd.stop();
}
