/**
 * The teacher's progress page (served as /assets/teacher.js): growth ladder and next-stage checklist,
 * this year's enterprise practice, the rolling five-year figure, and the last three appraisals with traces.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const teacherJs = String.raw`
import { h, s, t, L, bi, colon, api, errorBox, renderHeader, signInForm, statusText, fmt, asOfDate, barChart, hatchDefs, lang, token, setToken, ApiError, loadKinds, recordFacts, stateBadge, historyList, linksFor, bootPage, countUnmetLeaves, requirementTree, askAgain } from './common.js';

const STAGES = ['new_teacher', 'backbone_teacher', 'program_leader', 'cluster_lead'];
const main = document.getElementById('main');
const state = { asOf: asOfDate(), me: null, teacherId: null, teacher: null, progress: null, dual: null, practiceYear: null, practice: null, appraisals: [], error: null, kinds: null, records: [], histories: new Map(), form: null };
const links = () => linksFor(state.me ? state.me.role : 'teacher', 'teacher');

/**
 * After a language switch or sign-out: redraw from what is loaded, then ask again, since the labels the API
 * sends (requirement lines and their values, grades, categories, vetoes) come in the asked language.
 */
function rerender() {
  if (!token()) return showSignIn();
  renderHeader('teacher.title', links(), rerender);
  if (state.teacher) {
    render();
    refetch();
  } else if (main.querySelector('.loading')) main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  else load();
}

// a later switch outdates an earlier one's answers: only the last asked draws
const refetch = askAgain(fetchAll, () => render(), (error) => fail(error));

function showSignIn(error) {
  renderHeader('teacher.title', links(), () => showSignIn(error));
  main.replaceChildren(signInForm('signin.teacherToken', () => load(), error));
}

function fail(error) {
  if (error instanceof ApiError && error.kind === 'auth') {
    setToken('');
    return showSignIn(error);
  }
  main.replaceChildren(h('section', { class: 'card' }, errorBox(error), h('p', {}, h('button', { type: 'button', class: 'secondary', onclick: () => load() }, '↻ ' + t('show')))));
}

async function load() {
  state.teacher = null;
  renderHeader('teacher.title', links(), rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const me = await api('/v1/me');
    state.me = me;
    if (me.role === 'teacher') state.teacherId = me.teacherId;
    // HR may open any teacher, a unit reviewer a teacher of its units (the API answers 404 for another unit's)
    else if (me.role === 'hr' || me.role === 'unit_reviewer') state.teacherId = new URLSearchParams(location.search).get('teacher');
    else {
      setToken('');
      return showSignIn(new ApiError('forbidden', 403, t('err.wrongRoleTeacher'), null));
    }
    if (!state.teacherId) return askTeacher();
    renderHeader('teacher.title', links(), rerender);
    await fetchAll();
    render();
  } catch (error) {
    fail(error);
  }
}

/**
 * Everything the page shows, from the API; again after each declaration or withdrawal (the numbers change) and
 * each language switch. Keeps nothing when isCurrent() says the answers are outdated; true when it kept them.
 */
async function fetchAll(isCurrent = () => true) {
  const id = encodeURIComponent(state.teacherId);
  const teacher = await api('/v1/teachers/' + id);
  // The year rules (where a year starts, which completed years the appraisal window shows) are the policy's: asked, not computed.
  const calendar = await api('/v1/calendar?asOf=' + state.asOf + '&since=' + teacher.hireDate);
  state.calendar = calendar;
  state.practiceYear = state.practiceYear === null ? calendar.academicYear : state.practiceYear;
  const years = calendar.recentYears;
  const [progress, dual, practice, records, kinds, ...appraisals] = await Promise.all([
    api('/v1/teachers/' + id + '/progress?asOf=' + state.asOf),
    api('/v1/teachers/' + id + '/dual-qualified?asOf=' + state.asOf),
    api('/v1/teachers/' + id + '/practice?year=' + state.practiceYear + '&asOf=' + state.asOf),
    loadRecords(state.teacherId),
    state.kinds ? Promise.resolve(state.kinds) : loadKinds(),
    ...years.map((y) => api('/v1/teachers/' + id + '/appraisals/' + y)),
  ]);
  if (!isCurrent()) return false;
  Object.assign(state, { teacher, progress, dual, practice, records, kinds, appraisals, histories: new Map() });
  await loadHistories(records.filter((r) => COMMENTED.has(r.state)));
  return isCurrent();
}

/** HR (any teacher) and unit reviewers (their units' teachers) pick the teacher: ask which one. */
function askTeacher() {
  const input = h('input', { type: 'text', id: 'teacher-id', required: true });
  main.replaceChildren(h('form', {
    class: 'card signin',
    onsubmit: (event) => {
      event.preventDefault();
      const url = new URL(location.href);
      url.searchParams.set('teacher', input.value.trim());
      history.replaceState(null, '', url);
      load();
    },
  }, h('div', { class: 'field' }, h('label', { for: 'teacher-id' }, t('hrTeacher')), input), h('button', { type: 'submit' }, t('show'))));
}

