/**
 * The reports dashboard (served as /assets/reports.js, at /reports): GET /v1/reports for a year as figures and
 * inline-SVG charts — the final-grade distribution, practice compliance per unit, the compliance trend — and
 * the teachers short of practice days. Every figure opens the list of the teachers behind it (the report's own
 * teacherIds), each linking to the teacher's growth file. HR and the committee see the college and may pick a
 * unit; a unit reviewer sees its unit. The page computes no rule: counts, rates and lists are the API's.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const reportsJs = String.raw`
import { h, s, t, bi, colon, api, renderHeader, pageErrors, fmt, token, asOfDate, linksFor, bootPage, lang, ApiError, fileNameOf, errorBox, askAgain } from './common.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const state = { me: null, calendar: null, year: null, unit: params.get('unit') || '', units: [], report: null, selected: null };
const links = () => linksFor(state.me ? state.me.role : 'committee', 'reports');

const { showSignIn, fail } = pageErrors('reports.title', links(), 'signin.reportsToken', () => start());

async function start() {
  if (!token()) return showSignIn();
  renderHeader('reports.title', links(), rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    state.me = await api('/v1/me');
    if (!['hr', 'committee', 'unit_reviewer'].includes(state.me.role)) return showSignIn(new ApiError('forbidden', 403, t('reports.wrongRole'), null));
    renderHeader('reports.title', links(), rerender);
    state.calendar = await api('/v1/calendar?asOf=' + asOfDate());
    const asked = Number(params.get('year'));
    const recent = state.calendar.recentYears;
    state.year = Number.isInteger(asked) && asked > 1900 ? asked : recent.length ? recent[recent.length - 1] : state.calendar.lastCompletedYear;
    if (state.me.role === 'unit_reviewer') {
      state.units = state.me.units;
      if (!state.unit) state.unit = state.units[0] || '';
    }
    await load();
  } catch (error) {
    fail(error);
  }
}

function rerender() {
  if (!token()) return showSignIn();
  renderHeader('reports.title', links(), rerender);
  if (state.report) {
    render();
    refetch();
  } else start();
}

/** The report again, in the language just switched to (its tier and rule names are the API's, in the asked language). */
async function fetchReport(isCurrent) {
  const query = reportQuery();
  const report = await api('/v1/reports' + query);
  // kept only while no later switch asked, and the year and unit are still the ones asked for
  if (!isCurrent() || query !== reportQuery()) return false;
  state.report = report;
  return true;
}
// a later switch outdates an earlier one's answers: only the last asked draws
const refetch = askAgain(fetchReport, () => render(), (error) => fail(error));

const reportQuery = () => '?year=' + state.year + '&years=5' + (state.unit ? '&unit=' + encodeURIComponent(state.unit) : '');

async function load() {
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  state.report = await api('/v1/reports' + reportQuery());
  state.selected = null;
  if (state.me.role !== 'unit_reviewer' && !state.units.length) {
    // the units to pick from: the college report's units (asked for once when a unit is named in the address)
    const college = state.unit ? await api('/v1/reports?year=' + state.year + '&years=1') : state.report;
    state.units = college.units.map((entry) => entry.unit);
  }
  const next = new URLSearchParams(location.search);
  next.set('year', String(state.year));
  if (state.unit) next.set('unit', state.unit); else next.delete('unit');
  history.replaceState(null, '', '?' + next.toString());
  render();
}

const pct = (rate) => (rate.hundredthsOfPercent === null ? '—' : (rate.hundredthsOfPercent / 100).toFixed(2) + '%');
const nameOf = (id) => (state.report.teachers[id] ? state.report.teachers[id].name : id);

/** Show the teachers behind a figure: title, and the figure's teacherIds as the API gave them. */
function select(key, title, figure) {
  state.selected = { key, title, ids: figure.teacherIds };
  renderSelected();
  const panel = document.getElementById('figure-teachers');
  if (panel) panel.scrollIntoView({ block: 'nearest' });
}
function figureLink(key, title, figure, content, attrs) {
  return h('a', Object.assign({ href: '#figure-teachers', class: 'figure-link', dataset: { figure: key, count: figure.count }, onclick: (event) => { event.preventDefault(); select(key, title, figure); } }, attrs || {}), content);
}
function svgLink(key, title, figure, ...children) {
  return s('a', { href: '#figure-teachers', class: 'figure-link', 'data-figure': key, 'data-count': figure.count, 'aria-label': title + colon() + figure.count, onclick: (event) => { event.preventDefault(); select(key, title, figure); } }, ...children);
}

