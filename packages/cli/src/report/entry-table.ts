import { escapeHtml, jsonForScript } from './escape-html.js';
import type { EntryRow } from './entry-rows.js';

/** Rows written as plain HTML (shown without the script, and printed); the script pages through all of them. */
export const STATIC_ROWS = 500;

/** The compact form the script reads: [kind, user, type, changes, added, removed, held, state, error]. */
type DataRow = [string, string, string, string[], string[], string[], string, string, string];

function dataRow(row: EntryRow): DataRow {
  return [
    row.kind,
    row.user,
    row.type,
    row.changes,
    row.addGroups,
    row.removeGroups,
    row.held ?? '',
    row.state ?? '',
    row.error ?? '',
  ];
}

const list = (items: readonly string[]): string =>
  items.length === 0 ? '' : `<ul>${items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</ul>`;

export function kindCell(kind: string, held: string | undefined): string {
  return held === undefined
    ? escapeHtml(kind)
    : `${escapeHtml(kind)} <strong class="held-mark">HELD</strong>`;
}

function rowHtml(row: EntryRow, withOutcome: boolean): string {
  const cells = [
    escapeHtml(row.user),
    escapeHtml(row.type),
    kindCell(row.kind, row.held),
    list(row.changes),
    list(row.addGroups),
    list(row.removeGroups),
  ];
  if (withOutcome) cells.push(escapeHtml(row.state ?? ''), escapeHtml(row.error ?? ''));
  return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
}

const COLUMNS = ['User', 'Identity type', 'Kind', 'Attribute changes', 'Groups added', 'Groups removed'];

/**
 * The table of every entry: the first rows as HTML, every row as JSON data for the script, which adds search,
 * filters, sorting and paging (so 200,000 entries never become 200,000 DOM rows).
 */
export function entryTable(rows: readonly EntryRow[], options: { withOutcome: boolean }): string {
  const columns = options.withOutcome ? [...COLUMNS, 'Outcome', 'Error'] : COLUMNS;
  const kinds = [...new Set(rows.map((row) => row.kind))].sort();
  const groups = [...new Set(rows.flatMap((row) => [...row.addGroups, ...row.removeGroups]))].sort();
  const states = [...new Set(rows.map((row) => row.state ?? ''))].filter((state) => state !== '').sort();
  const option = (value: string): string =>
    `<option value="${escapeHtml(value)}">${escapeHtml(value)}</option>`;
  const shown = rows.slice(0, STATIC_ROWS);
  const rest = rows.length - shown.length;
  return [
    `<section id="entries" aria-labelledby="entries-h"><h2 id="entries-h">Every entry (${String(rows.length)})</h2>`,
    '<form class="controls" id="entry-controls" hidden>',
    '<label for="f-user">Search user</label> <input type="search" id="f-user" autocomplete="off">',
    `<label for="f-kind">Kind</label> <select id="f-kind"><option value="">all kinds</option>${kinds.map(option).join('')}</select>`,
    `<label for="f-group">Group</label> <select id="f-group"><option value="">all groups</option>${groups.map(option).join('')}</select>`,
    options.withOutcome
      ? `<label for="f-state">Outcome</label> <select id="f-state"><option value="">all outcomes</option>${states.map(option).join('')}</select>`
      : '',
    '<input type="checkbox" id="f-held"> <label for="f-held">held only</label>',
    '</form>',
    `<p id="entry-status" role="status">${
      rest > 0
        ? `Showing the first ${String(shown.length)} of ${String(rows.length)} entries (the rest are in the file's data; open it in a browser with scripts on to search them all).`
        : `Showing all ${String(rows.length)} entries.`
    }</p>`,
    `<table class="entries"><caption class="sr-only">Plan entries</caption><thead><tr>${columns
      .map((name, index) => `<th scope="col" data-col="${String(index)}">${escapeHtml(name)}</th>`)
      .join('')}</tr></thead>`,
    `<tbody id="entry-rows">${shown.map((row) => rowHtml(row, options.withOutcome)).join('')}</tbody></table>`,
    '<p><button type="button" id="more" hidden>Show more</button></p>',
    `<script type="application/json" id="entry-data">${jsonForScript(rows.map(dataRow))}</script>`,
    '</section>',
  ].join('\n');
}

/** At most this many rows in a list of held or unfinished entries (the table of every entry has them all). */
export const LIST_ROWS = 1000;

/** A table of some entries (held, not finished) as HTML: the first `LIST_ROWS`, then how many more. */
export function entryList(
  rows: readonly EntryRow[],
  caption: string,
  columns: 'held' | 'unfinished',
): string {
  const head =
    columns === 'held'
      ? ['User', 'Identity type', 'Kind', 'Why it is held', 'Groups removed']
      : ['User', 'Kind', 'Outcome', 'Error'];
  const body = rows.slice(0, LIST_ROWS).map((row) => {
    const cells =
      columns === 'held'
        ? [
            escapeHtml(row.user),
            escapeHtml(row.type),
            escapeHtml(row.kind),
            escapeHtml(row.held ?? ''),
            list(row.removeGroups),
          ]
        : [
            escapeHtml(row.user),
            escapeHtml(row.kind),
            escapeHtml(row.state ?? ''),
            escapeHtml(row.error ?? ''),
          ];
    return `<tr>${cells.map((cell) => `<td>${cell}</td>`).join('')}</tr>`;
  });
  const more =
    rows.length > LIST_ROWS
      ? `<p>… and ${String(rows.length - LIST_ROWS)} more: see every entry below (filter by kind, held or outcome).</p>`
      : '';
  return `<table><caption>${escapeHtml(caption)}</caption><thead><tr>${head
    .map((name) => `<th scope="col">${name}</th>`)
    .join('')}</tr></thead><tbody>${body.join('')}</tbody></table>${more}`;
}