// Rendering ---------------------------------------------------------------------------------------------
function render() {
  const { teacher, progress } = state;
  main.replaceChildren(
    h('section', { class: 'card', id: 'identity', 'aria-labelledby': 'who' },
      h('h2', { id: 'who' }, teacher.name + ' ', h('span', { class: 'muted mono' }, teacher.id)),
      h('div', { class: 'row muted' },
        h('span', {}, t('unit') + colon() + teacher.unit),
        h('span', {}, t('titleLabel') + colon() + teacher.titleLabel),
        h('span', {}, t('stageLabel') + colon() + teacher.stageLabel),
        teacher.enterpriseExperience === undefined ? null : h('span', { id: 'enterprise-experience' }, t('enterpriseExperience') + colon() + t(teacher.enterpriseExperience ? 'yes' : 'no')),
        h('span', { id: 'as-of' }, t('asOf') + ' ' + state.asOf)),
      h('p', {}, h('a', { id: 'growth-file-link', href: '/growth-file?teacher=' + encodeURIComponent(teacher.id) + '&asOf=' + state.asOf }, t('file.link')))),
    growthCard(progress),
    dualCard(state.dual),
    practiceCard(),
    recordsCard(),
    appraisalCard());
}

function growthCard(progress) {
  const currentIndex = STAGES.indexOf(progress.stage);
  const ladder = h('ol', { class: 'ladder', id: 'ladder', 'aria-label': t('growth.title') },
    STAGES.map((stage, index) => {
      const cls = index < currentIndex ? 'done' : index === currentIndex ? 'current' : index === currentIndex + 1 ? 'next' : '';
      const tag = index < currentIndex ? '✓ ' + t('growth.done') : index === currentIndex ? '● ' + t('growth.current') : index === currentIndex + 1 ? '→ ' + t('growth.next') : '';
      return h('li', { class: cls, 'aria-current': index === currentIndex ? 'step' : undefined, dataset: { stage } },
        h('span', { class: 'n' }, (index + 1) + (tag ? ' · ' + tag : '')), L('stages', stage));
    }));
  const body = [ladder];
  if (progress.nextStage === null) {
    body.push(h('p', { class: 'alert ok' }, '✓ ' + t('growth.top')));
  } else {
    body.push(h('h3', { id: 'req-title' }, t('growth.requirementsFor', { stage: L('stages', progress.nextStage) })));
    const unmet = countUnmetLeaves(progress.requirements);
    body.push(progress.eligible
      ? h('p', { class: 'alert ok', id: 'eligibility' }, '✓ ' + t('growth.eligible'))
      : h('p', { class: 'alert warn', id: 'eligibility' }, '✗ ' + t('growth.notEligible', { n: unmet })));
    body.push(requirementTree(progress.requirements, progress.gaps, { id: 'checklist', 'aria-labelledby': 'req-title' }));
  }
  return h('section', { class: 'card', id: 'growth', 'aria-labelledby': 'growth-title' }, h('h2', { id: 'growth-title' }, t('growth.title')), body);
}

/**
 * 双师型 standing (GET /v1/teachers/{id}/dual-qualified): the expiry warning first and loud, the tier recognised
 * (what reports count) and the tier the criteria are met for, the recognitions with their validity, and each
 * tier's requirement tree with its gaps (the growth path's checklist rendering). The tiers', levels' and standings'
 * names are the API's (tierLabel, issuingLevelLabel, standingLabel, in the asked language), as are met, days left
 * and the gaps.
 */
