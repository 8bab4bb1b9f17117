/**
 * The growth file page (served as /assets/growth-file.js, at /growth-file?teacher=<id>): a teacher's 成长档案 as
 * a printable document — identity, stage history, the growth-path gaps (the next stage's requirement tree), enterprise practice of every year, each year's appraisal
 * with its trace, the 双师型 standing and the records with their evidence file names — all from
 * GET /v1/teachers/{id}/growth-file. The page computes nothing; print styles (A4, one section per page,
 * repeated table headers) are in shared.css. (Kept as a string: no backticks or dollar-brace inside.)
 */
export const growthFileJs = String.raw`
import { h, t, L, bi, colon, api, renderHeader, pageErrors, fmt, token, asOfDate, loadKinds, fieldValueText, linksFor, lang, statusText, bootPage, countUnmetLeaves, requirementTree } from './common.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const state = { me: null, file: null, kinds: null };
const links = () => linksFor(state.me ? state.me.role : 'teacher', 'file');

const { showSignIn, fail } = pageErrors('file.title', links(), 'signin.anyToken', () => start());

async function start() {
  if (!token()) return showSignIn();
  renderHeader('file.title', links(), rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    state.me = await api('/v1/me');
    renderHeader('file.title', links(), rerender);
    const teacherId = params.get('teacher') || (state.me.role === 'teacher' ? state.me.teacherId : '');
    if (!teacherId) return askTeacher();
    const [file, kinds] = await Promise.all([
      api('/v1/teachers/' + encodeURIComponent(teacherId) + '/growth-file?asOf=' + asOfDate()),
      state.kinds ? Promise.resolve(state.kinds) : loadKinds(),
    ]);
    state.file = file;
    state.kinds = kinds;
    render();
  } catch (error) {
    fail(error);
  }
}

/** After a language switch: the labels come from the API, so ask again in the new language. */
function rerender() {
  state.file = null;
  start();
}

function askTeacher() {
  const input = h('input', { type: 'text', id: 'teacher-id', required: true });
  main.replaceChildren(h('form', { class: 'card', id: 'ask-teacher', onsubmit: (event) => {
    event.preventDefault();
    if (input.value.trim()) location.search = '?teacher=' + encodeURIComponent(input.value.trim());
  } },
  h('div', { class: 'field' }, h('label', { for: 'teacher-id' }, t('file.whichTeacher')), input),
  h('button', { type: 'submit' }, t('show'))));
}

const dash = (v) => (v === null || v === undefined || v === '' ? '—' : String(v));
const th = (key, cls) => h('th', { scope: 'col', class: cls }, t(key));
function table(id, heads, rows) {
  return h('div', { class: 'table-wrap' }, h('table', { class: 'file-table', id },
    h('thead', {}, h('tr', {}, heads)),
    h('tbody', {}, rows)));
}
function section(id, titleKey, ...children) {
  return h('section', { class: 'card file-section', id, 'aria-labelledby': id + '-title' }, h('h2', { id: id + '-title' }, t(titleKey)), ...children);
}

/** A record's own fields as one line, labelled from its kind (display only). */
function recordText(record) {
  const kind = state.kinds ? state.kinds.get(record.kind) : null;
  const fields = kind ? kind.fields : [];
  return fields.filter((f) => record[f.name] !== undefined && !['id', 'teacherId', 'kind', 'status'].includes(f.name))
    .map((f) => bi(f.label) + colon() + fieldValueText(f, record[f.name])).join(lang() === 'zh' ? '；' : '; ');
}

function render() {
  const f = state.file;
  const tch = f.teacher;
  const first = f.years.length ? f.years[0].yearLabel : '—';
  const last = f.years.length ? f.years[f.years.length - 1].yearLabel : '—';
  document.title = t('file.title') + ' · ' + tch.name;
  const cover = section('file-cover', 'file.title',
    h('p', { class: 'file-name' }, h('strong', {}, tch.name), ' ', h('span', { class: 'mono muted' }, tch.id)),
    h('dl', { class: 'facts' },
      h('dt', {}, t('unit')), h('dd', {}, tch.unit),
      h('dt', {}, t('file.hireDate')), h('dd', {}, tch.hireDate),
      h('dt', {}, t('stageLabel')), h('dd', {}, tch.stageLabel + ' · ' + t('file.since', { date: tch.stageSince })),
      h('dt', {}, t('titleLabel')), h('dd', {}, tch.titleLabel + ' · ' + t('file.since', { date: tch.titleSince })),
      h('dt', {}, t('file.dualTier')), h('dd', { id: 'file-dual-tier' }, f.dualQualified.recognisedTierLabel + ' · ' + t('file.tierMet') + colon() + f.dualQualified.tierMetLabel),
      h('dt', {}, t('file.years')), h('dd', {}, first + ' — ' + last + ' (' + f.years.length + ')'),
      h('dt', {}, t('asOf')), h('dd', { id: 'file-as-of' }, f.asOf),
      h('dt', {}, t('file.policy')), h('dd', {}, f.policyVersion)));

  const stages = section('file-stages', 'file.stages',
    table('stage-history', [th('stageLabel', 'w-m'), th('file.stageSince', 'w-m'), th('file.how', 'w-m'), th('records.reason'), th('file.recordedAt', 'w-m')],
      f.stageHistory.map((p) => h('tr', { class: p.superseded ? 'superseded' : undefined, dataset: { how: p.how } },
        h('td', {}, p.stageLabel + (p.superseded ? ' ' + t('file.superseded') : '')),
        h('td', {}, dash(p.since)),
        h('td', {}, p.howLabel),
        h('td', {}, dash(p.reason)),
        h('td', {}, p.at ? p.at.slice(0, 10) : '—')))));

  // the growth-path gaps: the next stage's requirement tree with what is still missing (the API's progress answer)
  const g = f.growthPath;
  const growth = section('file-growth', 'file.growth',
    h('p', {}, t('stageLabel') + colon(), h('strong', {}, g.stageLabel), g.nextStage === null ? null : [' → ', t('growth.next') + colon(), h('strong', { id: 'file-next-stage' }, g.nextStageLabel)]),
    g.nextStage === null
      ? h('p', { class: 'alert ok', id: 'file-eligibility' }, '✓ ' + t('growth.top'))
      : [
        g.eligible
          ? h('p', { class: 'alert ok', id: 'file-eligibility' }, '✓ ' + t('growth.eligible'))
          : h('p', { class: 'alert warn', id: 'file-eligibility' }, '✗ ' + t('growth.notEligible', { n: countUnmetLeaves(g.requirements) })),
        requirementTree(g.requirements, g.gaps, { id: 'file-checklist', 'aria-label': t('growth.requirementsFor', { stage: g.nextStageLabel }) }),
      ]);

  const practice = section('file-practice', 'file.practice',
    table('practice-years', [th('practice.year', 'w-m'), th('practice.counted', 'num'), th('practice.pending', 'num'), th('practice.required', 'num'), th('file.standing', 'w-m'), th('file.rolling', 'num w-m')],
      f.years.map((y) => h('tr', { dataset: { year: y.year } },
        h('td', {}, y.yearLabel),
        h('td', { class: 'num' }, y.practice.countedDays),
        h('td', { class: 'num' }, y.practice.pendingDays),
        h('td', { class: 'num' }, y.practice.requiredDays),
        h('td', {}, y.practice.exempt ? t('file.exempt') : y.practice.standingLabel),
        h('td', { class: 'num' }, y.practice.rolling.countedDays + ' / ' + y.practice.rolling.requiredDays)))));

  const appraised = f.years.filter((y) => y.appraisal);
  const appraisals = section('file-appraisals', 'file.appraisals',
    appraised.length ? appraised.map((y) => appraisalBlock(y)) : h('p', { class: 'muted' }, t('appraisal.noItems')));

  const d = f.dualQualified;
  const dual = section('file-dual', 'file.dual',
    h('p', {}, t('file.dualTier') + colon(), h('strong', {}, d.recognisedTierLabel), ' · ', t('file.tierMet') + colon(), h('strong', {}, d.tierMetLabel)),
    d.warnings.map((w) => h('p', { class: 'alert warn small' }, w.text)),
    d.tiers.map((tier) => h('div', { class: 'file-tier', dataset: { tier: tier.tier } },
      h('h3', {}, tier.tierLabel + ' ', statusText(tier.met)),
      requirementTree(tier.requirements, tier.gaps, { 'aria-label': tier.tierLabel }))),
    h('h3', {}, t('file.recognitions')),
    d.recognitions.length
      ? table('recognitions', [th('file.tier', 'w-m'), th('file.issuingLevel', 'w-s'), th('file.date', 'w-m'), th('file.validUntil', 'w-m'), th('file.standing', 'w-m')],
        d.recognitions.map((r) => h('tr', {}, h('td', {}, r.tierLabel), h('td', {}, r.issuingLevelLabel || r.issuingLevel), h('td', {}, r.date), h('td', {}, r.validUntil), h('td', {}, r.standingLabel))))
      : h('p', { class: 'muted' }, t('file.noRecognitions')));

  const withRecords = f.years.filter((y) => y.records.length);
  const records = section('file-records', 'file.records',
    f.evidenceListed ? null : h('p', { class: 'muted small' }, t('file.filesWithheld')),
    withRecords.length ? withRecords.map((y) => h('div', { class: 'file-year', dataset: { year: y.year } },
      h('h3', {}, y.yearLabel),
      table('records-' + y.year, [th('file.recordId', 'w-s'), th('records.kind', 'w-m'), th('file.content'), th('file.state', 'w-m'), th('records.files', 'w-m')],
        y.records.map((r) => h('tr', { dataset: { record: r.record.id } },
          h('td', { class: 'mono' }, r.record.id),
          h('td', {}, r.kindLabel),
          h('td', {}, recordText(r.record) || '—'),
          h('td', {}, r.stateLabel),
          h('td', { class: 'files' }, r.files === null ? '—' : r.files.length ? h('ul', { class: 'plain' }, r.files.map((file) => h('li', {}, file.name))) : t('records.noFiles'))))))) : h('p', { class: 'muted' }, t('records.none')));

  main.replaceChildren(
    h('div', { class: 'file-toolbar no-print' },
      h('button', { type: 'button', id: 'print', onclick: () => window.print() }, t('file.print')),
      h('span', { class: 'muted small' }, t('file.printHint'))),
    cover, stages, growth, practice, appraisals, dual, records);
}

function appraisalBlock(y) {
  const a = y.appraisal;
  const cats = Object.keys(a.categories).map((id) => a.categories[id].label + ' ' + fmt(a.categories[id].capped, 2) + '/' + a.categories[id].cap).join(lang() === 'zh' ? '；' : '; ');
  return h('div', { class: 'file-year', dataset: { year: y.year } },
    h('h3', {}, y.yearLabel + (y.closed ? '' : ' ' + t('file.open'))),
    h('p', {}, t('appraisal.total') + colon(), h('strong', { class: 'file-total' }, fmt(a.total, 2)), ' · ', t('appraisal.grade') + colon(), h('strong', {}, a.gradeLabel),
      a.reasons.length ? ' · ' + a.reasons.map((r) => r.label).join(lang() === 'zh' ? '；' : '; ') : ''),
    h('p', { class: 'small muted' }, cats),
    a.items.length
      ? table('trace-' + y.year, [th('appraisal.category', 'w-m'), th('appraisal.rule'), th('appraisal.records', 'w-m'), th('appraisal.quantity', 'num w-s'), th('appraisal.share', 'num w-s'), th('appraisal.points', 'num w-s')],
        a.items.map((item) => h('tr', {},
          h('td', {}, item.categoryLabel),
          h('td', {}, item.ruleLabel),
          h('td', { class: 'mono' }, item.recordIds.join(', ')),
          h('td', { class: 'num' }, fmt(item.quantity)),
          h('td', { class: 'num' }, fmt(item.share)),
          h('td', { class: 'num' }, fmt(item.points, 2)))))
      : h('p', { class: 'muted small' }, t('appraisal.noItems')));
}

bootPage(start, showSignIn, fail);
`;
