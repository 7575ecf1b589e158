import { escapeHtml } from './escape-html.js';

/** What happened over a run, as the CLI saw it: progress samples and every retry (429s marked). */
export interface RunTimeline {
  startedAt: number;
  samples: { at: number; done: number; total: number; failed: number }[];
  retries: { at: number; throttled: boolean; status?: number; delayMs: number }[];
}

/** Collects a run's timeline from the applier's progress and the client's retry events, with an injected clock. */
export class RunTimelineRecorder {
  readonly #now: () => number;
  readonly timeline: RunTimeline;
  constructor(now: () => number) {
    this.#now = now;
    this.timeline = { startedAt: now(), samples: [], retries: [] };
  }
  progress(event: { done: number; total: number; failed: number }): void {
    this.timeline.samples.push({
      at: this.#now(),
      done: event.done,
      total: event.total,
      failed: event.failed,
    });
  }
  retry(event: { reason: string; status?: number; delayMs: number }): void {
    const mark: RunTimeline['retries'][number] = {
      at: this.#now(),
      throttled: event.reason === 'rate-limited' || event.status === 429,
      delayMs: event.delayMs,
    };
    if (event.status !== undefined) mark.status = event.status;
    this.timeline.retries.push(mark);
  }
}

const WIDTH = 640;
const HEIGHT = 180;
const LEFT = 50;
const BOTTOM = 30;

/**
 * The timeline as inline SVG: entries done (solid) and failed (dashed) over time, with a mark per retry (circle)
 * and per 429 (triangle), told apart by shape and named in the title, not by colour only.
 */
export function timelineChart(timeline: RunTimeline): string {
  const end = Math.max(
    timeline.startedAt + 1,
    ...timeline.samples.map((sample) => sample.at),
    ...timeline.retries.map((retry) => retry.at),
  );
  const span = end - timeline.startedAt;
  const total = Math.max(1, ...timeline.samples.map((sample) => sample.total));
  const plotWidth = WIDTH - LEFT - 10;
  const plotHeight = HEIGHT - BOTTOM - 10;
  const x = (at: number): number => LEFT + Math.round(((at - timeline.startedAt) / span) * plotWidth);
  const y = (count: number): number => 10 + plotHeight - Math.round((count / total) * plotHeight);
  const path = (pick: (sample: RunTimeline['samples'][number]) => number): string =>
    [`${String(x(timeline.startedAt))},${String(y(0))}`]
      .concat(timeline.samples.map((sample) => `${String(x(sample.at))},${String(y(pick(sample)))}`))
      .join(' ');
  const throttled = timeline.retries.filter((retry) => retry.throttled).length;
  const summary =
    `Run timeline over ${String(Math.round(span / 1000))} s: ${String(timeline.samples.at(-1)?.done ?? 0)} of ` +
    `${String(total)} entries done, ${String(timeline.retries.length)} retries, ${String(throttled)} of them 429s`;
  const marks = timeline.retries.map((retry) => {
    const mx = x(retry.at);
    const my = HEIGHT - BOTTOM + 12;
    const label = `${retry.throttled ? '429 rate limited' : `retry${retry.status === undefined ? '' : ` after ${String(retry.status)}`}`}, waited ${String(retry.delayMs)} ms`;
    return retry.throttled
      ? `<polygon class="mark throttled" points="${String(mx)},${String(my - 6)} ${String(mx - 5)},${String(my + 4)} ${String(mx + 5)},${String(my + 4)}"><title>${escapeHtml(label)}</title></polygon>`
      : `<circle class="mark retry" cx="${String(mx)}" cy="${String(my)}" r="4"><title>${escapeHtml(label)}</title></circle>`;
  });
  return (
    `<svg class="chart" role="img" viewBox="0 0 ${String(WIDTH)} ${String(HEIGHT)}" width="${String(WIDTH)}" ` +
    `height="${String(HEIGHT)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(summary)}</title>` +
    `<line class="axis" x1="${String(LEFT)}" y1="${String(y(0))}" x2="${String(WIDTH - 10)}" y2="${String(y(0))}"></line>` +
    `<line class="axis" x1="${String(LEFT)}" y1="10" x2="${String(LEFT)}" y2="${String(y(0))}"></line>` +
    `<text x="${String(LEFT - 6)}" y="16" text-anchor="end">${String(total)}</text>` +
    `<text x="${String(LEFT - 6)}" y="${String(y(0))}" text-anchor="end">0</text>` +
    `<text x="${String(WIDTH - 10)}" y="${String(HEIGHT - 2)}" text-anchor="end">${escapeHtml(`${(span / 1000).toFixed(1)} s`)}</text>` +
    `<polyline class="line done" points="${path((sample) => sample.done)}"><title>entries done</title></polyline>` +
    `<polyline class="line failed" points="${path((sample) => sample.failed)}"><title>entries failed</title></polyline>` +
    `${marks.join('')}</svg>` +
    '<p class="note">Solid line: entries done; dashed line: entries failed; circles: retries; triangles: 429 (rate limited).</p>'
  );
}