function controls() {
  const yearSelect = h('select', { id: 'report-year', onchange: (event) => { state.year = Number(event.target.value); load().catch(fail); } },
    state.calendar.years.map((y) => h('option', { value: y.year, selected: y.year === state.year }, y.label)));
  const reviewer = state.me.role === 'unit_reviewer';
  const unitChoices = reviewer ? state.units : [''].concat(state.units);
  const unitSelect = h('select', { id: 'report-unit', disabled: reviewer && state.units.length < 2, onchange: (event) => { state.unit = event.target.value; load().catch(fail); } },
    unitChoices.map((unit) => h('option', { value: unit, selected: unit === state.unit }, unit || t('reports.college'))));
  const download = h('button', { type: 'button', class: 'secondary', id: 'report-xlsx', onclick: async () => {
    try {
      const response = await api('/v1/reports?year=' + state.year + '&years=5&format=xlsx' + (state.unit ? '&unit=' + encodeURIComponent(state.unit) : ''), { raw: true, accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
      const url = URL.createObjectURL(await response.blob());
      const a = h('a', { href: url, download: fileNameOf(response, 'report.xlsx') });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (error) {
      document.getElementById('report-controls').append(errorBox(error));
    }
  } }, t('reports.xlsx'));
  return h('section', { class: 'card', id: 'report-controls' },
    h('h2', {}, t('reports.scope', { scope: state.report.unit || t('reports.college'), year: state.report.yearLabel })),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'report-year' }, t('practice.year')), yearSelect),
      h('div', { class: 'field' }, h('label', { for: 'report-unit' }, t('unit')), unitSelect),
      download),
    h('p', { class: 'muted small' }, t('reports.hint') + ' · ' + t('board.policy') + ' ' + state.report.policyVersion));
}

function summary(f) {
  const tile = (key, label, figure, value) => h('div', { class: 'figure' }, h('span', { class: 'k' }, label), figureLink(key, label, figure, h('span', { class: 'v' }, value)));
  return h('div', { class: 'figures', id: 'report-figures' },
    tile('teachers', t('reports.teachers'), f.teachers, String(f.teachers.count)),
    tile('practice.compliant', t('reports.compliant'), f.practice.compliant, pct(f.practice.rate) + ' (' + f.practice.rate.numerator + '/' + f.practice.rate.denominator + ')'),
    tile('practice.noncompliant', t('reports.noncompliant'), f.practice.noncompliant, String(f.practice.noncompliant.count)),
    tile('practice.exempt', t('reports.exempt'), f.practice.exempt, String(f.practice.exempt.count)),
    dualTile(f.dualQualified),
    tile('dual.due', t('reports.dualDue'), f.dualQualified.metAboveRecognised, String(f.dualQualified.metAboveRecognised.count)));
}

/** The 双师型 ratio among 专业课 teachers against the policy's target, as the API judges it. */
function dualTile(d) {
  const target = targetText(d.target);
  const verdict = d.meetsTarget === null ? '—' : d.meetsTarget ? '✓ ' + t('reports.targetMet') : '✗ ' + t('reports.targetShort', { n: d.shortOfTarget });
  return h('div', { class: 'figure', id: 'dual-ratio' },
    h('span', { class: 'k' }, t('reports.dualRatio')),
    figureLink('dual.any', t('reports.dualRatio'), d.recognised.any, h('span', { class: 'v' }, pct(d.rate) + ' (' + d.rate.numerator + '/' + d.rate.denominator + ')')),
    h('span', { class: 'k' }, t('reports.target') + ' ' + target + ' · ', h('span', { class: 'status ' + (d.meetsTarget ? 'ok' : 'bad'), dataset: { meets: String(d.meetsTarget) } }, verdict)));
}

/** The 双师型 ratio by tier (recognised, highest tier each), with the target as a dashed line; each bar links to its teachers. */
function dualChart(d) {
  const tiers = state.report.tiers; // lowest first, named: the API's
  const rows = tiers.map(({ tier, label }) => ({ key: 'dual.' + tier, label, figure: d.recognised[tier], rate: d.rateByTier[tier] })).concat([{ key: 'dual.any', label: t('reports.dualAll'), figure: d.recognised.any, rate: d.rate }]);
  const rowH = 30, W = 400, labelW = 110, barW = 200, H = rows.length * rowH + 24;
  const targetX = labelW + (d.target.hundredthsOfPercent / 10000) * barW;
  return chartFigure('chart-dual', t('reports.dualChart', { n: d.teachers.count }), W, H,
      rows.map((row, i) => {
        const share = row.rate.hundredthsOfPercent === null ? 0 : row.rate.hundredthsOfPercent / 10000;
        const y = 5 + i * rowH;
        return svgLink(row.key, row.label, row.figure,
          s('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end' }, row.label),
          s('rect', { class: 'track', x: labelW, y: y + 4, width: barW, height: 18, rx: 3 }),
          s('rect', { class: 'fill', x: labelW, y: y + 4, width: Math.max(0, share * barW), height: 18, rx: 3 }),
          s('text', { x: labelW + barW + 8, y: y + 17 }, pct(row.rate) + ' (' + row.rate.numerator + ')'));
      }),
      s('line', { class: 'target', x1: targetX, y1: 2, x2: targetX, y2: rows.length * rowH + 6 }),
      s('text', { class: 'tick', x: targetX, y: rows.length * rowH + 20, 'text-anchor': 'middle' }, t('reports.target') + ' ' + (d.target.hundredthsOfPercent / 100) + '%'));
}

