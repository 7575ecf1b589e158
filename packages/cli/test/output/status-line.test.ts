import { describe, expect, it } from 'vitest';
import { progressText, terminalProgress } from '../../src/output/progress.js';
import { CLEAR_LINE, formatEta, StatusLine } from '../../src/output/status-line.js';
import { MemorySink } from '../support/fake-environment.js';

describe('ETA', () => {
  it('rounds the whole seconds first: never 1m60s', () => {
    expect(formatEta(119.6)).toBe('2m00s');
    expect(formatEta(59.5)).toBe('1m00s');
    expect(formatEta(59.4)).toBe('59s');
    expect(formatEta(185)).toBe('3m05s');
    expect(formatEta(3599.7)).toBe('1h00m');
    expect(formatEta(7620)).toBe('2h07m');
    expect(formatEta(Number.NaN)).toBe('?');
  });

  it('is the time per item so far times the items left, once a second has passed', () => {
    let now = 1_000;
    const sink = new MemorySink(true);
    const progress = terminalProgress(new StatusLine(sink), 'applying', () => now);
    progress.update(0, 400);
    now += 30_000;
    progress.update(100, 400);
    expect(sink.text.endsWith(`${CLEAR_LINE}${progressText('applying', 100, 400, 90)}`)).toBe(true);
    expect(sink.text).toContain('100/400 (25%) eta 1m30s');
  });
});

describe('the status line', () => {
  it('clears the display before any other write and draws it again after a full line', () => {
    const sink = new MemorySink(true);
    const line = new StatusLine(sink);
    line.show('applying 1/2');
    line.write('warning: rate limited\n');
    line.clear();
    line.clear();
    expect(sink.text).toBe(
      `${CLEAR_LINE}applying 1/2${CLEAR_LINE}warning: rate limited\napplying 1/2${CLEAR_LINE}`,
    );
  });

  it('stdout on the same terminal goes under the display the same way', () => {
    const stderr = new MemorySink(true);
    const stdout = new MemorySink(true);
    const line = new StatusLine(stderr);
    const out = line.through(stdout);
    line.show('users listed 100');
    out.write('ada@example.com\n');
    expect(stdout.text).toBe('ada@example.com\n');
    expect(stderr.text).toBe(`${CLEAR_LINE}users listed 100${CLEAR_LINE}users listed 100`);
  });

  it('never wraps: the text is cut to the width of the terminal', () => {
    const sink = Object.assign(new MemorySink(true), { columns: 20 });
    new StatusLine(sink).show('x'.repeat(50));
    expect(sink.text).toBe(`${CLEAR_LINE}${'x'.repeat(19)}`);
  });
});
