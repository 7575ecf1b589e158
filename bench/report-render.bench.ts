/**
 * HTML plan reports (issue 16): the file size, and in Debian's headless Chromium (playwright-core, the system
 * binary) the time from opening the file to the first entry rows, to a search by user showing its one row, and to
 * the kind filter showing its rows, at 1,000, 20,000 and 200,000 entries. The plan is a real planner's: creates,
 * updates with group changes and Adobe-only removals.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { defaultRules, plan, type AdobeUser, type DirectoryUser } from '@umapi-kit/sync';
import { planToHtml } from '../packages/cli/src/report/plan-html.js';
import { emit, result, type BenchResult } from './support/report.js';

const BENCH = 'html report';
const SIZES = [1_000, 20_000, 200_000];

const name = (n: number): string => `user${String(n).padStart(7, '0')}@example.com`;

/** `entries` entries: a third creates, a third updates (group changes), a third Adobe-only removals. */
function makePlan(entries: number) {
  const third = Math.floor(entries / 3);
  const directory: DirectoryUser[] = [];
  const adobe: AdobeUser[] = [];
  for (let n = 0; n < 2 * third; n += 1) {
    directory.push({
      email: name(n),
      firstname: 'Ann',
      lastname: `L${String(n)}`,
      country: 'US',
      groups: ['design'],
    });
  }
  for (let n = third; n < entries; n += 1) {
    adobe.push({
      email: name(n),
      type: 'federatedID',
      firstname: 'Ann',
      lastname: `L${String(n)}`,
      groups: ['Dev'],
    });
  }
  const rules = defaultRules({
    groups: [
      { directoryGroup: 'design', adobeGroups: ['Designers'] },
      { directoryGroup: 'dev', adobeGroups: ['Dev'] },
    ],
    adobeOnlyUserAction: 'remove',
    maxDeletions: { count: entries },
  });
  return plan(directory, adobe, rules);
}

const dir = mkdtempSync(join(tmpdir(), 'bench-report-'));
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox'],
});
const results: BenchResult[] = [];
try {
  for (const size of SIZES) {
    const p = makePlan(size);
    const started = performance.now();
    const html = planToHtml(p, { now: Date.now() });
    const generateMs = performance.now() - started;
    const file = join(dir, `plan-${String(size)}.html`);
    writeFileSync(file, html);
    const page = await browser.newPage();
    const opened = performance.now();
    await page.goto(pathToFileURL(file).href);
    await page.locator('#entry-rows tr').first().waitFor();
    const renderMs = performance.now() - opened;

    const wanted = name(Math.floor(size / 2));
    const searched = performance.now();
    await page.getByLabel('Search user', { exact: true }).fill(wanted);
    // Page-side code as text: the bench is type-checked without the DOM library.
    await page.waitForFunction(
      `(() => { const rows = document.querySelectorAll('#entry-rows tr');
        return rows.length === 1 && rows[0].textContent.includes(${JSON.stringify(wanted)}); })()`,
    );
    const searchMs = performance.now() - searched;
    await page.getByLabel('Search user', { exact: true }).fill('');

    const filtered = performance.now();
    await page.getByLabel('Kind', { exact: true }).selectOption('create');
    await page.waitForFunction(
      `(() => { const rows = [...document.querySelectorAll('#entry-rows tr')];
        return rows.length > 0 && rows.every((row) => row.textContent.includes('create')); })()`,
    );
    const filterMs = performance.now() - filtered;
    await page.close();

    const label = `${size.toLocaleString('en-US')} entries`;
    results.push(
      result(BENCH, `${label}: file size`, statSync(file).size / 1024 / 1024, 'MiB'),
      result(BENCH, `${label}: generate (Node)`, generateMs, 'ms'),
      result(BENCH, `${label}: open to first rows`, renderMs, 'ms', size === 200_000 ? '< 5000' : '< 2000'),
      result(BENCH, `${label}: search by user`, searchMs, 'ms', '< 1000'),
      result(BENCH, `${label}: filter by kind`, filterMs, 'ms', '< 1000'),
    );
  }
} finally {
  await browser.close();
  rmSync(dir, { recursive: true, force: true });
}
emit(results);