function dualCard(d) {
  const figure = (id, key, value, tier) => h('div', { class: 'figure', id, dataset: { tier } }, h('span', { class: 'k' }, t(key)), h('span', { class: 'v' }, value));
  const warnings = d.warnings.length
    ? h('div', { class: 'alert error', id: 'dual-warnings', role: 'alert' },
      h('strong', {}, '⚠ ' + t('dual.expiring', { days: d.expiryWarningDays })),
      h('ul', { class: 'plain' }, d.warnings.map((w) => h('li', { dataset: { recordId: w.recordId } }, w[lang()]))))
    : null;
  const recognitions = d.recognitions.length
    ? h('div', { class: 'table-wrap' }, h('table', { id: 'dual-recognitions' },
      h('thead', {}, h('tr', {}, ['file.tier', 'file.issuingLevel', 'file.date', 'file.validUntil', 'file.standing', 'dual.daysLeftCol'].map((key, i) => h('th', { scope: 'col', class: i === 5 ? 'num' : undefined }, t(key))))),
      h('tbody', {}, d.recognitions.map((r) => h('tr', { class: 'standing-' + r.standing, dataset: { recordId: r.recordId, standing: r.standing } },
        h('td', {}, r.tierLabel),
        h('td', {}, r.issuingLevelLabel),
        h('td', {}, r.date),
        h('td', {}, r.validUntil),
        h('td', {}, h('span', { class: 'status ' + (r.standing === 'valid' ? 'ok' : 'bad') }, (r.standing === 'valid' ? '✓ ' : r.standing === 'expiring' ? '⚠ ' : '✗ ') + r.standingLabel)),
        h('td', { class: 'num' }, r.daysLeft >= 0 ? t('dual.daysLeft', { n: r.daysLeft }) : t('dual.expiredAgo', { n: -r.daysLeft })))))))
    : h('p', { class: 'muted', id: 'dual-recognitions' }, t('file.noRecognitions'));
  // the lowest tier not met opens; the others stay folded (their trees are still on the page)
  const opened = d.tiers.findIndex((tier) => !tier.met);
  const tiers = d.tiers.map((tier, index) => h('details', { class: 'dual-tier', id: 'dual-tier-' + tier.tier, dataset: { tier: tier.tier, met: String(tier.met) }, open: index === opened ? true : undefined },
    h('summary', {}, statusText(tier.met), ' ', h('strong', {}, tier.tierLabel),
      tier.met ? null : h('span', { class: 'muted small' }, ' · ' + t('dual.toDo', { n: countUnmetLeaves(tier.requirements) }))),
    requirementTree(tier.requirements, tier.gaps, { 'aria-label': tier.tierLabel })));
  return h('section', { class: 'card', id: 'dual', 'aria-labelledby': 'dual-title' },
    h('h2', { id: 'dual-title' }, t('dual.title')),
    warnings,
    h('div', { class: 'figures' },
      figure('dual-recognised', 'dual.recognised', d.recognisedTierLabel, d.recognisedTier),
      figure('dual-met', 'dual.met', d.tierMetLabel, d.tierMet)),
    h('p', { class: 'muted small' }, t('dual.hint')),
    h('h3', {}, t('file.recognitions')),
    recognitions,
    h('h3', {}, t('dual.tiers')),
    tiers);
}

// My records: the teacher's declarations, their state and the reviewers' comments ---------------------------
/** States whose history carries a reviewer's comment the teacher must read: loaded with the page. */
const COMMENTED = new Set(['returned', 'rejected']);
/** Verified records: nothing left to do; listed folded. */
const SETTLED = new Set(['verified']);
/**
 * Which buttons a record offers. Display only: the API decides (POST .../transitions answers 409 to a move
 * it does not allow), so a stale button cannot do harm.
 */
const OFFERS = {
  submitted: ['edit', 'withdraw'],
  unit_approved: ['withdraw'],
  returned: ['edit', 'withdraw'],
  withdrawn: ['edit', 'resubmit'],
  verified: [],
  rejected: [],
};

