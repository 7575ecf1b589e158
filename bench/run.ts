/**
 * `npm run bench`: runs every `*.bench.ts` in this folder in its own process (so peak memory is per benchmark),
 * prints one readable table, and writes all figures as JSON to `bench/results/latest.json`.
 *
 * Usage: npm run bench [-- NAME ...]   (names filter the benchmarks by file name; the figures of the others
 *   stay in latest.json)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable, type BenchResult } from './support/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => filters.length === 0 || filters.some((name) => f.includes(name)))
  .sort();

const results: BenchResult[] = [];
let failed = 0;
for (const file of files) {
  process.stderr.write(`running ${file} ...\n`);
  const child = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const line = child.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('['));
  if (child.status !== 0 || line === undefined) {
    failed += 1;
    process.stderr.write(`${file} failed (exit ${String(child.status)})\n`);
    continue;
  }
  results.push(...(JSON.parse(line) as BenchResult[]));
}

mkdirSync(join(here, 'results'), { recursive: true });
const latestPath = join(here, 'results', 'latest.json');
const report = { date: new Date().toISOString(), node: process.version, results };
// A filtered run replaces only its own benchmarks' figures in latest.json and keeps the others.
const rerun = new Set(results.map((r) => r.bench));
const kept =
  filters.length > 0 && existsSync(latestPath)
    ? (JSON.parse(readFileSync(latestPath, 'utf8')) as { results: BenchResult[] }).results.filter(
        (r) => !rerun.has(r.bench),
      )
    : [];
const saved = { ...report, results: [...kept, ...results].sort((a, b) => a.bench.localeCompare(b.bench)) };
writeFileSync(latestPath, JSON.stringify(saved, null, 2) + '\n');
process.stdout.write(JSON.stringify(report) + '\n\n');
process.stdout.write(formatTable(results) + '\n');
process.exitCode = failed === 0 ? 0 : 1;
