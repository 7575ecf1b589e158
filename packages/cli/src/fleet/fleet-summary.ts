import type { FleetOrgResult } from './run-fleet.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The fleet's summary: one aligned row per org (org, outcome, entries, duration, requests, 429s) and a total. */
export function fleetSummaryTable(results: readonly FleetOrgResult[]): string {
  const header = ['ORG', 'OUTCOME', 'ENTRIES', 'DURATION', 'REQUESTS', '429S', 'NOTE'];
  const rows = results.map((result) => [
    result.name,
    result.outcome,
    result.entries === 0 ? '0' : `${String(result.succeeded)}/${String(result.entries)}`,
    seconds(result.durationMs),
    String(result.requests),
    String(result.throttled),
    result.failure ?? (result.held > 0 ? `${String(result.held)} held` : ''),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  const ok = results.filter((result) => result.outcome === 'ok').length;
  const skipped = results.filter((result) => result.outcome === 'outside-window').length;
  const others = results.length - ok - skipped;
  return [
    line(header),
    ...rows.map(line),
    '',
    `${String(results.length)} orgs: ${String(ok)} ok, ${String(others)} not ok, ${String(skipped)} outside their window`,
  ].join('\n');
}