/** Final grades as vertical bars, each bar (and its count) a link to its teachers. */
function gradeChart(f) {
  const GRADES = state.report.grades; // best first, with their labels: the API's
  const max = Math.max(1, ...GRADES.map((g) => f.grades[g.grade].count));
  const W = 360, H = 190, base = 150, top = 20, bw = 56, gap = (W - 40 - GRADES.length * bw) / (GRADES.length - 1);
  return chartFigure('chart-grades', t('reports.grades'), W, H,
      s('line', { class: 'axis', x1: 10, y1: base, x2: W - 10, y2: base }),
      GRADES.map(({ grade: g, label }, i) => {
        const n = f.grades[g].count;
        const height = (n / max) * (base - top);
        const x = 20 + i * (bw + gap);
        return svgLink('grades.' + g, bi(label), f.grades[g],
          s('rect', { class: 'fill' + (i === GRADES.length - 1 ? ' bad' : ''), x, y: base - height, width: bw, height: Math.max(height, 0.5) }),
          s('text', { x: x + bw / 2, y: base - height - 5, 'text-anchor': 'middle' }, String(n)),
          s('text', { x: x + bw / 2, y: base + 18, 'text-anchor': 'middle' }, bi(label)));
      }));
}

/** A dashboard chart: a figure with its caption, and an SVG of width W and height H that says the caption to screen readers. */
function chartFigure(id, caption, W, H, ...content) {
  return h('figure', { class: 'report-chart', id },
    h('figcaption', {}, caption),
    s('svg', { class: 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': caption }, ...content));
}

/** A target as the API states it: "> 50.00%" (above) or "≥ 50.00%" (at least). */
const targetText = (target) => (target.comparison === 'above' ? '> ' : '≥ ') + (target.hundredthsOfPercent / 100).toFixed(2) + '%';

/**
 * A rate per unit as horizontal bars, each a link to its figure's teachers; with o.target, the target as a dashed
 * line. o: { id, caption, key(unit), title(unit), rate(figures), figure(figures), bad(figures), target }
 */
function unitRateChart(units, o) {
  const rowH = 30, W = 400, labelW = 130, barW = 190, H = units.length * rowH + (o.target ? 26 : 10);
  const targetX = o.target ? labelW + (o.target.hundredthsOfPercent / 10000) * barW : 0;
  return chartFigure(o.id, o.caption, W, H,
      units.map((entry, i) => {
        const rate = o.rate(entry.figures);
        const share = rate.hundredthsOfPercent === null ? 0 : rate.hundredthsOfPercent / 10000;
        const y = 5 + i * rowH;
        return svgLink(o.key(entry.unit), o.title(entry.unit), o.figure(entry.figures),
          s('text', { x: labelW - 8, y: y + 17, 'text-anchor': 'end' }, entry.unit),
          s('rect', { class: 'track', x: labelW, y: y + 4, width: barW, height: 18, rx: 3 }),
          s('rect', { class: 'fill' + (o.bad && o.bad(entry.figures) ? ' bad' : ''), x: labelW, y: y + 4, width: Math.max(0, share * barW), height: 18, rx: 3 }),
          s('text', { x: labelW + barW + 8, y: y + 17 }, pct(rate) + ' (' + rate.numerator + '/' + rate.denominator + ')'));
      }),
      o.target ? [
        s('line', { class: 'target', x1: targetX, y1: 2, x2: targetX, y2: units.length * rowH + 6 }),
        s('text', { class: 'tick', x: targetX, y: units.length * rowH + 20, 'text-anchor': 'middle' }, t('reports.target') + ' ' + targetText(o.target)),
      ] : null);
}

/**
 * A rate over the trend's years as a line, each point a link to that year's figure; with o.targetOf, each year's
 * own target (as the API sends it with that year's figures) as a dashed step under its point, labelled where it
 * changes, and o.bad marking a point short of its target. o: { id, caption, key(year), title(yearFigures),
 * rate(yearFigures), figure(yearFigures), bad(yearFigures), targetOf(yearFigures) }
 */
function trendRateChart(trend, o) {
  const W = 400, H = 200, left = 40, right = 20, top = 20, base = 160;
  const step = trend.length > 1 ? (W - left - right) / (trend.length - 1) : 0;
  const points = trend.map((y, i) => ({ y, x: left + i * step, v: o.rate(y).hundredthsOfPercent }));
  const yOf = (v) => base - (v / 10000) * (base - top);
  const drawn = points.filter((p) => p.v !== null);
  return chartFigure(o.id, o.caption, W, H,
      [0, 5000, 10000].map((v) => [s('line', { class: 'axis', x1: left, y1: yOf(v), x2: W - right, y2: yOf(v) }), s('text', { class: 'tick', x: left - 6, y: yOf(v) + 4, 'text-anchor': 'end' }, (v / 100) + '%')]),
      o.targetOf ? points.map((p, i) => {
        const target = o.targetOf(p.y);
        const before = i === 0 ? null : o.targetOf(points[i - 1].y);
        const x1 = i === 0 ? left : (points[i - 1].x + p.x) / 2;
        const x2 = i === points.length - 1 ? W - right : (p.x + points[i + 1].x) / 2;
        return [
          s('line', { class: 'target', x1, y1: yOf(target.hundredthsOfPercent), x2, y2: yOf(target.hundredthsOfPercent), dataset: { year: p.y.year, target: target.hundredthsOfPercent, comparison: target.comparison } }),
          before && targetText(before) === targetText(target) ? null : s('text', { class: 'tick target-label', x: x1 + 4, y: yOf(target.hundredthsOfPercent) - 4, 'text-anchor': 'start' }, t('reports.target') + ' ' + targetText(target)),
        ];
      }) : null,
      drawn.length > 1 ? s('polyline', { class: 'trend-line', points: drawn.map((p) => p.x + ',' + yOf(p.v)).join(' ') }) : null,
      points.map((p) => [
        s('text', { class: 'tick', x: p.x, y: base + 18, 'text-anchor': 'middle' }, p.y.yearLabel),
        p.v === null ? null : svgLink(o.key(p.y.year), o.title(p.y), o.figure(p.y),
          s('circle', { class: 'trend-point' + (o.bad && o.bad(p.y) ? ' bad' : ''), cx: p.x, cy: yOf(p.v), r: 6 }),
          s('text', { x: p.x, y: yOf(p.v) - 10, 'text-anchor': 'middle' }, pct(o.rate(p.y)))),
      ]));
}

/**
 * The two rates the dashboard draws per unit and over the years: practice compliance (each bar or point a link to
 * the compliant teachers) and the 双师型 ratio among 专业课 teachers against the policy's target (a link to the
 * recognised teachers). rate, figure and bad read a unit's figures or a trend year alike.
 */
const RATES = {
  practice: { unitId: 'chart-units', trendId: 'chart-trend', unitCaption: 'reports.byUnit', trendCaption: 'reports.trend', figureKey: '.practice.compliant', titleKey: 'reports.compliant', rate: (f) => f.practice.rate, figure: (f) => f.practice.compliant },
  dual: { unitId: 'chart-dual-units', trendId: 'chart-dual-trend', unitCaption: 'reports.dualByUnit', trendCaption: 'reports.dualTrend', figureKey: '.dual.any', titleKey: 'reports.dualRatio', rate: (f) => f.dualQualified.rate, figure: (f) => f.dualQualified.recognised.any, bad: (f) => f.dualQualified.meetsTarget === false, targetOf: (f) => f.dualQualified.target },
};

/**
 * One rate (RATES[name]) per unit (by: 'unit', over r.units, against the report year's target when given) or over
 * the trend's years (by: 'trend', over r.trend, each year against its own target: RATES[name].targetOf).
 */
function rateChart(name, by, items, target) {
  const m = RATES[name];
  const common = { rate: m.rate, figure: m.figure, bad: m.bad, target, targetOf: m.targetOf };
  return by === 'unit'
    ? unitRateChart(items, Object.assign({ id: m.unitId, caption: t(m.unitCaption), key: (unit) => 'unit:' + unit + m.figureKey, title: (unit) => unit + ' · ' + t(m.titleKey) }, common))
    : trendRateChart(items, Object.assign({ id: m.trendId, caption: t(m.trendCaption), key: (year) => 'trend:' + year + m.figureKey, title: (y) => y.yearLabel + ' · ' + t(m.titleKey) }, common));
}

/**
 * A list of teachers short of practice days, as the API sends it: each row a teacher, and for each rule they are
 * short on (the API's short, named by it) one line of counted, required and still-needed days.
 */
function shortTable(rows) {
  const lines = (r, cell) => r.short.map((short) => h('div', { dataset: { rule: short.rule } }, cell(short)));
  return h('div', { class: 'table-wrap' }, h('table', {},
    h('thead', {}, h('tr', {}, ['col.name', 'col.unit', 'reports.shortOn', 'practice.counted', 'practice.required', 'practice.shortfall'].map((key, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : undefined }, t(key))))),
    h('tbody', {}, rows.map((r) => h('tr', { dataset: { teacher: r.teacherId, needed: r.daysNeeded } },
      h('td', {}, teacherLink(r.teacherId, r.name)),
      h('td', {}, r.unit),
      h('td', {}, lines(r, (short) => short.label)),
      h('td', { class: 'num' }, lines(r, (short) => short.countedDays)),
      h('td', { class: 'num' }, lines(r, (short) => short.requiredDays)),
      h('td', { class: 'num' }, lines(r, (short) => short.daysNeeded)))))));
}

/** The teachers not compliant under the binding rule, headed by that rule (the API's atRiskRule). */
function atRiskCard(f) {
  const rows = f.atRisk;
  return h('section', { class: 'card', id: 'report-at-risk' },
    h('h2', { dataset: { binding: f.atRiskRule.binding } }, t('reports.atRisk', { n: rows.length, rule: f.atRiskRule.label })),
    rows.length ? shortTable(rows) : h('p', { class: 'muted' }, t('reports.noneAtRisk')));
}

/** For reference, apart: compliant teachers short on the rule that does not bind (none sent under both rules). */
function referenceCard(f) {
  if (!f.referenceRule) return null;
  const rows = f.referenceShort;
  return h('section', { class: 'card', id: 'report-reference-short' },
    h('h2', { dataset: { rule: f.referenceRule.rule } }, t('reports.referenceShort', { n: rows.length, binding: f.atRiskRule.label, rule: f.referenceRule.label })),
    h('p', { class: 'muted small' }, t('reports.referenceHint')),
    rows.length ? shortTable(rows) : h('p', { class: 'muted' }, t('reports.noneReference')));
}

function teacherLink(id, name) {
  return h('a', { href: '/growth-file?teacher=' + encodeURIComponent(id), class: 'teacher-link', dataset: { teacher: id } }, name || nameOf(id));
}

function renderSelected() {
  const panel = document.getElementById('figure-teachers');
  if (!panel) return;
  const sel = state.selected;
  if (!sel) return panel.replaceChildren(h('h2', {}, t('reports.teachersBehind')), h('p', { class: 'muted' }, t('reports.pickFigure')));
  panel.dataset.figure = sel.key;
  // HR opens any teacher's page, a unit reviewer its units' (the only teachers its report names)
  const teacherPage = state.me.role === 'hr' || state.me.role === 'unit_reviewer';
  panel.replaceChildren(
    h('h2', { id: 'figure-teachers-title', tabindex: '-1' }, sel.title + colon() + t('reports.n', { n: sel.ids.length })),
    sel.ids.length ? h('ul', { class: 'plain teacher-list' }, sel.ids.map((id) => h('li', { dataset: { teacher: id } },
      teacherLink(id),
      h('span', { class: 'muted small' }, ' ' + id + (state.report.teachers[id] ? ' · ' + state.report.teachers[id].unit : '')),
      teacherPage ? [' · ', h('a', { href: '/?teacher=' + encodeURIComponent(id), class: 'small teacher-page-link' }, t('nav.teacher'))] : null))) : h('p', { class: 'muted' }, t('reports.nobody')));
}

function render() {
  const r = state.report;
  const f = r.college;
  main.replaceChildren(
    controls(),
    h('section', { class: 'card', id: 'report-summary' }, h('h2', {}, t('reports.summary')), summary(f)),
    h('section', { class: 'card', id: 'report-charts' }, h('h2', {}, t('reports.charts')),
      h('div', { class: 'report-charts' }, gradeChart(f), rateChart('practice', 'unit', r.units), rateChart('practice', 'trend', r.trend), dualChart(f.dualQualified), rateChart('dual', 'unit', r.units, f.dualQualified.target), rateChart('dual', 'trend', r.trend))),
    h('section', { class: 'card', id: 'figure-teachers', 'aria-live': 'polite' }),
    atRiskCard(f),
    referenceCard(f));
  renderSelected();
}

bootPage(start, showSignIn, fail);
`;
