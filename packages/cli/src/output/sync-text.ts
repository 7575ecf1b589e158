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
  return `${entry.kind} ${entry.target.type} ${who}${parts.length > 0 ? `: ${parts.join('; ')}` : ''}`;
}

/** A readable summary: counts by kind, then the first `firstN` changes of each kind, warnings and problems. */
export function summarizePlan(plan: Plan, options: { firstN?: number } = {}): string {
  const firstN = options.firstN ?? 5;
  const counts = countEntries(plan);
  const { stats } = plan;
  const lines = [
    `Sync plan (${plan.strategy}): ${String(plan.entries.length)} commands`,
    `  directory users ${String(stats.directoryUsers)}, Adobe users read ${String(stats.adobeUsersRead)} ` +
      `(excluded ${String(stats.adobeUsersExcluded)}, matched ${String(stats.matched)}, unchanged ` +
      `${String(stats.unchanged)}, Adobe-only ${String(stats.adobeOnly)})`,
    `  group additions ${String(counts.groupAdds)}, group removals ${String(counts.groupRemovals)}`,
  ];
  for (const kind of ENTRY_KINDS) {
    if (counts[kind] === 0) continue;
    lines.push(`${kind}: ${String(counts[kind])}`);
    const some = plan.entries.filter((entry) => entry.kind === kind).slice(0, firstN);
    for (const entry of some) lines.push(`  ${describeEntry(entry)}`);
    if (counts[kind] > some.length) lines.push(`  … and ${String(counts[kind] - some.length)} more`);
  }
  if (plan.safetyLimit !== undefined) lines.push(`WARNING: ${plan.safetyLimit.message}`);
  for (const problem of plan.problems) lines.push(`skipped ${problem.email}: ${problem.message}`);
  return lines.join('\n');
}

const SHOWN_USERS = 5;

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
    `  succeeded ${String(counts.succeeded)}, failed ${String(counts.failed)}, ambiguous ${String(counts.ambiguous)}, ` +
      `pending ${String(unfinished)}`,
    `  sent this run ${String(counts.sentThisRun)}, reconciled by read-back ${String(counts.reconciledThisRun)}`,
    `  requests ${String(report.requests)}, retries ${String(report.retries)}, 429s ${String(report.throttled)}, ` +
      `waited ${(report.totalRetryDelayMs / 1000).toFixed(1)} s`,
  ];
  const groups = new Map<string, EntryOutcomeRecord[]>();
  for (const entry of report.entries) {
    if (entry.state !== 'failed' && entry.state !== 'ambiguous') continue;
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
  if (counts.ambiguous + unfinished > 0 && !report.testOnly) {
    const open = counts.ambiguous + unfinished;
    lines.push(
      `  ${String(open)} ${open === 1 ? 'entry is' : 'entries are'} not finished (no answer, or not sent yet): ` +
        'run the same apply with --resume to read them back and send only what is missing',
    );
  }
  return lines.join('\n');
}