async function loadRecords(teacherId) {
  const items = [];
  let cursor = null;
  do {
    const page = await api('/v1/records?teacherId=' + encodeURIComponent(teacherId) + '&limit=200' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  // newest state first: what just changed is on top
  return items.sort((a, b) => (a.stateSince < b.stateSince ? 1 : a.stateSince > b.stateSince ? -1 : 0));
}

async function loadHistories(records) {
  const answers = await Promise.all(records.map((r) => api('/v1/records/' + encodeURIComponent(r.record.id) + '/history')));
  records.forEach((r, i) => state.histories.set(r.record.id, answers[i].items));
}

/** Redraws the records card only (the rest of the page keeps its scroll and focus). */
function redrawRecords(focusId) {
  const card = document.getElementById('records');
  if (card) card.replaceWith(recordsCard());
  if (focusId) { const el = document.getElementById(focusId); if (el) el.focus(); }
}

/** After a write: everything again, since practice days, progress and appraisals may change. */
async function refreshAfterWrite(message) {
  await fetchAll();
  render();
  const box = document.getElementById('records-status');
  if (box && message) box.replaceChildren(h('p', { class: 'alert ok', role: 'status' }, '✓ ' + message));
}

function recordsCard() {
  const teacherOwn = state.me && state.me.role === 'teacher';
  const declarable = [...state.kinds.values()].filter((k) => k.declarable);
  // what still needs someone (review, a correction) first; settled records folded away below
  const settled = state.records.filter((r) => SETTLED.has(r.state));
  const open = state.records.filter((r) => !SETTLED.has(r.state));
  const list = state.records.length
    ? h('div', { id: 'record-list' },
      open.length ? h('ul', { class: 'records', id: 'records-open' }, open.map((r) => recordItem(r, teacherOwn))) : h('p', { class: 'muted' }, t('records.noneOpen')),
      settled.length ? h('details', { class: 'records-settled', id: 'records-settled' },
        h('summary', {}, t('records.settled', { n: settled.length })),
        h('ul', { class: 'records' }, settled.map((r) => recordItem(r, teacherOwn)))) : null)
    : h('p', { class: 'muted', id: 'record-list' }, t('records.none'));
  return h('section', { class: 'card', id: 'records', 'aria-labelledby': 'records-title' },
    h('h2', { id: 'records-title' }, t('records.title')),
    h('div', { id: 'records-status', 'aria-live': 'polite' }),
    teacherOwn
      ? (state.form ? declareForm() : h('p', {}, h('button', { type: 'button', id: 'declare-open', onclick: () => { state.form = { mode: 'new', kind: declarable.length ? declarable[0].kind : '' }; redrawRecords('declare-kind'); } }, '+ ' + t('records.declare'))))
      : h('p', { class: 'muted small' }, t('records.hrReadOnly')),
    list);
}

function recordItem(r, teacherOwn) {
  const id = r.record.id;
  const kind = state.kinds.get(r.record.kind);
  const history = state.histories.get(id);
  const latestReason = history ? history.filter((item) => item.reason).slice(-1)[0] : null;
  const offers = teacherOwn ? (r.actions || OFFERS[r.state] || []) : [];
  const details = h('details', {
    class: 'record-history',
    open: history && COMMENTED.has(r.state) ? true : undefined,
    ontoggle: async (event) => {
      if (!event.target.open || state.histories.has(id)) return;
      try {
        await loadHistories([r]);
        event.target.replaceChildren(event.target.firstChild, historyList(state.histories.get(id)), filesSlot(id));
      } catch (error) { event.target.append(errorBox(error)); }
    },
  }, h('summary', {}, t('records.history')), history ? historyList(history) : h('p', { class: 'loading small' }, t('loading')), history ? filesSlot(id) : null);
  return h('li', { class: 'record', dataset: { recordId: id, state: r.state } },
    h('div', { class: 'record-head' },
      h('strong', {}, r.kindLabel),
      h('span', { class: 'mono muted' }, id),
      stateBadge(r),
      h('span', { class: 'muted small' }, t('records.since', { date: String(r.stateSince || r.updatedAt).slice(0, 10) }))),
    latestReason && COMMENTED.has(r.state) ? h('p', { class: 'alert warn small reviewer-comment' }, t('records.comment') + colon() + latestReason.reason) : null,
    recordFacts(r.record, kind),
    offers.length ? h('div', { class: 'row actions' }, offers.map((action) => offerButton(r, action))) : null,
    h('div', { class: 'record-error', id: 'record-error-' + id }),
    details);
}

/** The record's evidence files (GET /v1/records/{id}/files), loaded with its history. */
function filesSlot(id) {
  const slot = h('div', { class: 'files small' });
  api('/v1/records/' + encodeURIComponent(id) + '/files').then((answer) => {
    const items = answer.items || [];
    slot.replaceChildren(h('span', { class: 'muted' }, t('records.files') + colon()), items.length
      ? h('ul', { class: 'plain' }, items.map((f) => h('li', { dataset: { fileId: f.id } }, f.name + ' · ' + f.contentType + ' · ' + fmt(f.size / 1024, 0) + ' KB')))
      : h('span', { class: 'muted' }, t('records.noFiles')));
  }, (error) => slot.replaceChildren(errorBox(error)));
  return slot;
}

function offerButton(r, action) {
  const id = r.record.id;
  if (action === 'edit') {
    return h('button', { type: 'button', class: 'secondary', dataset: { action: 'edit' }, onclick: () => {
      state.form = { mode: 'edit', id, kind: r.record.kind, record: r.record };
      redrawRecords('declare-kind');
      document.getElementById('declare-form').scrollIntoView({ block: 'start' });
    } }, r.state === 'returned' ? t('records.correct') : t('records.edit'));
  }
  return h('button', { type: 'button', class: action === 'withdraw' ? 'secondary' : undefined, dataset: { action }, onclick: async (event) => {
    event.target.disabled = true;
    try {
      await api('/v1/records/' + encodeURIComponent(id) + '/transitions', { body: { action }, headers: { 'idempotency-key': crypto.randomUUID() } });
      await refreshAfterWrite(t('records.done.' + action, { id }));
    } catch (error) {
      event.target.disabled = false;
      if (error instanceof ApiError && error.kind === 'auth') return fail(error);
      const box = document.getElementById('record-error-' + id);
      if (box) box.replaceChildren(errorBox(error));
    }
  } }, t('records.action.' + action));
}

// The declare form: generated from GET /v1/kinds (fields, labels, types); the API validates. -------------
function declareForm() {
  const f = state.form;
  const declarable = [...state.kinds.values()].filter((k) => k.declarable);
  const kind = state.kinds.get(f.kind);
  const kindSelect = h('select', { id: 'declare-kind', name: 'kind', disabled: f.mode === 'edit', onchange: (e) => { state.form = { mode: 'new', kind: e.target.value }; redrawRecords('declare-kind'); } },
    declarable.map((k) => h('option', { value: k.kind, selected: k.kind === f.kind }, bi(k.label))));
  const schema = kind && kind.jsonSchema && kind.jsonSchema.properties ? kind.jsonSchema.properties : {};
  const fields = kind ? kind.fields.map((field) => fieldControl(field, schema[field.name] || {}, f.record ? f.record[field.name] : undefined)) : [];
  const files = h('div', { class: 'field', id: 'field-files' },
    h('label', { for: 'declare-files' }, t('records.attach')),
    h('input', { type: 'file', id: 'declare-files', name: 'files', multiple: true, accept: 'application/pdf,image/jpeg,image/png', 'aria-describedby': 'declare-files-hint err-files' }),
    h('span', { class: 'muted small', id: 'declare-files-hint' }, t('records.attachHint')),
    h('span', { class: 'field-error', id: 'err-files', role: 'alert' }));
  return h('form', { class: 'declare', id: 'declare-form', novalidate: true, 'aria-labelledby': 'declare-title', onsubmit: submitDeclaration },
    h('h3', { id: 'declare-title' }, f.mode === 'edit' ? t('records.editTitle', { id: f.id }) : t('records.declareTitle')),
    h('div', { class: 'field' }, h('label', { for: 'declare-kind' }, t('records.kind')), kindSelect),
    h('div', { class: 'form-grid' }, fields),
    files,
    h('div', { id: 'declare-error' }),
    h('div', { class: 'row' },
      h('button', { type: 'submit', id: 'declare-submit' }, f.mode === 'edit' ? t('records.submitEdit') : t('records.submit')),
      h('button', { type: 'button', class: 'secondary', id: 'declare-cancel', onclick: () => { state.form = null; redrawRecords('declare-open'); } }, t('records.cancel'))));
}

/** One input per field, by the field's type; name = the API's field name, so errors[].path finds it. */
function fieldControl(field, schema, value) {
  const id = 'f-' + field.name;
  const common = { id, name: field.name, 'aria-describedby': 'err-' + field.name, 'aria-required': field.optional ? undefined : 'true', dataset: { type: field.type } };
  let control;
  if (field.values) {
    control = h('select', common,
      field.optional ? h('option', { value: '' }, '—') : h('option', { value: '', disabled: true, selected: value === undefined }, t('records.choose')),
      field.values.map((v) => h('option', { value: v.value, selected: v.value === value }, bi(v.label))));
  } else if (field.type === 'text_list') {
    control = h('textarea', Object.assign({ rows: 3 }, common));
    control.value = Array.isArray(value) ? value.join('\n') : '';
  } else {
    const numeric = schema.type === 'integer' || schema.type === 'number';
    const type = field.type === 'date' ? 'date' : numeric ? 'number' : 'text';
    control = h('input', Object.assign({
      type,
      step: numeric ? (schema.type === 'integer' ? '1' : 'any') : undefined,
      min: schema.minimum !== undefined ? schema.minimum : undefined,
      max: schema.maximum !== undefined ? schema.maximum : undefined,
      inputmode: numeric ? (schema.type === 'integer' ? 'numeric' : 'decimal') : undefined,
    }, common));
    if (value !== undefined) control.value = String(value);
  }
  const hint = field.type === 'text_list' ? t('records.onePerLine') : field.type === 'year' ? t('records.yearHint') : field.type === 'team_share' ? t('records.shareHint') : '';
  return h('div', { class: 'field', id: 'field-' + field.name },
    h('label', { for: id }, bi(field.label), field.optional ? h('span', { class: 'muted small' }, ' (' + t('records.optional') + ')') : ' *'),
    control,
    hint ? h('span', { class: 'muted small' }, hint) : null,
    h('span', { class: 'field-error', id: 'err-' + field.name, role: 'alert' }));
}

/** The body as the API takes it: each filled field, typed as its JSON Schema says; empty ones left out. */
function formBody(form, kind) {
  const body = { kind: kind.kind };
  const schema = kind.jsonSchema && kind.jsonSchema.properties ? kind.jsonSchema.properties : {};
  for (const field of kind.fields) {
    const el = form.elements.namedItem(field.name);
    if (!el) continue;
    const raw = el.value.trim();
    if (raw === '') continue;
    const type = (schema[field.name] || {}).type;
    if (field.type === 'text_list') body[field.name] = raw.split('\n').map((line) => line.trim()).filter(Boolean);
    else if (type === 'integer' || type === 'number') body[field.name] = Number(raw);
    else body[field.name] = raw;
  }
  return body;
}

/** Shows problem+json errors[] next to their fields; what names no field goes in the form's box. */
function showFieldErrors(form, error) {
  for (const el of form.querySelectorAll('.field-error')) el.textContent = '';
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  const rest = [];
  for (const item of error.errors || []) {
    const name = String(item.path).split(/[.\[]/)[0];
    const slot = document.getElementById('err-' + name);
    const control = form.elements.namedItem(name);
    if (slot && form.contains(slot)) {
      slot.textContent = (slot.textContent ? slot.textContent + '；' : '') + item.message;
      if (control && control.setAttribute) control.setAttribute('aria-invalid', 'true');
    } else rest.push(item);
  }
  const box = document.getElementById('declare-error');
  const shown = (error.errors || []).length - rest.length;
  if (shown && !rest.length) box.replaceChildren(h('p', { class: 'alert error', role: 'alert' }, t('records.fixFields', { n: shown })));
  else box.replaceChildren(errorBox(new ApiError(error.kind, error.status, error.detail, error.requestId, { errors: rest })));
  const first = form.querySelector('[aria-invalid=true]');
  if (first) first.focus();
}

async function submitDeclaration(event) {
  event.preventDefault();
  const form = event.target;
  const f = state.form;
  const kind = state.kinds.get(f.kind);
  const button = document.getElementById('declare-submit');
  button.disabled = true;
  const files = [...document.getElementById('declare-files').files];
  // one key per form: a retry after a lost answer does not declare twice
  if (!f.idempotencyKey) f.idempotencyKey = crypto.randomUUID();
  let saved = null;
  try {
    const body = formBody(form, kind);
    saved = f.mode === 'edit'
      ? await api('/v1/records/' + encodeURIComponent(f.id), { method: 'PUT', body })
      : await api('/v1/records', { body, headers: { 'idempotency-key': f.idempotencyKey } });
  } catch (error) {
    button.disabled = false;
    if (error instanceof ApiError && error.kind === 'auth') return fail(error);
    return showFieldErrors(form, error);
  }
  const id = saved.record.id;
  // the record exists now: later failures are the files' (the form becomes an edit of this record)
  state.form = { mode: 'edit', id, kind: f.kind, record: saved.record };
  for (const [index, file] of files.entries()) {
    try {
      // the bytes as the body, the name in ?name= (the worker checks the type by the bytes)
      await api('/v1/records/' + encodeURIComponent(id) + '/files?name=' + encodeURIComponent(file.name), { bytes: file, headers: { 'idempotency-key': f.idempotencyKey + ':file' + index } });
    } catch (error) {
      if (error instanceof ApiError && error.kind === 'auth') return fail(error);
      await refreshAfterWrite(null);
      const slot = document.getElementById('err-files');
      if (slot) slot.textContent = t('records.fileFailed', { name: file.name, id }) + ' ' + (error.detail || error.message);
      return;
    }
  }
  state.form = null;
  await refreshAfterWrite(t(f.mode === 'edit' ? 'records.done.edit' : 'records.done.declare', { id }));
}

function practiceCard() {
  const p = state.practice;
  const select = h('select', {
    id: 'practice-year',
    onchange: async (event) => {
      state.practiceYear = Number(event.target.value);
      try {
        state.practice = await api('/v1/teachers/' + encodeURIComponent(state.teacherId) + '/practice?year=' + state.practiceYear + '&asOf=' + state.asOf);
        document.getElementById('practice').replaceWith(practiceCard());
        document.getElementById('practice-year').focus();
      } catch (error) { fail(error); }
    },
  }, state.calendar.years.slice(0, 5).map((y) => h('option', { value: y.year, selected: y.year === p.year }, y.label)));

  // the bar: counted solid, pending hatched, a dashed line at the requirement; sized in percent
  const scale = Math.max(p.requiredDays, p.countedDays + p.pendingDays, 1) * 1.1;
  const pct = (days) => ((days / scale) * 100).toFixed(2) + '%';
  const reqAt = (p.requiredDays / scale) * 100;
  const barText = t('practice.barLabel', { counted: p.countedDays, required: p.requiredDays, pending: p.pendingDays });
  const svg = s('svg', { class: 'practice-bar', id: 'practice-bar', width: '100%', height: 58, role: 'img', 'aria-label': barText, dataset: { counted: p.countedDays, required: p.requiredDays, pending: p.pendingDays } },
    hatchDefs(),
    s('title', {}, barText),
    s('rect', { class: 'track', x: 0, y: 6, width: '100%', height: 26, rx: 4 }),
    s('rect', { class: 'fill' + (p.compliant ? '' : ' bad'), x: 0, y: 6, width: pct(p.countedDays), height: 26, rx: 4 }),
    s('rect', { class: 'pending', x: pct(p.countedDays), y: 6, width: pct(p.pendingDays), height: 26 }),
    p.requiredDays > 0 ? s('line', { class: 'target', x1: reqAt.toFixed(2) + '%', x2: reqAt.toFixed(2) + '%', y1: 0, y2: 38 }) : null,
    p.requiredDays > 0 ? s('text', { x: reqAt.toFixed(2) + '%', y: 52, 'text-anchor': reqAt > 80 ? 'end' : 'middle' }, t('practice.required') + ' ' + p.requiredDays) : null,
    s('text', { x: 0, y: 52 }, '0'));
  const barCaption = h('p', { id: 'practice-text', class: 'bar-caption' }, barText);

  const figure = (id, key, value) => h('div', { class: 'figure', id }, h('span', { class: 'k' }, t(key)), h('span', { class: 'v' }, value));
  // Which rules bind is the API's (bindingFigures, in its order): their blocks come first, then the status; the
  // rule that does not bind follows, labelled for reference. The shortfall is the binding rules' (the API's).
  const binding = p.bindingFigures.map((f) => f.rule);
  const binds = (rule) => binding.includes(rule);
  const reference = () => h('span', { class: 'muted small reference' }, ' ' + t('practice.forReference'));
  const shortfall = figure('practice-shortfall', 'practice.shortfall', t('practice.days', { n: p.shortfall }));
  const status = p.exempt
    ? h('p', { class: 'alert ok', id: 'practice-status' }, '✓ ' + t('practice.exempt'))
    : p.compliant
      ? h('p', { class: 'alert ok', id: 'practice-status' }, '✓ ' + t('practice.compliant'))
      : p.standing === 'missed'
        ? h('p', { class: 'alert error', id: 'practice-status' }, '✗ ' + t('practice.missed', { shortfall: p.shortfall }))
        : h('p', { class: 'alert ' + (p.atRisk ? 'error' : 'warn'), id: 'practice-status' }, '✗ ' + t('practice.notCompliant'));
  // the days left come with the practice answer, for the year shown (not the calendar's current year)
  const risk = p.atRisk ? h('p', { class: 'alert error', id: 'at-risk', role: 'alert' }, h('strong', {}, '⚠ ' + t('practice.atRisk', { shortfall: p.shortfall, left: p.daysLeft }))) : null;
  const r = p.rolling;
  const annual = h('div', { id: 'annual', dataset: { binding: String(binds('annual')) } },
    binds('annual') ? null : h('h3', {}, t('practice.annual', { year: p.yearLabel }), reference()),
    svg,
    barCaption,
    h('p', { class: 'muted small' }, t('practice.legendCounted') + ' · ' + t('practice.legendPending') + ' · ' + t('practice.legendTarget')),
    h('div', { class: 'figures' },
      figure('practice-counted', 'practice.counted', t('practice.days', { n: p.countedDays })),
      figure('practice-pending', 'practice.pending', t('practice.days', { n: p.pendingDays })),
      figure('practice-required', 'practice.required', t('practice.days', { n: p.requiredDays })),
      binds('annual') ? shortfall : null));
  const rolling = h('div', { id: 'rolling', dataset: { binding: String(binds('rolling')) } },
    h('h3', {}, t('practice.rolling', { n: p.requirement.rollingYears, from: p.rollingYearLabels.length ? p.rollingYearLabels[0] : '—', to: p.rollingYearLabels.length ? p.rollingYearLabels[p.rollingYearLabels.length - 1] : '—' }), binds('rolling') ? null : reference()),
    barChart([{ label: t('practice.counted'), value: r.countedDays, max: Math.max(r.requiredDays, r.countedDays, 1), text: t('practice.rollingText', { counted: r.countedDays, required: r.requiredDays }), cls: r.met ? '' : 'bad' }], { title: t('practice.rollingText', { counted: r.countedDays, required: r.requiredDays }), labelWidth: 80, barWidth: 300, textWidth: 170 }),
    binds('annual') || !binds('rolling') ? null : h('div', { class: 'figures' }, shortfall),
    h('p', { class: 'row' }, statusText(r.met), h('span', { class: 'muted' }, t(binds('rolling') ? 'practice.rollingBinds' : 'practice.rollingNote', { years: p.requirement.rollingYears, days: p.requirement.rollingDays }))));
  const blocks = { annual, rolling };
  const others = ['annual', 'rolling'].filter((rule) => !binds(rule));

  return h('section', { class: 'card', id: 'practice', dataset: { year: p.year }, 'aria-labelledby': 'practice-title' },
    h('h2', { id: 'practice-title' }, t('practice.title')),
    h('div', { class: 'field row' }, h('label', { for: 'practice-year' }, t('practice.year')), select),
    binding.map((rule) => blocks[rule]),
    status,
    risk,
    others.map((rule) => blocks[rule]),
    prePostBlock(p.prePostPractice));
}

/**
 * Pre-post practice (policy.practice.prePost), when the policy asks it of this teacher: the days done before the
 * post started against the days owed, met or not, and the gap texts: all the API's (the practice answer's).
 */
function prePostBlock(pp) {
  if (!pp || !pp.required) return null;
  return h('div', { id: 'pre-post', dataset: { met: String(pp.met), counted: pp.countedDays, required: pp.requiredDays } },
    h('h3', {}, t('practice.prePost')),
    h('p', { class: 'row' }, statusText(pp.met), h('span', {}, t('practice.prePostText', { counted: pp.countedDays, required: pp.requiredDays, date: pp.postStart }))),
    pp.gaps.length ? h('ul', { class: 'gaps' }, pp.gaps.map((gap) => h('li', { class: 'gap', dataset: { requirement: gap.requirementId } }, bi(gap)))) : null);
}

function appraisalCard() {
  const cards = state.appraisals.map((a) => {
    const chart = barChart(Object.keys(a.categories).map((id) => ({ label: a.categories[id].label, value: a.categories[id].capped, max: a.categories[id].cap, text: fmt(a.categories[id].capped, 2) + ' / ' + a.categories[id].cap })), { title: t('appraisal.chart', { year: a.yearLabel }), labelWidth: 130, barWidth: 170, textWidth: 90 });
    const traceRows = a.items.map((item) => h('tr', {},
      h('td', {}, item.categoryLabel),
      h('td', {}, item.ruleLabel),
      h('td', { class: 'mono' }, item.recordIds.join(', ')),
      h('td', { class: 'num' }, fmt(item.quantity)),
      h('td', { class: 'num' }, fmt(item.share)),
      h('td', { class: 'num' }, item.factor === undefined ? '—' : fmt(item.factor)),
      h('td', { class: 'num' }, fmt(item.points, 2))));
    const catRows = Object.keys(a.categories).map((id) => h('tr', {}, h('td', {}, a.categories[id].label), h('td', { class: 'num' }, fmt(a.categories[id].raw, 2)), h('td', { class: 'num' }, fmt(a.categories[id].capped, 2)), h('td', { class: 'num' }, a.categories[id].cap)));
    const trace = h('details', { class: 'trace', dataset: { year: a.year } },
      h('summary', {}, t('appraisal.trace')),
      a.items.length === 0 ? h('p', { class: 'muted' }, t('appraisal.noItems')) : h('div', { class: 'table-wrap' }, h('table', { class: 'trace-items' },
        h('caption', { class: 'muted small' }, a.yearLabel),
        h('thead', {}, h('tr', {}, ['appraisal.category', 'appraisal.rule', 'appraisal.records', 'appraisal.quantity', 'appraisal.share', 'appraisal.factor', 'appraisal.points'].map((key, i) => h('th', { scope: 'col', class: i >= 3 ? 'num' : undefined }, t(key))))),
        h('tbody', {}, traceRows))),
      h('div', { class: 'table-wrap' }, h('table', {},
        h('thead', {}, h('tr', {}, ['appraisal.category', 'appraisal.raw', 'appraisal.capped', 'appraisal.cap'].map((key, i) => h('th', { scope: 'col', class: i ? 'num' : undefined }, t(key))))),
        h('tbody', {}, catRows, h('tr', {}, h('th', { scope: 'row' }, t('appraisal.total')), h('td', {}), h('td', { class: 'num' }, h('strong', {}, fmt(a.total, 2))), h('td', { class: 'num' }, fmt(a.totalCap)))))),
      (a.vetoTrace || []).map((v) => h('p', { class: 'alert warn small' }, t('appraisal.vetoTrace', { veto: v.label, before: v.gradeBeforeLabel, after: v.gradeAfterLabel }) + (v.recordIds && v.recordIds.length ? ' · ' + v.recordIds.join(', ') : ''))),
      a.pending && a.pending.recordIds.length ? h('p', { class: 'muted small' }, t('appraisal.pending', { n: a.pending.recordIds.length, total: fmt(a.pending.totalIfVerified, 2) }) + ' (' + a.pending.recordIds.join(', ') + ')') : null);
    return h('article', { class: 'year', dataset: { year: a.year }, 'aria-label': a.yearLabel },
      h('h3', {}, a.yearLabel),
      h('div', { class: 'row' },
        h('span', {}, t('appraisal.total') + ' ', h('span', { class: 'total' }, fmt(a.total, 2))),
        h('span', {}, t('appraisal.grade') + colon(), h('strong', {}, a.gradeLabel))),
      h('p', { class: 'small' }, t('appraisal.vetoes') + colon() + (a.vetoes.length ? a.vetoes.map((v, i) => '✗ ' + a.vetoLabels[i]).join(lang() === 'zh' ? '；' : '; ') : t('appraisal.none'))),
      chart,
      trace);
  });
  return h('section', { class: 'card', id: 'appraisals', 'aria-labelledby': 'appraisal-title' },
    h('h2', { id: 'appraisal-title' }, t('appraisal.title', { n: state.calendar.windowYears })),
    cards.length ? h('div', { class: 'years' }, cards) : h('p', { class: 'muted' }, t('appraisal.noItems')));
}

bootPage(load, showSignIn, fail);
`;
