// wording-ok-file: a style sheet, inlined into the report.
// The report's style sheet, inlined in its <style> (no external font or file: the report opens
// from disk anywhere). Verdict colours are shared by the constraint log's table and its legend.

// The CSS of the report page.
export const REPORT_CSS = `
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa;
  --accent: #0969da; --bar: #4f7fd1; --bad: #cf222e;
  --v-new: #0969da; --v-effective: #1a7f37; --v-recurring: #bc4c00; --v-idle: #6e7781; --v-flaky: #8250df;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
header, main, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 0 0 4px; }
p.meta, p.caption, footer { color: var(--muted); margin: 0 0 12px; }
footer { padding-top: 12px; padding-bottom: 24px; font-size: 12px; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(128px, 1fr)); gap: 12px; margin: 16px 0 8px; }
.tile { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; }
.tile .n { display: block; font-size: 22px; font-weight: 600; font-variant-numeric: tabular-nums; }
.tile .what { color: var(--muted); font-size: 12px; }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; }
section { margin: 18px 0; border: 1px solid var(--line); border-radius: 6px; padding: 14px 16px; min-width: 0; }
section.notice { background: var(--panel); }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg text { font-size: 12px; fill: var(--muted); font-family: inherit; }
svg text.label { fill: var(--fg); }
svg .mark { fill: var(--bar); }
svg .mark:hover { fill: var(--accent); }
svg .line { fill: none; stroke: var(--bar); stroke-width: 2; }
svg circle.mark { fill: var(--bg); stroke: var(--bar); stroke-width: 2; }
svg circle.mark:hover { fill: var(--bar); }
svg[data-chart="rejections-guard"] .mark, svg[data-chart="rejections-layer"] .mark { fill: #d4745f; }
.pair { display: grid; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); gap: 8px; }
.pair h3 { font-size: 13px; margin: 4px 0; color: var(--muted); font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--panel); font-weight: 600; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.when { white-space: nowrap; }
td code, li code { font-size: 12px; }
tr.removed td { color: var(--muted); }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; }
.verdict-new { background: var(--v-new); }
.verdict-effective { background: var(--v-effective); }
.verdict-recurring { background: var(--v-recurring); }
.verdict-idle { background: var(--v-idle); }
.verdict-flaky { background: var(--v-flaky); }
.why { display: block; color: var(--muted); font-size: 12px; margin-top: 2px; }
.legend { margin: 0 0 10px; padding: 0; list-style: none; display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; color: var(--muted); }
.sign { color: var(--bad); font-weight: 600; }
.ok { color: var(--v-effective); font-weight: 600; }
details.chain { border-top: 1px solid var(--line); padding: 8px 0; }
details.chain summary { cursor: pointer; }
ol.attempts { margin: 6px 0 0; padding-left: 22px; }
pre.feedback { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 8px; margin: 4px 0 8px;
  max-height: 220px; overflow: auto; white-space: pre-wrap; word-break: break-word; font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
`;
