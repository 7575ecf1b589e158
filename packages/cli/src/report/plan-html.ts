import { countEntries, type Plan } from '@umapi-kit/sync';
import { countChart, type ChartBar } from './count-chart.js';
import { escapeHtml } from './escape-html.js';
import { planEntryRow } from './entry-rows.js';
import { entryList, entryTable } from './entry-table.js';
import { countTable, describeAge, headerList } from './report-header.js';
import { reportPage } from './report-page.js';

export interface PlanReportOptions {
  /** Now, in milliseconds (the plan's age is shown against it). */
  now: number;
  /** Where the plan was read from or written to, when it is a file. */
  source?: string;
}

/** The counts a plan report shows, in order: by kind, group changes, held entries and problems. */
export function planCountBars(plan: Plan): ChartBar[] {
  const counts = countEntries(plan);
  const held = plan.entries.filter((entry) => entry.held !== undefined).length;
  return [
    { label: 'creates', value: counts.create, tone: 'good' },
    { label: 'updates', value: counts.update },
    { label: 'group additions', value: counts.groupAdds, tone: 'good' },
    { label: 'group removals', value: counts.groupRemovals, tone: 'warn' },
    { label: 'remove mapped groups', value: counts['remove-mapped-groups'], tone: 'warn' },
    { label: 'remove all groups', value: counts['remove-all-groups'], tone: 'warn' },
    { label: 'remove from org', value: counts['remove-from-org'], tone: 'bad' },
    { label: 'delete account', value: counts['delete-account'], tone: 'bad' },
    { label: 'held entries', value: held, tone: 'bad' },
    { label: 'problems', value: plan.problems.length, tone: 'bad' },
  ];
}

function headerSection(plan: Plan, options: PlanReportOptions): string {
  const origin = plan.origin;
  const items: { term: string; value: string; code?: boolean }[] = [];
  if (options.source !== undefined) items.push({ term: 'File', value: options.source });
  if (origin !== undefined) {
    const age = options.now - Date.parse(origin.createdAt);
    items.push(
      { term: 'Org', value: origin.orgId },
      { term: 'Planned at', value: `${origin.createdAt} (${describeAge(age)} ago)` },
      { term: 'Planned by', value: origin.createdBy },
      { term: 'Apply refuses it after', value: describeAge(origin.maxAgeMs) },
      { term: 'Config fingerprint', value: origin.configFingerprint, code: true },
      { term: 'Directory fingerprint', value: origin.directoryFingerprint, code: true },
      { term: 'Signed with state store', value: origin.stateLocation },
    );
  } else {
    items.push({ term: 'Origin', value: 'not recorded (a plan made before plans carried their origin)' });
  }
  items.push(
    { term: 'Strategy', value: plan.strategy },
    { term: 'Adobe-only user action', value: plan.adobeOnlyUserAction },
    { term: 'Excluded identity types', value: plan.exclusions.identityTypes.join(', ') || 'none' },
    { term: 'Excluded Adobe groups', value: plan.exclusions.adobeGroups.join(', ') || 'none' },
    { term: 'Excluded users (patterns)', value: plan.exclusions.users.join(', ') || 'none' },
    {
      term: 'Digest',
      value: plan.digest ?? 'none (unsigned: apply refuses it)',
      code: plan.digest !== undefined,
    },
  );
  return `<section aria-labelledby="about-h"><h2 id="about-h">About this plan</h2>${headerList(items)}</section>`;
}

function heldSection(plan: Plan): string {
  const held = plan.entries.filter((entry) => entry.held !== undefined).map(planEntryRow);
  if (held.length === 0) {
    return '<section class="ok-box" aria-labelledby="held-h"><h2 id="held-h">Held entries: none</h2><p>No destructive entry is held by the safety limits.</p></section>';
  }
  const reasons = (plan.safety?.reasons ?? []).map((reason) => `<li>${escapeHtml(reason)}</li>`).join('');
  return (
    `<section class="held-box" aria-labelledby="held-h"><h2 id="held-h">HELD: ${String(held.length)} destructive ` +
    `entr${held.length === 1 ? 'y is' : 'ies are'} held by the safety limits</h2>` +
    `<p>They are not applied unless the apply is given <code>--release-held</code>. Why:</p><ul>${reasons}</ul>` +
    `${entryList(held, 'Held entries', 'held')}</section>`
  );
}

