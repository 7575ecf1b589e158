/**
 * The directory and the state store the sync planning benchmark plans with: the org's own users, with
 * deterministic differences, written once without anchors and once with an `id` on every row plus a state store
 * that holds the bindings a previous run left (issue 11).
 *
 * Per hundred Adobe users (by listing order n):
 *   n % 100 = 1   Adobe-only (no directory row; with anchors, its binding stays in the store, as after a departure)
 *   n % 100 = 2   last name changed
 *   n % 100 = 3   group changed
 *   n % 100 = 4   a new directory user next to it (with anchors: an id the store has no binding for)
 * With anchors only (bound in the store to the account as it is now, and matched by anchor):
 *   n % 100 = 5   email changed (the email-type username follows it)
 *   n % 100 = 6   username changed (to one that is not an email)
 *   n % 100 = 7   email and username changed
 *   n % 100 = 8   an extra directory user whose bound account vanished from the org (re-created)
 *   n % 1000 = 9  bound to the account's old email: the account was renamed and the run stopped before the new
 *                 name was bound (found again by its current email)
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { User } from '@umapi-kit/client';
import { SqliteStateStore, type AccountBinding, type IdentityType } from '@umapi-kit/sync';

export interface BenchDirectory {
  /** Directory rows written to each CSV. */
  rowsPlain: number;
  rowsAnchored: number;
  /** Bindings written to the anchored state store. */
  bindings: number;
  /** Every directory group name used (each is mapped to the Adobe group of the same name). */
  groups: string[];
}

/** A stable, GUID-shaped anchor (as LDAP's objectGUID or entryUUID would be). */
function anchorOf(kind: number, n: number): string {
  return `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

function csvLine(cells: readonly string[]): string {
  return cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',') + '\n';
}

async function end(stream: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/**
 * Writes `plainCsv` (no ids), `anchoredCsv` (an id on every row) and the bindings into the state stores at
 * `plainState` (empty but for a previous run) and `anchoredState`, from the org's users.
 */
export async function writeBenchDirectory(
  users: AsyncIterable<User>,
  orgId: string,
  paths: { plainCsv: string; anchoredCsv: string; plainState: string; anchoredState: string },
): Promise<BenchDirectory> {
  const plain = createWriteStream(paths.plainCsv);
  const anchored = createWriteStream(paths.anchoredCsv);
  plain.write('email,firstname,lastname,country,groups,type\n');
  anchored.write('id,email,username,domain,firstname,lastname,country,groups,type\n');
  const groups = new Set<string>(['Marketing', 'Designers']);
  const bindings: [string, AccountBinding][] = [];
  let rowsPlain = 0;
  let rowsAnchored = 0;
  let n = 0;
  for await (const user of users) {
    n += 1;
    const userGroups = (user.groups ?? []).filter((group) => !group.startsWith('_'));
    for (const group of userGroups) groups.add(group);
    if (user.type === 'adobeID' || user.type === 'unknown') continue;
    const type: IdentityType = user.type;
    const anchor = anchorOf(0, n);
    const bound: AccountBinding = { type, email: user.email };
    if (user.username !== undefined && user.username.toLowerCase() !== user.email.toLowerCase()) {
      bound.username = user.username;
      if (user.domain !== undefined) bound.domain = user.domain;
    }
    const slot = n % 100;
    if (slot === 1) {
      bindings.push([anchor, bound]);
      continue;
    }
    const at = user.email.lastIndexOf('@');
    const local = user.email.slice(0, at);
    const domain = user.domain ?? user.email.slice(at + 1);
    const lastname = slot === 2 ? `${user.lastname ?? ''} Renamed` : (user.lastname ?? '');
    const directoryGroups = slot === 3 ? [...userGroups.slice(1), 'Marketing'] : userGroups;
    const email = slot === 5 || slot === 7 ? `${local}.renamed@${domain}` : user.email;
    const username = slot === 6 || slot === 7 ? `${local}.login` : '';
    const rest = [user.firstname ?? '', lastname, user.country ?? 'US', directoryGroups.join(','), type];
    plain.write(csvLine([user.email, ...rest]));
    rowsPlain += 1;
    anchored.write(csvLine([anchor, email, username, username === '' ? '' : domain, ...rest]));
    rowsAnchored += 1;
    bindings.push([anchor, n % 1000 === 9 ? { type, email: `${local}.before@${domain}` } : bound]);
    if (slot === 4) {
      const row = [`new.${n}@${domain}`, 'New', `User ${n}`, 'US', 'Designers', type];
      plain.write(csvLine(row));
      rowsPlain += 1;
      anchored.write(csvLine([anchorOf(1, n), row[0]!, '', '', ...row.slice(1)]));
      rowsAnchored += 1;
    }
    if (slot === 8) {
      const gone = `left.${n}@${domain}`;
      anchored.write(csvLine([anchorOf(2, n), gone, '', '', 'Left', `User ${n}`, 'US', 'Designers', type]));
      rowsAnchored += 1;
      bindings.push([anchorOf(2, n), { type, email: gone }]);
    }
  }
  await Promise.all([end(plain), end(anchored)]);

  const previousRun = (directoryUsers: number) =>
    ({
      orgId,
      kind: 'plan',
      startedAt: '2026-01-01T00:00:00.000Z',
      finishedAt: '2026-01-01T00:01:00.000Z',
      outcome: 'complete',
      directoryUsers,
    }) as const;
  const plainStore = SqliteStateStore.open(paths.plainState);
  await plainStore.recordRun(previousRun(rowsPlain));
  await plainStore.close();
  const anchoredStore = SqliteStateStore.open(paths.anchoredState);
  await anchoredStore.bindAnchors(orgId, bindings);
  await anchoredStore.recordRun(previousRun(rowsAnchored));
  await anchoredStore.close();
  return { rowsPlain, rowsAnchored, bindings: bindings.length, groups: [...groups] };
}
