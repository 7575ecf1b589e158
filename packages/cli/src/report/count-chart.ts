import { escapeHtml } from './escape-html.js';

export interface ChartBar {
  label: string;
  value: number;
  /** A CSS class for the bar's fill (meaning is also in the label and the number, never in the colour only). */
  tone?: 'neutral' | 'good' | 'warn' | 'bad';
}

const ROW_HEIGHT = 22;
const LABEL_WIDTH = 190;
const BAR_WIDTH = 360;
const NUMBER_WIDTH = 80;

/**
 * A horizontal bar chart as inline SVG: one row per bar with its label and its number written out, so the chart
 * reads in print, in grey scale and to a screen reader (role="img" with a title listing every value).
 */
export function countChart(title: string, bars: readonly ChartBar[]): string {
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const height = bars.length * ROW_HEIGHT + 4;
  const width = LABEL_WIDTH + BAR_WIDTH + NUMBER_WIDTH;
  const summary = `${title}: ${bars.map((bar) => `${bar.label} ${String(bar.value)}`).join(', ')}`;
  const rows = bars.map((bar, index) => {
    const y = index * ROW_HEIGHT + 2;
    const length = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * BAR_WIDTH));
    return (
      `<text x="${String(LABEL_WIDTH - 8)}" y="${String(y + 15)}" text-anchor="end">${escapeHtml(bar.label)}</text>` +
      `<rect class="bar ${bar.tone ?? 'neutral'}" x="${String(LABEL_WIDTH)}" y="${String(y + 3)}" ` +
      `width="${String(length)}" height="${String(ROW_HEIGHT - 6)}"></rect>` +
      `<text x="${String(LABEL_WIDTH + length + 6)}" y="${String(y + 15)}">${String(bar.value)}</text>`
    );
  });
  return (
    `<svg class="chart" role="img" viewBox="0 0 ${String(width)} ${String(height)}" width="${String(width)}" ` +
    `height="${String(height)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(summary)}</title>` +
    `${rows.join('')}</svg>`
  );
}
