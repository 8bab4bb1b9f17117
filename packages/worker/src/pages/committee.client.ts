/**
 * The committee board (served as /assets/committee.js): a year's ranked appraisals or a review cycle's
 * ranking, as a sortable table, a distribution of totals by unit, a CSV download and, for a frozen cycle,
 * its snapshot hash. (Kept as a string: no backticks or dollar-brace inside.)
 */
export const committeeJs = String.raw`
import { h, s, t, bi, api, fileNameOf, errorBox, renderHeader, pageErrors, linksFor, statusText, fmt, asOfDate, lang, token, setToken, ApiError, bootPage } from './common.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const state = {
  mode: params.get('cycle') ? 'cycle' : 'year',
  year: Number(params.get('year')) || null,
  calendar: null,
  unit: params.get('unit') || '',
  cycleId: params.get('cycle') || '',
  cycles: null,
  units: [],
  data: null,
  sort: null,
  loadedFor: null,
};
let links = [{ href: '/', key: 'nav.teacher' }, { href: '/policy', key: 'nav.policy' }];

const { showSignIn, fail } = pageErrors('committee.title', links, 'signin.committeeToken', () => start(), 'board-error');

async function start() {
  renderHeader('committee.title', links, rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const me = await api('/v1/me');
    if (me.role !== 'committee' && me.role !== 'hr') {
      setToken('');
      return showSignIn(new ApiError('forbidden', 403, t('err.wrongRoleCommittee'), null));
    }
    links = linksFor(me.role, 'committee');
    // The policy's calendar says which year is under way; the page does not compute it.
    state.calendar = await api('/v1/calendar?asOf=' + asOfDate());
    if (!state.year) state.year = state.calendar.lastCompletedYear;
    if (me.role === 'hr' && !links.some((link) => link.href === '/import')) links.push({ href: '/import', key: 'nav.import' });
    const cycles = await api('/v1/review-cycles');
    state.cycles = cycles.items;
    if (!state.cycleId && state.cycles.length) state.cycleId = state.cycles[state.cycles.length - 1].id;
    await loadData();
  } catch (error) {
    fail(error);
  }
}

function rerender() {
  if (!token()) return showSignIn();
  renderHeader('committee.title', links, rerender);
  // the grades and reasons come in the asked language: a switch asks again
  if (state.cycles) loadData();
  else if (main.querySelector('.loading')) main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  else start();
}

/** The listing or ranking path; format is 'csv', 'xlsx' or empty for JSON. */
function dataPath(format) {
  if (state.mode === 'year') {
    return '/v1/appraisals?year=' + state.year + (state.unit ? '&unit=' + encodeURIComponent(state.unit) : '') + (format ? '&format=' + format : '');
  }
  return '/v1/review-cycles/' + encodeURIComponent(state.cycleId) + '/ranking' + (format ? '?format=' + format : '');
}

async function loadData() {
  state.data = null;
  state.sort = null;
  render();
  if (state.mode === 'cycle' && !state.cycleId) return;
  try {
    const data = await api(dataPath(''));
    state.data = data;
    const units = new Set(state.units);
    for (const row of rows()) units.add(row.unit);
    state.units = [...units].sort();
    render();
  } catch (error) {
    fail(error);
  }
}

/** The table's rows, uniform across both modes; index keeps the API's order as the stable tie-break. */
function rows() {
  const data = state.data;
  if (!data) return [];
  if (state.mode === 'year') {
    return data.items.map((item, index) => ({
      index,
      rank: item.rank,
      teacherId: item.teacherId,
      name: item.name,
      unit: item.unit,
      total: item.total,
      finalGrade: item.finalGrade || item.grade,
      finalGradeLabel: item.finalGradeLabel || item.gradeLabel,
      finalGradeRank: item.finalGradeRank,
      grade: item.grade,
      ...tieBreakCells(item),
      practiceCompliant: item.practice ? item.practice.compliant : !item.vetoes.includes('practice_noncompliant'),
      practiceDays: item.practiceDays,
      requiredDays: item.practice ? item.practice.requiredDays : null,
      eligible: item.titleReviewEligible,
      reasons: yearReasons(item),
    }));
  }
  return data.entries.map((entry, index) => ({
    index,
    targetTitle: entry.targetTitle,
    targetTitleLabel: entry.targetTitleLabel,
    rank: entry.rank,
    teacherId: entry.teacherId,
    name: entry.name,
    unit: entry.unit,
    total: entry.score,
    minScore: entry.minScore,
    passed: entry.passed,
    transferService: entry.tieBreak ? entry.tieBreak.transferAndServicePoints : null,
    practiceDays: entry.tieBreak ? entry.tieBreak.practiceDays : null,
    eligible: entry.eligible,
    reasons: (entry.reasonDetails || []).map((detail) => detail[lang()]),
  }));
}

/** The policy's tie-break categories (the API's tieBreak, in its order): one column each on the year's board. */
const tieBreakKey = (category) => 'cat:' + category.id;
function tieBreakCells(item) {
  const cells = {};
  for (const category of state.data.tieBreak || []) {
    const score = item.categories[category.id];
    cells[tieBreakKey(category)] = score ? score.capped : null;
  }
  return cells;
}
/** The tie-break categories' labels from the policy, joined: what the review window's summed points are called. */
const tieBreakNames = () => (state.data && state.data.tieBreak ? state.data.tieBreak.map((category) => bi(category.label)).join(' + ') : '');

/** The API says why (vetoes, below competent, the quota): the page only shows it. */
function yearReasons(item) {
  return (item.reasons || []).map((reason) => reason.label);
}

const reasonsCell = (r) => h('div', { class: 'reasons' }, r.reasons.map((reason) => h('div', {}, reason)));
const yesNo = (ok) => statusText(ok, 'yes', 'no');
/** The teacher's name, linking to their printable growth file. */
const fileLink = (r) => h('a', { class: 'file-link', href: '/growth-file?teacher=' + encodeURIComponent(r.teacherId), title: t('file.link') }, r.name);

function columns() {
  if (state.mode === 'year') {
    return [
      { key: 'rank', label: 'col.rank', num: true },
      { key: 'teacherId', label: 'col.id' },
      { key: 'name', label: 'col.name', cell: fileLink },
      { key: 'unit', label: 'col.unit' },
      { key: 'total', label: 'col.total', num: true, cell: (r) => fmt(r.total, 2) },
      { key: 'finalGrade', label: 'col.finalGrade', sortBy: 'finalGradeRank', cell: (r) => r.finalGradeLabel },
      ...(state.data && state.data.tieBreak ? state.data.tieBreak : []).map((category) => ({ key: tieBreakKey(category), title: () => bi(category.label), num: true, cell: (r) => fmt(r[tieBreakKey(category)], 2) })),
      { key: 'practiceCompliant', label: 'col.practice', cell: (r) => h('span', {}, statusText(r.practiceCompliant), ' ', h('span', { class: 'muted' }, r.practiceDays + (r.requiredDays !== null ? '/' + r.requiredDays : ''))) },
      { key: 'eligible', label: 'col.eligible', cell: (r) => yesNo(r.eligible) },
      { key: 'reasons', label: 'col.reasons', cell: reasonsCell },
    ];
  }
  return [
    { key: 'targetTitle', label: 'col.target', order: ['assistant', 'lecturer', 'associate_professor', 'professor'], cell: (r) => r.targetTitleLabel },
    { key: 'rank', label: 'col.rank', num: true, cell: (r) => (r.rank === null ? '—' : r.rank) },
    { key: 'teacherId', label: 'col.id' },
    { key: 'name', label: 'col.name', cell: fileLink },
    { key: 'unit', label: 'col.unit' },
    { key: 'total', label: 'col.score', num: true, cell: (r) => fmt(r.total, 2) },
    { key: 'passed', label: 'col.passed', cell: (r) => h('span', {}, yesNo(r.passed), r.minScore === null ? null : h('span', { class: 'muted small' }, ' ≥' + r.minScore)) },
    { key: 'transferService', title: tieBreakNames, num: true, cell: (r) => fmt(r.transferService, 2) },
    { key: 'practiceDays', label: 'col.practiceDays', num: true },
    { key: 'eligible', label: 'col.eligible', cell: (r) => yesNo(r.eligible) },
    { key: 'reasons', label: 'col.reasons', cell: reasonsCell },
  ];
}

/** A column's header: the policy's label where the API sends one, else the page's own text. */
const columnTitle = (column) => (column.title ? column.title() : t(column.label));

function sortValue(column, row) {
  const value = row[column.key];
  if (column.sortBy) return row[column.sortBy];
  if (column.order) return column.order.indexOf(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value)) return value.join(' ');
  return value;
}

function sortedRows() {
  const list = rows();
  if (!state.sort) return list;
  const column = columns().find((c) => c.key === state.sort.key);
  if (!column) return list;
  const dir = state.sort.dir === 'ascending' ? 1 : -1;
  return [...list].sort((a, b) => {
    const x = sortValue(column, a);
    const y = sortValue(column, b);
    const missingX = x === null || x === undefined;
    const missingY = y === null || y === undefined;
    if (missingX !== missingY) return missingX ? 1 : -1;
    if (!missingX && x !== y) {
      if (typeof x === 'number' && typeof y === 'number') return (x - y) * dir;
      return String(x).localeCompare(String(y), lang() === 'zh' ? 'zh-CN' : 'en') * dir;
    }
    return a.index - b.index;
  });
}

function toggleSort(column) {
  const current = state.sort && state.sort.key === column.key ? state.sort.dir : null;
  // numbers start high-to-low, text starts A-to-Z (grades and titles start at the top)
  const first = column.num || column.order || column.sortBy || column.key === 'eligible' || column.key === 'passed' || column.key === 'practiceCompliant' ? 'descending' : 'ascending';
  const dir = current === null ? first : current === 'ascending' ? 'descending' : 'ascending';
  state.sort = { key: column.key, dir: (column.order || column.sortBy) && dir === 'descending' ? 'descending' : dir };
  renderTable();
  const button = document.querySelector('th[data-key="' + column.key + '"] button');
  if (button) button.focus();
}

// Rendering -----------------------------------------------------------------------------------------------
function render() {
  renderHeader('committee.title', links, rerender);
  main.replaceChildren(...[controls(), h('div', { id: 'board-error' }), cycleInfo(), tableCard(), distributionCard(), state.mode === 'year' ? whatIfCard() : null].filter(Boolean));
}

function controls() {
  const modeRadio = (mode, key) => h('label', { class: 'row', for: 'mode-' + mode },
    h('input', { type: 'radio', name: 'mode', id: 'mode-' + mode, value: mode, checked: state.mode === mode, onchange: () => { state.mode = mode; loadData(); } }), t(key));
  const yearSelect = h('select', { id: 'year', onchange: (e) => { state.year = Number(e.target.value); loadData(); } },
    state.calendar.years.slice(0, 6).map((y) => h('option', { value: y.year, selected: y.year === state.year }, y.label)));
  const unitSelect = h('select', { id: 'unit', onchange: (e) => { state.unit = e.target.value; loadData(); } },
    h('option', { value: '' }, t('board.allUnits')),
    state.units.map((unit) => h('option', { value: unit, selected: unit === state.unit }, unit)));
  const cycleSelect = h('select', { id: 'cycle', onchange: (e) => { state.cycleId = e.target.value; loadData(); } },
    (state.cycles || []).map((c) => h('option', { value: c.id, selected: c.id === state.cycleId }, c.name + ' · ' + c.asOf + (c.status === 'frozen' ? ' · ❄ ' : ' · ') + c.id)));
  const csvButton = h('span', { class: 'row' },
    h('button', { type: 'button', id: 'download-csv', class: 'secondary', disabled: !state.data, onclick: () => download('csv') }, '↓ ' + t('board.csv')),
    h('button', { type: 'button', id: 'download-xlsx', class: 'secondary', disabled: !state.data, onclick: () => download('xlsx') }, '↓ ' + t('board.xlsx')));
  return h('section', { class: 'card', 'aria-labelledby': 'controls-title' },
    h('h2', { id: 'controls-title', class: 'visually-hidden' }, t('board.mode')),
    h('fieldset', { class: 'row plain' }, h('legend', { class: 'muted small' }, t('board.mode')), modeRadio('year', 'board.byYear'), modeRadio('cycle', 'board.byCycle')),
    state.mode === 'year'
      ? h('div', { class: 'row' },
        h('div', { class: 'field' }, h('label', { for: 'year' }, t('board.year')), yearSelect),
        h('div', { class: 'field' }, h('label', { for: 'unit' }, t('board.unitFilter')), unitSelect),
        csvButton)
      : state.cycles && state.cycles.length
        ? h('div', { class: 'row' }, h('div', { class: 'field' }, h('label', { for: 'cycle' }, t('board.cycle')), cycleSelect), csvButton)
        : h('p', { class: 'muted' }, t('board.noCycles')));
}

function cycleInfo() {
  if (state.mode !== 'cycle' || !state.data) return null;
  const d = state.data;
  const frozen = d.cycle.status === 'frozen';
  return h('section', { class: 'card', id: 'cycle-info', 'aria-labelledby': 'cycle-title' },
    h('h2', { id: 'cycle-title' }, d.cycle.name),
    h('p', { class: 'row muted' }, h('span', {}, t('asOf') + ' ' + d.cycle.asOf), h('span', {}, t('board.policy') + ' ' + d.policyVersion)),
    h('p', { class: 'alert ' + (frozen ? 'ok' : 'info'), id: 'cycle-status' }, (frozen ? '❄ ' + t('board.frozen') : '● ' + t('board.open'))),
    h('div', {}, h('span', { class: 'muted small' }, frozen ? t('board.snapshotHash') : t('board.inputsHash')),
      h('div', { class: 'hash mono', id: frozen ? 'snapshot-hash' : 'inputs-hash' }, frozen ? d.cycle.snapshotHash : d.inputsHash)));
}

function tableCard() {
  const section = h('section', { class: 'card', id: 'table-card', 'aria-labelledby': 'table-title' });
  section.append(h('h2', { id: 'table-title' }, t('board.table')), h('div', { id: 'table-slot' }));
  queueMicrotask(renderTable);
  return section;
}

function renderTable() {
  const slot = document.getElementById('table-slot');
  if (!slot) return;
  if (!state.data) {
    slot.replaceChildren(state.mode === 'cycle' && !state.cycleId ? h('p', { class: 'muted' }, t('board.noCycles')) : h('p', { class: 'loading' }, t('loading')));
    return;
  }
  const cols = columns();
  const list = sortedRows();
  const head = h('tr', {}, cols.map((column) => {
    const sorted = state.sort && state.sort.key === column.key ? state.sort.dir : 'none';
    return h('th', { scope: 'col', class: column.num ? 'num' : undefined, 'aria-sort': sorted, dataset: { key: column.key } },
      h('button', { type: 'button', class: 'sort', title: t('board.sortBy', { col: columnTitle(column) }), onclick: () => toggleSort(column) },
        columnTitle(column), h('span', { class: 'arrow', 'aria-hidden': 'true' }, sorted === 'ascending' ? ' ▲' : sorted === 'descending' ? ' ▼' : ' ↕')));
  }));
  const body = list.map((row) => h('tr', { dataset: { teacher: row.teacherId } },
    cols.map((column) => h('td', { class: column.num ? 'num' : undefined, dataset: { col: column.key } }, column.cell ? column.cell(row) : row[column.key] === null || row[column.key] === undefined ? '—' : row[column.key]))));
  slot.replaceChildren(
    h('p', { class: 'muted small', id: 'row-count' }, t('board.count', { n: list.length }) + (state.mode === 'year' ? ' · ' + state.data.yearLabel + ' · ' + t('board.policy') + ' ' + state.data.policyVersion : ' · ' + t('board.windowNote', { years: (state.data.windowYearLabels || []).join(lang() === 'zh' ? '、' : ', '), tieBreak: tieBreakNames() }))),
    list.length ? h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-labelledby': 'table-title' }, h('table', { id: 'board' }, h('thead', {}, head), h('tbody', {}, body))) : h('p', { class: 'muted' }, t('board.empty')));
}

/** Totals (or review scores) by unit: a small histogram per unit, 10-point bands, counts written on the bars. */
// What-if: a draft policy file compared with the active one over the shown year and unit (nothing is stored).
function whatIfCard() {
  const out = h('div', { id: 'whatif-result', 'aria-live': 'polite' });
  const input = h('input', { type: 'file', id: 'whatif-file', accept: 'application/json,.json' });
  input.addEventListener('change', async () => {
    const file = input.files && input.files[0];
    if (!file) return;
    out.replaceChildren(h('p', { class: 'loading' }, t('loading')));
    try {
      let candidate;
      try { candidate = JSON.parse(await file.text()); } catch (error) { throw new ApiError('client', 400, t('whatif.notJson'), null); }
      const body = { year: state.year, candidate };
      if (state.unit) body.unit = state.unit;
      out.replaceChildren(whatIfResult(await api('/v1/policies/compare', { body })));
    } catch (error) {
      out.replaceChildren(errorBox(error));
    }
  });
  return h('section', { class: 'card', id: 'whatif' },
    h('h2', {}, t('whatif.title')),
    h('p', { class: 'muted' }, t('whatif.hint')),
    h('div', { class: 'field' }, h('label', { for: 'whatif-file' }, t('whatif.file')), input),
    out);
}

function whatIfResult(result) {
  const sum = result.summary;
  const changed = result.teachers.filter((row) => row.baseline.total !== row.candidate.total || row.baseline.finalGrade !== row.candidate.finalGrade);
  const moves = Object.entries(sum.units).flatMap(([unit, move]) => [
    ...move.enters.map((id) => h('li', {}, unit + ' · ' + id + ' ' + t('whatif.enters', { grade: result.quotaGradeLabel }))),
    ...move.leaves.map((id) => h('li', {}, unit + ' · ' + id + ' ' + t('whatif.leaves', { grade: result.quotaGradeLabel }))),
  ]);
  return h('div', {},
    h('p', { id: 'whatif-summary' }, t('whatif.summary', { candidate: result.candidateVersion, baseline: result.baselineVersion, teachers: sum.teachers, totals: sum.totalChanged, grades: sum.finalGradeChanged })),
    moves.length ? h('ul', { class: 'plain' }, moves) : null,
    changed.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'whatif-table' },
      h('thead', {}, h('tr', {}, ['col.name', 'whatif.before', 'whatif.after'].map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, changed.map((row) => h('tr', {},
        h('td', {}, row.name + ' (' + row.teacherId + ')'),
        h('td', { class: 'num' }, fmt(row.baseline.total, 2) + ' · ' + row.baseline.finalGradeLabel),
        h('td', { class: 'num' }, fmt(row.candidate.total, 2) + ' · ' + row.candidate.finalGradeLabel)))))) : null);
}

function distributionCard() {
  if (!state.data) return null;
  const list = rows();
  const byUnit = new Map();
  for (const row of list) {
    if (!byUnit.has(row.unit)) byUnit.set(row.unit, []);
    byUnit.get(row.unit).push(row.total);
  }
  const bands = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90];
  const maxCount = Math.max(1, ...[...byUnit.values()].map((totals) => Math.max(...bands.map((b) => totals.filter((v) => band(v) === b).length))));
  const charts = [...byUnit.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([unit, totals]) => {
    const mean = totals.reduce((x, y) => x + y, 0) / totals.length;
    const counts = bands.map((b) => totals.filter((v) => band(v) === b).length);
    const title = unit + ' (' + t('board.mean') + ' ' + mean.toFixed(2) + ', n=' + totals.length + ')';
    const H = 110, top = 16, base = 90;
    const svg = s('svg', { class: 'histogram', width: '100%', height: H, role: 'img', 'aria-label': title + ': ' + bands.map((b, i) => b + '–' + (b + 9) + ': ' + counts[i]).join(', ') },
      s('line', { class: 'axis', x1: '0%', x2: '100%', y1: base, y2: base }),
      bands.map((b, i) => {
        const height = (counts[i] / maxCount) * (base - top);
        return [
          s('rect', { class: 'fill', x: (i * 10 + 1.5) + '%', width: '7%', y: base - height, height }),
          s('text', { x: (i * 10 + 5) + '%', y: base - height - 3, 'text-anchor': 'middle' }, counts[i] ? String(counts[i]) : ''),
          s('text', { class: 'tick', x: (i * 10 + 5) + '%', y: base + 14, 'text-anchor': 'middle' }, String(b)),
        ];
      }));
    return h('figure', { class: 'dist', dataset: { unit } }, h('figcaption', {}, title), svg);
  });
  return h('section', { class: 'card', id: 'distribution', 'aria-labelledby': 'dist-title' },
    h('h2', { id: 'dist-title' }, t('board.distribution') + (state.mode === 'cycle' ? ' · ' + t('col.score') : '')),
    h('p', { class: 'muted small' }, t('board.distributionNote')),
    h('div', { class: 'dists' }, charts));
}
function band(value) {
  return Math.min(90, Math.floor(value / 10) * 10);
}

async function download(format) {
  try {
    const accept = format === 'xlsx' ? 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' : 'text/csv';
    const response = await api(dataPath(format), { raw: true, accept });
    const blob = await response.blob();
    const a = h('a', { href: URL.createObjectURL(blob), download: fileNameOf(response, 'shizi.' + format) });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (error) {
    fail(error);
  }
}

bootPage(start, showSignIn, fail);
`;
