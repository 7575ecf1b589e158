/**
 * The LDIF the LDAP tests load into slapd: people with every attribute the templates read (and one without mail),
 * groups with `member`, `uniqueMember` and `memberUid`, two groups nested in each other (a cycle), a referral
 * beside `ou=main`, and `bulk` more users so paging takes many pages.
 */
export const MAIN_DN = 'ou=main,dc=example,dc=com';
export const PEOPLE_DN = `ou=people,${MAIN_DN}`;
export const GROUPS_DN = `ou=groups,${MAIN_DN}`;

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

interface Person {
  uid: string;
  mail?: string;
  givenName?: string;
  sn: string;
  c?: string;
  employeeType?: string;
  seeAlso?: string;
}

/** The named people (the bulk users come after them). */
export const PEOPLE: readonly Person[] = [
  {
    uid: 'ann',
    mail: 'ann@example.com',
    givenName: 'Ann',
    sn: 'Archer',
    c: 'US',
    employeeType: 'federatedID',
    seeAlso: `cn=designers,${GROUPS_DN}`,
  },
  {
    uid: 'bjorn',
    mail: 'bjorn@example.com',
    givenName: 'Björn',
    sn: 'Öberg',
    c: 'se',
    seeAlso: `cn=designers,${GROUPS_DN}`,
  },
  { uid: 'cy', sn: 'Nomail', givenName: 'Cy' },
  {
    uid: 'dee',
    mail: 'Dee.Dev@Example.com',
    givenName: 'Dee',
    sn: 'Dev',
    c: 'DE',
    employeeType: 'enterprise',
  },
  { uid: 'eve', mail: 'eve@example.com', givenName: 'Eve', sn: 'Ops', c: 'FR', employeeType: 'adobeID' },
];

function personLdif(person: Person): string {
  const lines = [
    `dn: uid=${person.uid},${PEOPLE_DN}`,
    'objectClass: inetOrgPerson',
    // `c` (country) is not among inetOrgPerson's attributes; extensibleObject allows it, as AD allows `c` on users.
    ...(person.c === undefined ? [] : ['objectClass: extensibleObject', `c: ${person.c}`]),
    `uid: ${person.uid}`,
    `cn: ${person.uid}`,
    `sn:: ${b64(person.sn)}`,
  ];
  if (person.givenName !== undefined) lines.push(`givenName:: ${b64(person.givenName)}`);
  if (person.mail !== undefined) lines.push(`mail: ${person.mail}`);
  if (person.employeeType !== undefined) lines.push(`employeeType: ${person.employeeType}`);
  if (person.seeAlso !== undefined) lines.push(`seeAlso: ${person.seeAlso}`);
  return `${lines.join('\n')}\n`;
}

export function bulkUid(index: number): string {
  return `user${String(index).padStart(5, '0')}`;
}

export function directoryLdif(options: { bulk: number }): string {
  const blocks = [
    `dn: ${MAIN_DN}\nobjectClass: organizationalUnit\nou: main\n`,
    `dn: ${PEOPLE_DN}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ${GROUPS_DN}\nobjectClass: organizationalUnit\nou: groups\n`,
    'dn: ou=partners,dc=example,dc=com\nobjectClass: referral\nobjectClass: extensibleObject\nou: partners\n' +
      'ref: ldap://partners.example.net/ou=partners,dc=example,dc=com\n',
    ...PEOPLE.map(personLdif),
    `dn: cn=designers,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: designers\n` +
      `member: uid=ann,${PEOPLE_DN}\nmember: UID=bjorn, OU=People, ${MAIN_DN}\nmember: cn=contractors,${GROUPS_DN}\n`,
    `dn: cn=contractors,${GROUPS_DN}\nobjectClass: groupOfNames\ncn: contractors\n` +
      `member: uid=dee,${PEOPLE_DN}\nmember: cn=designers,${GROUPS_DN}\nmember: uid=gone,${PEOPLE_DN}\n`,
    `dn: cn=reviewers,${GROUPS_DN}\nobjectClass: groupOfUniqueNames\ncn: reviewers\n` +
      `uniqueMember: uid=dee,${PEOPLE_DN}\nuniqueMember: uid=eve,${PEOPLE_DN}\n`,
    `dn: cn=ops,${GROUPS_DN}\nobjectClass: posixGroup\ncn: ops\ngidNumber: 5000\nmemberUid: eve\nmemberUid: ANN\n`,
    `dn: cn=R&D (Paris),${GROUPS_DN}\nobjectClass: groupOfNames\ncn: R&D (Paris)\nmember: uid=eve,${PEOPLE_DN}\n`,
  ];
  for (let index = 0; index < options.bulk; index += 1) {
    const uid = bulkUid(index);
    blocks.push(
      `dn: uid=${uid},${PEOPLE_DN}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${uid}\nsn: Bulk\n` +
        `givenName: User${String(index)}\nmail: ${uid}@example.com\n`,
    );
  }
  return blocks.join('\n');
}
