/** The pages' one stylesheet: system fonts (CJK included), cards, one accent colour, phone-first. */
export const sharedCss = String.raw`
:root {
  --accent: #0f6e6e;
  --accent-soft: #e3f1f1;
  --ink: #1d2327;
  --muted: #5b6770;
  --line: #d9dee2;
  --bg: #f5f6f4;
  --card: #ffffff;
  --ok: #1f7a3a;
  --bad: #a3302a;
  --warn: #8a5a00;
  --pending: #9aa5ad;
  font-family: -apple-system, BlinkMacSystemFont, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--ink);
  background: var(--bg);
  line-height: 1.55;
  -webkit-text-size-adjust: 100%;
}
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; min-width: 0; overflow-wrap: anywhere; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #e0a100; outline-offset: 2px; border-radius: 3px; }
.skip { position: absolute; left: -9999px; top: 0; }
.skip:focus { left: 8px; top: 8px; background: var(--card); padding: 6px 10px; z-index: 10; }

header.top { background: var(--accent); color: #fff; }
header.top .inner { max-width: 1120px; margin: 0 auto; padding: 12px 16px; display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; }
header.top h1 { font-size: 1.15rem; margin: 0; font-weight: 600; letter-spacing: .02em; flex: 1 1 auto; }
header.top nav { display: flex; gap: 8px; flex-wrap: wrap; }
header.top a { color: #fff; }
header.top button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.7); }
header.top button:hover { background: rgba(255,255,255,.12); }

main { max-width: 1120px; margin: 0 auto; padding: 16px; display: grid; gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; min-width: 0; }
.card > h2 { font-size: 1.05rem; margin: 0 0 12px; color: var(--accent); }
.card h3 { font-size: .98rem; margin: 12px 0 6px; }
.grid2 { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); }
.muted { color: var(--muted); font-size: .9rem; }
.small { font-size: .85rem; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; word-break: break-all; }

button, select, input { font: inherit; }
button { cursor: pointer; border-radius: 6px; padding: 6px 12px; border: 1px solid var(--accent); background: var(--accent); color: #fff; }
button.secondary { background: var(--card); color: var(--accent); }
button:disabled { opacity: .6; cursor: default; }
input[type=password], input[type=text], input[type=date], input[type=number], textarea, select { border: 1px solid #aab3ba; border-radius: 6px; padding: 7px 9px; background: #fff; color: var(--ink); max-width: 100%; }
input[type=file] { max-width: 100%; min-width: 0; }
label { font-weight: 600; }
.field { display: grid; grid-template-columns: minmax(0, 1fr); gap: 4px; margin-bottom: 10px; min-width: 0; }
/* a long option (a real review-cycle id) must not widen the page: controls shrink to their box */
.row > .field { min-width: 0; max-width: 100%; }
.field > select, .field > input, .field > textarea { min-width: 0; max-width: 100%; }
textarea { font: inherit; width: 100%; }
.row { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
form.signin { max-width: 560px; }
form.signin input { width: 100%; }

.alert { border-radius: 8px; padding: 10px 12px; border: 1px solid; }
.alert.error { background: #fbecea; border-color: #e2a59f; color: var(--bad); }
.alert.warn { background: #fdf4e1; border-color: #e7c77d; color: var(--warn); }
.alert.ok { background: #e8f4ec; border-color: #9fcfae; color: var(--ok); }
.alert.info { background: var(--accent-soft); border-color: #a9d0d0; color: var(--ink); }
.alert strong { display: block; }

.status { font-weight: 600; white-space: nowrap; }
.status.ok { color: var(--ok); }
.status.bad { color: var(--bad); }
.status.warn { color: var(--warn); }

/* growth ladder */
ol.ladder { list-style: none; padding: 0; margin: 0 0 8px; display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 6px; counter-reset: step; }
ol.ladder li { border: 1px solid var(--line); border-radius: 8px; padding: 8px; text-align: center; font-size: .92rem; background: #fafbfa; position: relative; }
ol.ladder li .n { display: block; font-size: .75rem; color: var(--muted); }
ol.ladder li.done { background: var(--accent-soft); }
ol.ladder li.current { background: var(--accent); color: #fff; border-color: var(--accent); font-weight: 600; }
ol.ladder li.current .n { color: #dff; }
ol.ladder li.next { border: 2px dashed var(--accent); }
@media (max-width: 520px) { ol.ladder { grid-template-columns: repeat(2, minmax(0, 1fr)); } }

ul.reqs, ul.reqs ul { list-style: none; margin: 0; padding: 0; }
ul.reqs ul { padding-left: 14px; border-left: 2px solid var(--line); margin: 6px 0 2px 4px; }
ul.reqs li { padding: 6px 0; border-top: 1px solid #eef0f2; }
ul.reqs > li:first-child { border-top: 0; }
.req-head { display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
.req-label { flex: 1 1 200px; }
.req-figures { color: var(--muted); font-size: .88rem; }
.gap { margin: 4px 0 0; color: var(--bad); font-size: .9rem; }
.gap::before { content: "→ "; }
.peryear { font-size: .82rem; color: var(--muted); margin-top: 2px; }
details.dual-tier { border-top: 1px solid var(--line); padding: 6px 0; }
details.dual-tier > summary { cursor: pointer; padding: 4px 0; }
details.dual-tier > ul.reqs { margin: 4px 0 4px 18px; }
#dual-warnings { font-size: 1rem; margin: 8px 0 12px; }
#dual-warnings ul { margin: 6px 0 0; }

/* bars */
.bars { display: grid; grid-template-columns: minmax(4.5em, max-content) minmax(60px, 1fr) max-content; gap: 6px 8px; align-items: center; margin: 8px 0; font-size: .85rem; }
.bar-row { display: contents; }
.bar-label { text-align: right; color: var(--ink); }
.bar-value { font-variant-numeric: tabular-nums; white-space: nowrap; }
svg.bar { display: block; overflow: visible; }
svg.practice-bar { display: block; overflow: visible; margin-top: 6px; }
.bar-caption { font-weight: 600; margin: 4px 0; }
svg .track { fill: #eceff1; }
svg .fill { fill: var(--accent); }
svg .fill.bad { fill: var(--bad); }
svg .pending { fill: url(#hatch); }
svg .hatch-bg { fill: #d5dadd; }
svg .hatch-line { stroke: #7d878f; stroke-width: 2; }
svg .target { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 3; }
svg .axis { stroke: #aab3ba; stroke-width: 1; }
svg text { font-size: 12px; fill: var(--ink); font-family: inherit; }
svg.chart { width: 100%; height: auto; display: block; overflow: visible; }
svg.chart text { font-size: 12px; fill: var(--ink); font-family: inherit; }
svg.chart .track { fill: #eceff1; }
svg.chart .fill { fill: var(--accent); }
svg.chart .fill.bad { fill: var(--bad); }
svg.chart .pending { fill: url(#hatch); }
svg.chart .hatch-bg { fill: #d5dadd; }
svg.chart .hatch-line { stroke: #7d878f; stroke-width: 2; }
svg.chart .target { stroke: var(--ink); stroke-width: 2; stroke-dasharray: 4 3; }
svg.chart .axis { stroke: #aab3ba; stroke-width: 1; }
svg.chart text.light { fill: #fff; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(130px, 1fr)); gap: 8px; margin: 10px 0; }
.figure { background: #fafbfa; border: 1px solid #eef0f2; border-radius: 8px; padding: 8px 10px; }
.figure .k { display: block; font-size: .8rem; color: var(--muted); }
.figure .v { font-size: 1.2rem; font-weight: 600; }

.years { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(280px, 1fr)); }
.year { border: 1px solid var(--line); border-radius: 8px; padding: 12px; min-width: 0; }
.year .total { font-size: 1.6rem; font-weight: 700; color: var(--accent); }
details { margin-top: 8px; }
.year:has(details[open]) { grid-column: 1 / -1; }
table.trace-items td:nth-child(2) { min-width: 10em; }
.reasons { min-width: 15em; max-width: 34em; }
details > summary { cursor: pointer; color: var(--accent); font-weight: 600; padding: 4px 0; }

/* tables */
ul.plain { list-style: none; margin: 0; padding: 0; }
ul.plain li + li { margin-top: .15rem; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; max-width: 100%; }
table { border-collapse: collapse; width: 100%; font-size: .88rem; }
th, td { overflow-wrap: normal; word-break: normal; text-align: left; padding: 6px 8px; border-bottom: 1px solid #eef0f2; vertical-align: top; }
th { background: #f3f5f6; font-weight: 600; white-space: nowrap; }
th button.sort { text-align: inherit; }
th .arrow { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th button.sort { background: none; border: 0; color: inherit; padding: 0; font-weight: 600; }
th button.sort .arrow { color: var(--muted); margin-left: 2px; }
th[aria-sort=ascending] .arrow, th[aria-sort=descending] .arrow { color: var(--accent); }
td[data-col=unit], td[data-col=name], td[data-col=teacherId], td[data-col=targetTitle], td[data-col=finalGrade], td[data-col=practiceCompliant], td[data-col=eligible], td[data-col=passed] { white-space: nowrap; }
#import-errors td[data-col=sheet], #import-errors td[data-col=column], #import-errors td[data-col=value] { white-space: nowrap; }
#import-errors td[data-col=message] { min-width: 14em; }
tr:hover td { background: #fafcfc; }

.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
fieldset.plain { border: 0; padding: 0; margin: 0 0 10px; min-width: 0; }
fieldset.plain label { font-weight: 400; display: inline-flex; gap: 6px; align-items: center; }
.dists { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(240px, 1fr)); }
figure.dist { margin: 0; border: 1px solid #eef0f2; border-radius: 8px; padding: 8px 10px; min-width: 0; }
figure.dist figcaption { font-weight: 600; font-size: .9rem; margin-bottom: 4px; }
svg.histogram { display: block; overflow: visible; }
svg text.tick { fill: var(--muted); font-size: 11px; }
.hash { background: #f3f5f6; border: 1px solid var(--line); border-radius: 6px; padding: 8px; }
.loading { color: var(--muted); }
footer { max-width: 1120px; margin: 0 auto; padding: 8px 16px 24px; color: var(--muted); font-size: .8rem; }

/* records (the teacher's page) and the review page */
button.link { background: none; border: 0; color: var(--accent); padding: 0; text-align: left; text-decoration: underline; font-weight: 600; }
button.danger { color: var(--bad); border-color: var(--bad); }
.state { display: inline-block; border-radius: 999px; padding: 0 8px; font-size: .8rem; font-weight: 600; border: 1px solid var(--line); background: #f3f5f6; white-space: nowrap; }
.state-submitted, .state-unit_approved { background: #fdf4e1; border-color: #e7c77d; color: var(--warn); }
.state-verified { background: #e8f4ec; border-color: #9fcfae; color: var(--ok); }
.state-returned, .state-rejected { background: #fbecea; border-color: #e2a59f; color: var(--bad); }
ul.records, ul.queue, ol.history, ul.counts { list-style: none; margin: 0; padding: 0; }
ul.records > li { border-top: 1px solid #eef0f2; padding: 10px 0; }
.record-head { display: flex; flex-wrap: wrap; gap: 4px 10px; align-items: baseline; }
.record .actions { margin-top: 6px; }
dl.facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 2px 12px; margin: 6px 0; font-size: .9rem; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
ol.history li { padding: 4px 0; border-top: 1px dashed #eef0f2; font-size: .9rem; }
ol.history .reason { margin: 2px 0 0; }
.field-error { color: var(--bad); font-size: .85rem; }
.field-error:empty { display: none; }
[aria-invalid=true] { border-color: var(--bad) !important; outline: 1px solid var(--bad); }
form.declare { border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin-bottom: 12px; background: #fafbfa; }
form.declare h3 { margin-top: 0; }
.form-grid { display: grid; gap: 0 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 220px), 1fr)); }
.field-errors { margin: 4px 0 0; padding-left: 18px; }
ul.counts { display: flex; flex-wrap: wrap; gap: 6px; margin-bottom: 10px; }
button.chip { background: var(--card); color: var(--ink); border: 1px solid var(--line); border-radius: 999px; padding: 2px 10px; font-size: .85rem; }
button.chip.on { background: var(--accent); color: #fff; border-color: var(--accent); }
.review-layout { display: grid; gap: 16px; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); align-items: start; }
.queue-item { display: flex; gap: 8px; align-items: flex-start; border-top: 1px solid #eef0f2; padding: 8px 4px; }
.queue-item.current { background: var(--accent-soft); }
.queue-item.overdue { border-left: 3px solid var(--bad); }
.queue-item input[type=checkbox] { margin-top: 5px; }
.queue-main { min-width: 0; flex: 1 1 auto; }
.bulk { margin-bottom: 6px; }
.bulk label { font-weight: 400; }
.detail-grid { display: grid; gap: 16px; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); }
.actions-box { border-top: 1px solid var(--line); margin-top: 10px; padding-top: 10px; }
.preview iframe.pdf { width: 100%; height: 70vh; min-height: 360px; border: 1px solid var(--line); border-radius: 6px; }
.preview img { max-width: 100%; height: auto; display: block; border: 1px solid var(--line); border-radius: 6px; }
@media (max-width: 1000px) { .detail-grid { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 760px) { .review-layout { grid-template-columns: minmax(0, 1fr); } }

/* committee board on phones: the table scrolls inside its card, the page never does */
@media (max-width: 640px) {
  main { padding: 10px; gap: 10px; }
  .card { padding: 12px; }
  th, td { padding: 5px 6px; }
}

/* the growth file (/growth-file): a document, on screen and on A4 paper */
.file-toolbar { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: center; }
.file-name { font-size: 1.15rem; margin: 0 0 8px; }
.file-year + .file-year { margin-top: 14px; }
table.file-table { table-layout: fixed; }
table.file-table th, table.file-table td { white-space: normal; overflow-wrap: anywhere; }
table.file-table th.w-s { width: 11%; }
table.file-table th.w-m { width: 17%; }
tr.superseded td { color: var(--muted); text-decoration: line-through; }
td.files ul.plain li { overflow-wrap: anywhere; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  :root, body { background: #fff; }
  header.top, footer, .skip, .no-print, noscript { display: none !important; }
  main { display: block; max-width: none; margin: 0; padding: 0; }
  .card { border: 0; border-radius: 0; padding: 0; margin: 0 0 12px; }
  .file-section + .file-section { break-before: page; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; }
  tr, .file-tier, dl.facts { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  table { font-size: 9pt; }
  th { background: #eef0f1; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}

/* the reports dashboard (/reports) */
.report-charts { display: grid; gap: 16px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 300px), 1fr)); }
figure.report-chart { margin: 0; border: 1px solid #eef0f2; border-radius: 8px; padding: 8px 10px; min-width: 0; }
figure.report-chart figcaption { font-weight: 600; font-size: .9rem; margin-bottom: 4px; }
svg .figure-link { cursor: pointer; }
svg .figure-link:hover .fill, svg .figure-link:focus .fill, svg .figure-link:hover .trend-point { opacity: .8; }
svg .trend-line { fill: none; stroke: var(--accent); stroke-width: 2.5; }
svg .trend-point { fill: var(--accent); stroke: #fff; stroke-width: 2; }
svg .trend-point.bad { fill: var(--bad); }
.figure a.figure-link { text-decoration: none; color: var(--ink); }
.figure a.figure-link .v { text-decoration: underline; text-decoration-color: var(--line); }
ul.teacher-list { columns: 14em; column-gap: 16px; }
ul.teacher-list li { break-inside: avoid; }
`;
