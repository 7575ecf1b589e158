/** The page's stylesheet: system fonts only, contrast above 4.5:1, and a print layout without the controls. */
export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --held: #8a1c00; --bg-held: #fff1ec; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink);
  margin: 0 auto; padding: 1rem 1.5rem 3rem; max-width: 90rem; background: #fff; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; } h2 { font-size: 1.2rem; margin: 1.6rem 0 0.5rem; }
code, .digest { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; word-break: break-all; }
dl.header { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; margin: 0; }
dl.header dt { font-weight: 600; } dl.header dd { margin: 0; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { border: 1px solid var(--line); padding: 0.25rem 0.45rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td ul { margin: 0; padding-left: 1.1rem; }
table.counts { width: auto; } table.counts td:last-child { text-align: right; font-variant-numeric: tabular-nums; }
.held-box { border: 3px solid var(--held); background: var(--bg-held); padding: 0.5rem 1rem; margin: 1rem 0; }
.held-box h2 { color: var(--held); margin-top: 0.3rem; }
.held-mark { color: var(--held); border: 1px solid var(--held); padding: 0 0.25rem; font-size: 0.8em; }
.ok-box { border: 2px solid #2f6b2f; padding: 0.3rem 1rem; margin: 1rem 0; }
.controls { display: flex; flex-wrap: wrap; gap: 0.8rem; align-items: center; margin: 0.5rem 0; }
.controls[hidden], #more[hidden] { display: none; }
.controls input, .controls select, button { font: inherit; padding: 0.2rem 0.4rem; }
button.sort { background: none; border: 0; padding: 0; font-weight: 600; cursor: pointer; text-align: left; }
button.sort:focus-visible, input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid #1f5fbf; outline-offset: 1px; }
th[aria-sort="ascending"] button.sort::after { content: " \\25B2"; }
th[aria-sort="descending"] button.sort::after { content: " \\25BC"; }
svg.chart { max-width: 100%; height: auto; font: 13px system-ui, sans-serif; }
svg.chart text { fill: var(--ink); }
svg .bar.neutral { fill: #4a6fa5; } svg .bar.good { fill: #2f6b2f; } svg .bar.warn { fill: #a86800; } svg .bar.bad { fill: #a4262c; }
svg .axis { stroke: var(--muted); } svg .line { fill: none; stroke-width: 2; }
svg .line.done { stroke: #2f6b2f; } svg .line.failed { stroke: #a4262c; stroke-dasharray: 5 3; }
svg .mark.retry { fill: #a86800; } svg .mark.throttled { fill: #a4262c; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note { color: var(--muted); }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  .controls, #more { display: none !important; }
  tr, .held-box { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
}
`;
