import { describe, expect, it } from 'vitest';
import { planToHtml, planCountBars } from '../../src/report/plan-html.js';
import { escapeHtml, jsonForScript } from '../../src/report/escape-html.js';
import { REPORT_CSP } from '../../src/report/report-page.js';
import { STATIC_ROWS } from '../../src/report/entry-table.js';
import { HOSTILE, reviewPlan, SCRIPT_NAME } from './plan-fixture.js';

const NOW = Date.parse('2026-12-04T03:05:00.000Z');

/** The page without its script and its JSON data: what the HTML itself shows. */
const markup = (html: string): string => html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');

describe('escaping', () => {
  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('JSON for a script element cannot end the element or open markup, and parses back to the same value', () => {
    const value = ['</script><!--', 'a&b', '\u2028'];
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&]/);
    expect(JSON.parse(text)).toEqual(value);
  });

  it('no hostile name, group or problem reaches the page as markup', () => {
    const html = planToHtml(reviewPlan(), { now: NOW });
    expect(html).not.toContain(HOSTILE);
    expect(html).not.toContain('<img');
    expect(html).not.toContain(SCRIPT_NAME);
    // Exactly the page's own two script elements (the script and the JSON data) open.
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html.match(/<\/script>/g)).toHaveLength(2);
    expect(markup(html)).toContain(escapeHtml(`firstname: ${HOSTILE}`));
    expect(markup(html)).toContain(escapeHtml(`line 9: Federated ID with no country ${HOSTILE}`));
  });
});

describe('the plan page', () => {
  const html = planToHtml(reviewPlan(), { now: NOW, source: '/srv/sync/plan.json' });

  it('has a policy that forbids any network access', () => {
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`);
    expect(REPORT_CSP).toMatch(/^default-src 'none'; /);
    expect(REPORT_CSP).not.toMatch(/https?:|\*/);
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
  });

  it('shows the digest, org, who planned it, fingerprints and the age', () => {
    expect(html).toContain('ab12'.repeat(16));
    expect(html).toContain('DEMO0RG@AdobeOrg');
    expect(html).toContain('ops@sync-host');
    expect(html).toContain('c'.repeat(64));
    expect(html).toContain('d'.repeat(64));
    expect(html).toContain('2026-12-04T01:00:00.000Z (2 h 5 min ago)');
  });

  it('counts each kind, group changes, held entries and problems as the plan has them', () => {
    const counts = Object.fromEntries(planCountBars(reviewPlan()).map((bar) => [bar.label, bar.value]));
    expect(counts).toEqual({
      creates: 1,
      updates: 2,
      'group additions': 3,
      'group removals': 3,
      'remove mapped groups': 1,
      'remove all groups': 0,
      'remove from org': 1,
      'delete account': 1,
      'held entries': 2,
      problems: 1,
    });
    expect(html).toContain('<tr><th scope="row">group removals</th><td>3</td></tr>');
    expect(html).toMatch(/<svg class="chart" role="img"[^>]*><title>Plan counts: creates 1, updates 2,/);
  });

  it('puts the held entries first, with the reason', () => {
    const held = html.indexOf('HELD: 2 destructive entries are held');
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(html.indexOf('About this plan'));
    expect(html).toContain('<td>2 destructive changes exceed max_deletions 1</td>');
  });

  it('shows old → new where the plan knows the old value', () => {
    expect(html).toContain('email: cleo.dev@example.com → cleo.developer@example.com');
    expect(html).toContain('lastname: → Developer');
    expect(html).toContain('username: eve.ops → eve.operations');
    expect(html).toContain('eve.ops (fed.example.com)');
  });

  it('is the same page for the same plan and clock', () => {
    expect(planToHtml(reviewPlan(), { now: NOW, source: '/srv/sync/plan.json' })).toBe(html);
  });

  it('writes the first rows as HTML and every row as data', () => {
    const big = planToHtml(reviewPlan(STATIC_ROWS + 100), { now: NOW });
    const data = /<script type="application\/json" id="entry-data">([\s\S]*?)<\/script>/.exec(big)?.[1] ?? '';
    expect((JSON.parse(data) as unknown[]).length).toBe(STATIC_ROWS + 106);
    const tbody = /<tbody id="entry-rows">([\s\S]*?)<\/tbody>/.exec(big)?.[1] ?? '';
    expect(tbody.match(/<tr>/g)).toHaveLength(STATIC_ROWS);
    expect(big).toContain(`Showing the first ${String(STATIC_ROWS)} of ${String(STATIC_ROWS + 106)} entries`);
  });

  it('lists the skipped directory rows with file, line and column, escaped, and says when only some are kept', () => {
    const plan = reviewPlan();
    plan.stats.skippedRows = 1500;
    plan.skippedRows = [
      { source: '/srv/hr/users.csv', line: 7, column: 'country', message: `unknown country ${HOSTILE}` },
    ];
    const page = markup(planToHtml(plan, { now: NOW }));
    expect(page).toContain('Skipped directory rows: 1500 (the first 1 shown)');
    expect(page).toContain('<td>/srv/hr/users.csv:7</td><td>country</td>');
    expect(page).toContain(escapeHtml(`unknown country ${HOSTILE}`));
    expect(page).not.toContain(HOSTILE);
    expect(markup(planToHtml(reviewPlan(), { now: NOW }))).not.toContain('Skipped directory rows');
  });
});
