import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oauthServerToServer, UmapiClient } from '@umapi-kit/client';
import { startEmulator, type Emulator } from '@umapi-kit/emulator';
import type { ClientFactory } from '@umapi-kit/cli';
import { FakeClock } from '../../../client/test/support/fake-clock.js';
import { demoOrgEnv } from '../../../../test-support/emulator-org.js';
import { umapiInFolder, type Run } from '../support/umapi-in-folder.js';

/**
 * The HTML reports of `sync plan --html`, `sync apply --report-html` and `sync report`, made by the CLI against
 * the emulator and opened from file:// in Debian's headless Chromium: no request but the file itself, no console
 * error, the held reason and a partial entry's error visible, counts as the plan's, search and the kind filter
 * showing exactly the matching rows, a hostile name as text, and printing to PDF. Chromium that cannot start
 * fails the test (it is installed by .ci/run).
 */
const CHROMIUM = '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=document.title=1>';
/** Screenshots for a person to look at: kept after the run, beside CI's vitest report (git ignores reports/). */
const SHOTS = fileURLToPath(new URL('../../../../reports/report-screenshots/', import.meta.url));

let emulator: Emulator;
let browser: Browser | undefined;
let dir = '';

beforeAll(async () => {
  emulator = await startEmulator({ listen: false, seed: 'demo', limits: 'off' });
  dir = await mkdtemp(join(tmpdir(), 'umapi-report-'));
  await mkdir(SHOTS, { recursive: true });
  // No skip: a machine without the browser fails here, naming what to install.
  expect(existsSync(CHROMIUM), `${CHROMIUM} is missing: apt-get install -y chromium`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 60_000);
afterAll(async () => {
  await emulator.close();
  await browser?.close();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

/** The real client on the CLI's settings, with a clock whose retry waits pass at once (the 429 costs no time). */
const createClient: ClientFactory = (settings, hooks) => {
  const clock = new FakeClock();
  return Promise.resolve(
    new UmapiClient({
      orgId: settings.orgId,
      credentials: oauthServerToServer({
        clientId: settings.clientId,
        clientSecret: settings.clientSecret,
        imsUrl: settings.imsUrl ?? '',
        fetch: emulator.fetch,
        clock,
      }),
      endpoint: settings.umapiUrl ?? '',
      fetch: emulator.fetch,
      clock,
      logger: hooks.logger,
      signal: hooks.signal,
      onRetry: (event) => {
        hooks.onRetry(event);
      },
      pacing: false,
    }),
  );
};

const umapi = (args: string[]): Promise<Run> =>
  umapiInFolder(emulator, dir, args, { overrides: { createClient } });

/** The demo org's directory, with a hostile first name, a create whose group is missing, and two users gone. */
async function writeInputs(): Promise<void> {
  await writeFile(
    join(dir, 'users.csv'),
    [
      'id,email,firstname,lastname,country,groups,type,username,domain',
      'a1,ada.admin@example.com,Ada,Admin,US,design,enterpriseID,,',
      'b1,ben.designer@example.com,Ben,Designer,GB,design,enterpriseID,,',
      'c1,cleo.dev@example.com,Cleo,Dev,DE,dev,enterpriseID,,',
      'e1,eve.ops@fed.example.com,Eve,Ops,CA,dev,federatedID,eve.ops,fed.example.com',
      `h1,hostile@fed.example.com,${HOSTILE},Name,US,dev,federatedID,,`,
      'n1,new.hire@fed.example.com,New,Hire,US,"design,ghost",federatedID,,',
      '',
    ].join('\n'),
  );
  await writeFile(
    join(dir, 'sync.yml'),
    [
      'directory_users:',
      '  user_identity_type: federatedID',
      '  connectors:',
      '    csv: users.csv',
      '  groups:',
      '    - directory_group: design',
      '      adobe_groups: [Designers]',
      '    - directory_group: dev',
      '      adobe_groups: [Developers]',
      '    - directory_group: ghost',
      '      adobe_groups: [Not Yet Created]',
      'adobe_users:',
      '  exclude_identity_types: [adobeID]',
      '  exclude_adobe_groups: [_org_admin]',
      "  exclude_users: ['.*@partner\\.example\\.org']",
      'limits:',
      '  max_adobe_only_users: 1',
      'invocation_defaults:',
      '  adobe_only_user_action: remove',
      '  update_user_info: true',
      '',
    ].join('\n'),
  );
}

interface Opened {
  page: Page;
  requests: string[];
  consoleErrors: string[];
}

/** Opens a report from file://, recording every request and console error; anything but the file is aborted. */
async function open(file: string): Promise<Opened> {
  if (browser === undefined) throw new Error('Chromium did not start');
  const page = await browser.newPage();
  const url = pathToFileURL(file).href;
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.route('**/*', async (route) => {
    requests.push(route.request().url());
    if (route.request().url() === url) await route.continue();
    else await route.abort();
  });
  await page.goto(url);
  return { page, requests, consoleErrors };
}

/** The cells' text of every row the entries table shows now. */
async function visibleRows(page: Page): Promise<string[][]> {
  const rows: string[][] = [];
  for (const row of await page.locator('#entry-rows tr').all())
    rows.push(await row.locator('td').allTextContents());
  return rows;
}

describe('reports in Chromium', () => {
  let planHtml = '';
  let planJson: { entries: { kind: string; target: { user: string }; held?: unknown }[] };

  beforeAll(async () => {
    await writeInputs();
    const planned = await umapi([
      'sync',
      'plan',
      '--sync-config',
      'sync.yml',
      '--out',
      'plan.json',
      '--html',
      'plan.html',
      '--json',
    ]);
    expect(planned.code, planned.stderr).toBe(5);
    planHtml = join(dir, 'plan.html');
    planJson = JSON.parse(await readFile(join(dir, 'plan.json'), 'utf8')) as typeof planJson;
  }, 60_000);

  it('the plan page: held first with its reason, counts as the plan, filter and search, a hostile name as text', async () => {
    expect((await stat(planHtml)).mode & 0o777).toBe(0o600);
    const text = await readFile(planHtml, 'utf8');
    expect(text).not.toContain(demoOrgEnv(emulator)['UMAPI_CLIENT_SECRET']);
    const { page, requests, consoleErrors } = await open(planHtml);
    try {
      expect(requests).toEqual([pathToFileURL(planHtml).href]);
      expect(consoleErrors).toEqual([]);
      const held = page.getByRole('heading', { name: /^HELD: 2 destructive entries are held/ });
      await expect(held.isVisible()).resolves.toBe(true);
      const body = await page.locator('body').innerText();
      expect(body).toContain(
        '2 destructive changes (removals, deletions, all groups taken) exceed max_deletions 1',
      );
      const creates = planJson.entries.filter((entry) => entry.kind === 'create').length;
      const row = await page.locator('table.counts tr', { hasText: /^creates/ }).innerText();
      expect(row.replace(/\s+/g, ' ').trim()).toBe(`creates ${String(creates)}`);

      // Every entry, then only the creates, then one user.
      expect(await visibleRows(page)).toHaveLength(planJson.entries.length);
      await page.getByLabel('Kind', { exact: true }).selectOption('create');
      const createRows = await visibleRows(page);
      expect(createRows.map((cells) => cells[0]).sort()).toEqual(
        planJson.entries
          .filter((entry) => entry.kind === 'create')
          .map((entry) => entry.target.user)
          .sort(),
      );
      await page.getByLabel('Kind', { exact: true }).selectOption('');
      await page.getByLabel('Search user', { exact: true }).fill('HOSTILE@');
      const found = await visibleRows(page);
      expect(found.map((cells) => cells[0])).toEqual(['hostile@fed.example.com']);
      expect(found[0]?.[3]).toContain(`firstname: ${HOSTILE}`);
      await expect(page.title()).resolves.toMatch(/^Sync plan/);
      expect(await page.locator('img').count()).toBe(0);

      // Sorting by user with the keyboard.
      await page.getByLabel('Search user', { exact: true }).fill('');
      await page.getByRole('button', { name: 'User' }).focus();
      await page.keyboard.press('Enter');
      const users = (await visibleRows(page)).map((cells) => cells[0] ?? '');
      expect(users).toEqual([...users].sort());
      await expect(page.locator('th[data-col="0"]').getAttribute('aria-sort')).resolves.toBe('ascending');

      await page.screenshot({ path: join(SHOTS, 'plan.png'), fullPage: true });
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      expect(consoleErrors).toEqual([]);
      expect(requests).toHaveLength(1);
    } finally {
      await page.close();
    }
  });

  it('the run page and the journal page show the partial entry with its error and the held entries', async () => {
    emulator.setFaults({ rules: [{ endpoint: 'action', fault: '429', on: [1], retryAfter: '30' }] });
    const applied = await umapi([
      'sync',
      'apply',
      'plan.json',
      '--yes',
      '--json',
      '--journal',
      'plan.journal.db',
      '--report-html',
      'run.html',
    ]);
    emulator.setFaults({ rules: [] });
    expect(applied.code, applied.stderr).toBe(3);
    const report = JSON.parse(applied.stdout) as {
      throttled: number;
      entries: { user: string; state: string; message?: string }[];
    };
    const partial = report.entries.find((entry) => entry.state === 'partial');
    expect(partial?.user).toBe('new.hire@fed.example.com');
    expect(report.throttled).toBe(1);

    const fromJournal = await umapi([
      'sync',
      'report',
      'plan.journal.db',
      '--plan',
      'plan.json',
      '--html',
      'journal.html',
    ]);
    expect(fromJournal.code, fromJournal.stderr).toBe(0);

    for (const name of ['run.html', 'journal.html']) {
      const file = join(dir, name);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const { page, requests, consoleErrors } = await open(file);
      try {
        expect(requests).toHaveLength(1);
        expect(consoleErrors).toEqual([]);
        const unfinished = await page.locator('table', { hasText: 'Entries that failed' }).innerText();
        expect(unfinished).toContain('new.hire@fed.example.com');
        expect(unfinished).toContain(partial?.message ?? 'no message');
        await expect(
          page.getByRole('heading', { name: /^HELD: 2 destructive entries were not sent/ }).isVisible(),
        ).resolves.toBe(true);
        await page.getByLabel('Outcome', { exact: true }).selectOption('partial');
        expect((await visibleRows(page)).map((cells) => cells[0])).toEqual(['new.hire@fed.example.com']);
        if (name === 'run.html') {
          const timeline = await page.locator('svg title', { hasText: /^Run timeline/ }).textContent();
          expect(timeline).toMatch(/1 retries, 1 of them 429s/);
        }
        await page.screenshot({ path: join(SHOTS, name.replace('.html', '.png')), fullPage: true });
        expect((await page.pdf()).subarray(0, 5).toString()).toBe('%PDF-');
      } finally {
        await page.close();
      }
    }
  });

  it('sync run --dry-run writes the plan page and a test-only run page', async () => {
    const run = await umapi([
      'sync',
      'run',
      '--sync-config',
      'sync.yml',
      '--dry-run',
      '--json',
      '--html',
      'dry-plan.html',
      '--report-html',
      'dry-run.html',
    ]);
    expect(run.stderr).toContain('wrote the plan page to dry-plan.html');
    expect(run.stderr).toContain('wrote the run report page to dry-run.html');
    const { page, requests, consoleErrors } = await open(join(dir, 'dry-run.html'));
    try {
      expect(requests).toHaveLength(1);
      expect(consoleErrors).toEqual([]);
      expect(await page.locator('dl.header').innerText()).toContain('test only (testOnly=true');
    } finally {
      await page.close();
    }
    await expect(readFile(join(dir, 'dry-plan.html'), 'utf8')).resolves.toContain('<h1>Sync plan for ');
  });

  it('without scripts (a mail viewer) the page still shows every entry of a small plan and no controls', async () => {
    if (browser === undefined) throw new Error('Chromium did not start');
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(pathToFileURL(planHtml).href);
      expect(await visibleRows(page)).toHaveLength(planJson.entries.length);
      await expect(page.locator('#entry-controls').isVisible()).resolves.toBe(false);
      await expect(page.locator('#entry-status').innerText()).resolves.toBe(
        `Showing all ${String(planJson.entries.length)} entries.`,
      );
    } finally {
      await context.close();
    }
  });
});
