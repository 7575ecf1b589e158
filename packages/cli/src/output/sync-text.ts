/** Plans and run reports as text for a person at a terminal (the sync package returns only data). */
import {
  countEntries,
  ENTRY_KINDS,
  type EntryOutcomeRecord,
  type Plan,
  type PlanEntry,
  type RunReport,
} from '@umapi-kit/sync';

/** One line describing an entry, e.g. `update jdoe@example.com: lastname=Doe; +[Design]; -[Sales]`. */
export function describeEntry(entry: PlanEntry): string {
  const who =
    entry.target.domain === undefined ? entry.target.user : `${entry.target.user} (${entry.target.domain})`;
  const parts: string[] = [];
  if (entry.attributes !== undefined) {
    parts.push(
      Object.entries(entry.attributes)
        .map(([key, value]) => `${key}=${String(value)}`)
        .join(', '),
    );
  }
  if (entry.addGroups !== undefined) parts.push(`+[${entry.addGroups.join(', ')}]`);
  if (entry.removeGroups !== undefined) parts.push(`-[${entry.removeGroups.join(', ')}]`);
  const held = entry.held === undefined ? '' : ' [HELD]';
  return `${entry.kind}${held} ${entry.target.type} ${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** A readable summary: counts by kind, then the first `firstN` changes of each kind, warnings and problems. */
export function summarizePlan(plan: Plan, options: { firstN?: number } = {}): string {
  const firstN = options.firstN ?? 5;
  const counts = countEntries(plan);
  const { stats } = plan;
  const lines: string[] = [];
  const held = plan.entries.filter((entry) => entry.held !== undefined);
  if (plan.safety !== undefined) {
    // Held entries first and unmistakable: they are what a reviewer must look at.
    lines.push(
      `HELD: ${String(plan.safety.held)} destructive entries are held by the safety limits and will not be applied:`,
    );
    for (const reason of plan.safety.reasons) lines.push(`  ${reason}`);
    for (const entry of held.slice(0, firstN * 2)) lines.push(`  ${describeEntry(entry)}`);
    if (held.length > firstN * 2) lines.push(`  … and ${String(held.length - firstN * 2)} more`);
    lines.push('  review them, then apply with --release-held to send them');
  }
  lines.push(
    `Sync plan (${plan.strategy}): ${String(plan.entries.length)} commands`,
    `  directory users ${String(stats.directoryUsers)}, Adobe users read ${String(stats.adobeUsersRead)} ` +
      `(excluded ${String(stats.adobeUsersExcluded)}, matched ${String(stats.matched)}, unchanged ` +
      `${String(stats.unchanged)}, Adobe-only ${String(stats.adobeOnly)})`,
    `  group additions ${String(counts.groupAdds)}, group removals ${String(counts.groupRemovals)}`,
  );
  if (stats.matchedByAnchor > 0 || stats.mergedRows > 0) {
    lines.push(
      `  matched by anchor ${String(stats.matchedByAnchor)}, duplicate directory rows merged ${String(stats.mergedRows)}`,
    );
  }
  if (plan.digest !== undefined) lines.push(`  digest ${plan.digest}`);
  const createGroups = plan.createGroups ?? [];
  if (createGroups.length > 0) {
    lines.push(`create user groups first (auto_create): ${String(createGroups.length)}`);
    for (const name of createGroups.slice(0, firstN)) lines.push(`  ${name}`);
    if (createGroups.length > firstN) lines.push(`  … and ${String(createGroups.length - firstN)} more`);
  }
  for (const kind of ENTRY_KINDS) {
    if (counts[kind] === 0) continue;
    lines.push(`${kind}: ${String(counts[kind])}`);
    const some = plan.entries.filter((entry) => entry.kind === kind).slice(0, firstN);
    for (const entry of some) lines.push(`  ${describeEntry(entry)}`);
    if (counts[kind] > some.length) lines.push(`  … and ${String(counts[kind] - some.length)} more`);
  }
  if (plan.problems.length > 0) lines.push(`problems: ${String(plan.problems.length)}`);
  for (const problem of plan.problems) lines.push(`  ${problem.email}: ${problem.message}`);
  return lines.join('\n');
}

const SHOWN_USERS = 5;

/** What reading back the previous run's unanswered entries cost (nothing when there were none). */
function readBackText({ readBack }: RunReport): string {
  if (readBack.accounts === 0) return '';
  const how = readBack.listed ? 'from one listing of the org' : 'one by one';
  return ` (${String(readBack.accounts)} read ${how} in ${String(readBack.requests)} requests)`;
}

const plural = (count: number, one: string, many = `${one}s`): string =>
  `${String(count)} ${count === 1 ? one : many}`;

/**
 * The plan in one line, for stderr when the plan itself goes to stdout as JSON: `sync plan: 12 entries (create
 * 3, update 9); 500 directory users, 480 Adobe users read; 2 held, 1 problem`.
 */
export function planSummaryLine(plan: Plan): string {
  const counts = countEntries(plan);
  const kinds = ENTRY_KINDS.filter((kind) => counts[kind] > 0).map(
    (kind) => `${kind} ${String(counts[kind])}`,
  );
  return (
    `sync plan: ${plural(plan.entries.length, 'entry', 'entries')}` +
    `${kinds.length > 0 ? ` (${kinds.join(', ')})` : ''}; ${plural(plan.stats.directoryUsers, 'directory user')}, ` +
    `${plural(plan.stats.adobeUsersRead, 'Adobe user')} read; ${String(plan.safety?.held ?? 0)} held, ` +
    plural(plan.problems.length, 'problem')
  );
}

/** The run in one line, for stderr when the report goes to stdout as JSON. */
export function runSummaryLine(report: RunReport): string {
  const { counts } = report;
  const states = (['succeeded', 'partial', 'failed', 'ambiguous', 'held'] as const)
    .filter((state) => state === 'succeeded' || counts[state] > 0)
    .map((state) => `${String(counts[state])} ${state}`);
  const unsent = counts.pending + counts.sent;
  if (unsent > 0) states.push(`${String(unsent)} not sent`);
  return (
    `sync apply${report.testOnly ? ' (test mode)' : ''}: ${String(counts.total)} entries: ${states.join(', ')}; ` +
    `${plural(report.requests, 'request')} in ${(report.durationMs / 1000).toFixed(1)} s`
  );
}

/**
 * Every entry that did not finish, one line each (no grouping, no limit), e.g. `failed update jdoe@example.com:
 * error.user.not_found no such user`; held entries are not failures and are left to the summary.
 */
export function failureLines(report: RunReport): string[] {
  return report.entries
    .filter((entry) => entry.state !== 'succeeded' && entry.state !== 'held')
    .map((entry) => {
      const state = entry.state === 'pending' || entry.state === 'sent' ? 'not sent' : entry.state;
      const who = entry.domain === undefined ? entry.user : `${entry.user} (${entry.domain})`;
      const reason = [entry.errorCode, entry.message].filter((part) => part !== undefined).join(' ');
      return `${state} ${entry.kind} ${who}${reason === '' ? '' : `: ${reason}`}`;
    });
}

/**
 * The readable report: counts, then failed and ambiguous entries grouped by state and error (one line per
 * group with its first users), then what to do about entries that are not finished.
 */
export function formatRunReport(report: RunReport, options: { maxGroups?: number } = {}): string {
  const { counts } = report;
  const unfinished = counts.pending + counts.sent;
  const lines = [
    `Sync apply${report.testOnly ? ' (TEST MODE: nothing was changed)' : ''}: ${String(counts.total)} entries in ` +
      `${(report.durationMs / 1000).toFixed(1)} s`,
    `  succeeded ${String(counts.succeeded)}, partial ${String(counts.partial)}, failed ${String(counts.failed)}, ` +
      `ambiguous ${String(counts.ambiguous)}, held ${String(counts.held)}, pending ${String(unfinished)}`,
    `  sent this run ${String(counts.sentThisRun)}, reconciled by read-back ${String(counts.reconciledThisRun)}` +
      readBackText(report),
    `  requests ${String(report.requests)}, retries ${String(report.retries)}, 429s ${String(report.throttled)}, ` +
      `waited ${(report.totalRetryDelayMs / 1000).toFixed(1)} s`,
  ];
  const groups = new Map<string, EntryOutcomeRecord[]>();
  for (const entry of report.entries) {
    if (entry.state !== 'failed' && entry.state !== 'ambiguous' && entry.state !== 'partial') continue;
    const key = [entry.state, entry.kind, entry.errorCode ?? '', entry.message ?? ''].join('\u0000');
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [entry]);
    else group.push(entry);
  }
  const maxGroups = options.maxGroups ?? 20;
  for (const group of [...groups.values()].slice(0, maxGroups)) {
    const [first] = group as [EntryOutcomeRecord];
    const reason = [first.errorCode, first.message].filter((part) => part !== undefined).join(' ');
    lines.push(`  ${first.state} ${first.kind} ×${String(group.length)}: ${reason}`);
    const shown = group.slice(0, SHOWN_USERS).map((entry) => entry.user);
    const more = group.length > SHOWN_USERS ? ` … and ${String(group.length - SHOWN_USERS)} more` : '';
    lines.push(`    ${shown.join(', ')}${more}`);
  }
  if (groups.size > maxGroups) lines.push(`  … and ${String(groups.size - maxGroups)} more kinds of error`);
  const waiting = report.entries.filter((entry) => entry.waitsFor !== undefined);
  if (waiting.length > 0) {
    lines.push(
      `  ${String(waiting.length)} waiting for the entry that frees their email (it did not succeed): ` +
        waiting
          .slice(0, SHOWN_USERS)
          .map((entry) => entry.user)
          .join(', '),
    );
  }
  if (counts.ambiguous + counts.partial + unfinished > 0 && !report.testOnly) {
    const open = counts.ambiguous + counts.partial + unfinished;
    lines.push(
      `  ${String(open)} ${open === 1 ? 'entry is' : 'entries are'} not finished (no answer, a step left, or not ` +
        'sent yet): run the same apply with --resume to send only what is missing',
    );
  }
  if (counts.held > 0) {
    lines.push(
      `  ${String(counts.held)} held by the safety limits: review them, then apply again with --resume --release-held`,
    );
  }
  return lines.join('\n');
}