function problemSection(plan: Plan): string {
  if (plan.problems.length === 0)
    return '<section aria-labelledby="problems-h"><h2 id="problems-h">Problems: none</h2></section>';
  const rows = plan.problems
    .map((problem) => `<tr><td>${escapeHtml(problem.email)}</td><td>${escapeHtml(problem.message)}</td></tr>`)
    .join('');
  return (
    `<section aria-labelledby="problems-h"><h2 id="problems-h">Problems: ${String(plan.problems.length)} ` +
    `directory user${plan.problems.length === 1 ? '' : 's'} could not be planned</h2>` +
    `<table><caption>Problems</caption><thead><tr><th scope="col">User</th><th scope="col">Why</th></tr></thead>` +
    `<tbody>${rows}</tbody></table></section>`
  );
}

/** The directory rows skipped as invalid, with their file and line (the plan keeps the first 1,000). */
function skippedRowsSection(plan: Plan): string {
  const rows = plan.skippedRows ?? [];
  const total = plan.stats.skippedRows ?? rows.length;
  if (total === 0) return '';
  const body = rows
    .map(
      (row) =>
        `<tr><td>${escapeHtml(row.source)}:${String(row.line)}</td><td>${escapeHtml(row.column ?? '')}</td>` +
        `<td>${escapeHtml(row.message)}</td></tr>`,
    )
    .join('');
  const shown = rows.length < total ? ` (the first ${String(rows.length)} shown)` : '';
  return (
    `<section aria-labelledby="skipped-h"><h2 id="skipped-h">Skipped directory rows: ${String(total)}${shown}</h2>` +
    '<p>These rows were invalid, so their users are in no entry below.</p>' +
    '<table><caption>Skipped directory rows</caption><thead><tr><th scope="col">File and line</th>' +
    `<th scope="col">Column</th><th scope="col">Why</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}

function statsSection(plan: Plan): string {
  const s = plan.stats;
  return countTable('What was read', [
    { label: 'directory users', value: s.directoryUsers },
    { label: 'directory rows merged', value: s.mergedRows },
    { label: 'Adobe users read', value: s.adobeUsersRead },
    { label: 'Adobe users excluded', value: s.adobeUsersExcluded },
    { label: 'matched', value: s.matched },
    { label: 'matched by anchor', value: s.matchedByAnchor },
    { label: 'unchanged', value: s.unchanged },
    { label: 'Adobe-only', value: s.adobeOnly },
  ]);
}

/** A sync plan as one self-contained HTML page for review (pure: the same plan and `now` give the same page). */
export function planToHtml(plan: Plan, options: PlanReportOptions): string {
  const bars = planCountBars(plan);
  const org = plan.origin?.orgId ?? 'unknown org';
  const body = [
    `<h1>Sync plan for ${escapeHtml(org)}: ${String(plan.entries.length)} entr${plan.entries.length === 1 ? 'y' : 'ies'}</h1>`,
    '<p class="note">Made by umapi-kit. This page changes nothing; check its digest against the plan file before applying.</p>',
    heldSection(plan),
    headerSection(plan, options),
    `<section aria-labelledby="counts-h"><h2 id="counts-h">Counts</h2>${countChart('Plan counts', bars)}${countTable('Plan counts', bars)}${statsSection(plan)}</section>`,
    problemSection(plan),
    skippedRowsSection(plan),
    entryTable(plan.entries.map(planEntryRow), { withOutcome: false }),
  ].join('\n');
  return reportPage(`Sync plan: ${org}`, body);
}
