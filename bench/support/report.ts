/** One measured figure of a benchmark, with its target when the issue states one. */
export interface BenchResult {
  bench: string;
  metric: string;
  value: number;
  unit: string;
  /** e.g. '>= 0.95' or '< 100'; empty when there is no target. */
  target?: string;
  pass?: boolean;
}

export function check(value: number, target: string): boolean {
  const match = /^(>=|<=|<|>)\s*([\d.]+)$/.exec(target.trim());
  if (!match) return false;
  const bound = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return value >= bound;
    case '<=':
      return value <= bound;
    case '<':
      return value < bound;
    default:
      return value > bound;
  }
}

/** Builds a result, judging it against its target when it has one. */
export function result(
  bench: string,
  metric: string,
  value: number,
  unit: string,
  target?: string,
): BenchResult {
  const rounded = Math.round(value * 1000) / 1000;
  return target === undefined
    ? { bench, metric, value: rounded, unit }
    : { bench, metric, value: rounded, unit, target, pass: check(value, target) };
}

/** Prints the results of one benchmark process as the JSON line the runner reads. */
export function emit(results: BenchResult[]): void {
  process.stdout.write(JSON.stringify(results) + '\n');
}

export function formatTable(results: BenchResult[]): string {
  const rows = results.map((r) => [
    r.bench,
    r.metric,
    `${r.value} ${r.unit}`,
    r.target ?? '',
    r.pass === undefined ? '' : r.pass ? 'ok' : 'MISSED',
  ]);
  const head = ['benchmark', 'metric', 'value', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

/** Peak resident memory of this process so far, in MiB. */
export function peakRssMiB(): number {
  return process.resourceUsage().maxRSS / 1024;
}
