import { escapeHtml } from './escape-html.js';

/** `3 h 5 min`, `2 d 4 h`, `40 s`: how long ago, for the reviewer. */
export function describeAge(ms: number): string {
  if (ms < 0) return 'in the future (check the clock of the machine that planned it)';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${String(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${String(minutes)} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${String(hours)} h ${String(minutes % 60)} min`;
  return `${String(Math.floor(hours / 24))} d ${String(hours % 24)} h`;
}

/** A definition list of the header's facts; `code: true` sets a value in monospace (digests, fingerprints). */
export function headerList(items: readonly { term: string; value: string; code?: boolean }[]): string {
  const rows = items.map(
    (item) =>
      `<dt>${escapeHtml(item.term)}</dt><dd>${
        item.code === true ? `<code>${escapeHtml(item.value)}</code>` : escapeHtml(item.value)
      }</dd>`,
  );
  return `<dl class="header">${rows.join('')}</dl>`;
}

/** The numbers as a table (what the chart draws, for print and for screen readers). */
export function countTable(caption: string, rows: readonly { label: string; value: number }[]): string {
  return (
    `<table class="counts"><caption>${escapeHtml(caption)}</caption><tbody>` +
    rows
      .map((row) => `<tr><th scope="row">${escapeHtml(row.label)}</th><td>${String(row.value)}</td></tr>`)
      .join('') +
    '</tbody></table>'
  );
}
