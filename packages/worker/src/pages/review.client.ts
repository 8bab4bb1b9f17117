/**
 * The review page (served as /assets/review.js) for unit reviewers and HR: the queue (GET /v1/review-queue)
 * with filters and counts per state, a record's details with its evidence previewed beside them, approve /
 * return / reject with a reason, and approve several at once. Which moves are allowed is the API's to say:
 * a refused one shows the API's answer. (Kept as a string: no backticks or dollar-brace inside.)
 */
export const reviewJs = String.raw`
import { h, t, bi, colon, api, errorBox, renderHeader, pageErrors, token, setToken, ApiError, loadKinds, recordFacts, stateBadge, historyList, linksFor, bootPage, askAgain } from './common.js';

const STATES = ['submitted', 'unit_approved', 'returned', 'verified', 'rejected', 'withdrawn'];
const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const state = {
  me: null,
  kinds: null,
  filters: { unit: params.get('unit') || '', kind: params.get('kind') || '', state: params.get('state') || '' },
  queue: null,
  items: [],
  nextCursor: null,
  units: [],
  selected: new Set(),
  current: params.get('record') || null,
  detail: null,
  preview: null,
  previewFile: null,
  message: null,
};
const links = () => linksFor(state.me ? state.me.role : 'hr', 'review');

const { showSignIn, fail } = pageErrors('review.title', links(), 'review.signinToken', () => start(), 'review-error');

async function start() {
  renderHeader('review.title', links(), rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const me = await api('/v1/me');
    if (me.role !== 'unit_reviewer' && me.role !== 'hr') {
      setToken('');
      return showSignIn(new ApiError('forbidden', 403, t('review.wrongRole'), null));
    }
    state.me = me;
    renderHeader('review.title', links(), rerender);
    state.kinds = await loadKinds();
    await loadQueue();
    if (state.current) await openRecord(state.current);
  } catch (error) {
    fail(error);
  }
}

/**
 * After a language switch or sign-out: redraw from what is loaded, then ask again, since the labels the API
 * sends (kinds, states, the history's moves) come in the asked language.
 */
function rerender() {
  if (!token()) return showSignIn();
  renderHeader('review.title', links(), rerender);
  if (state.queue) {
    redraw();
    refetch();
  } else start();
}

// a later switch outdates an earlier one's answers: only the last asked draws
const refetch = askAgain(fetchShown, () => redraw(), (error) => fail(error));

/**
 * The queue as far as it is shown (its first page and the pages loaded after it) and the open record's view and
 * history, asked again. Keeps nothing when isCurrent() says the answers are outdated, or when the filters or the
 * open record changed meanwhile; true when it kept them.
 */
async function fetchShown(isCurrent) {
  const filters = JSON.stringify(state.filters);
  const shown = state.items.length;
  const first = await api(queuePath(null));
  let items = first.items;
  let nextCursor = first.nextCursor;
  while (nextCursor && items.length < shown) {
    const more = await api(queuePath(nextCursor));
    items = items.concat(more.items);
    nextCursor = more.nextCursor;
  }
  const detail = state.detail;
  let view = null;
  let historyItems = null;
  if (detail && detail.view) {
    const path = '/v1/records/' + encodeURIComponent(detail.view.record.id);
    const [answer, historyAnswer] = await Promise.all([api(path), api(path + '/history')]);
    view = answer;
    historyItems = historyAnswer.items;
  }
  if (!isCurrent() || filters !== JSON.stringify(state.filters)) return false;
  Object.assign(state, { queue: first, items, nextCursor });
  if (view && state.detail === detail) Object.assign(detail, { view, history: historyItems });
  return true;
}

/** render(), keeping the reason the reviewer has typed. */
function redraw() {
  const typed = document.getElementById('reason');
  const reason = typed ? typed.value : '';
  render();
  const again = document.getElementById('reason');
  if (again && reason) again.value = reason;
}

function queuePath(cursor) {
  const q = new URLSearchParams();
  for (const key of ['unit', 'kind', 'state']) if (state.filters[key]) q.set(key, state.filters[key]);
  q.set('limit', '50');
  if (cursor) q.set('cursor', cursor);
  return '/v1/review-queue?' + q.toString();
}

/** The first page of the queue under the filters (again after every action: counts and items move). */
async function loadQueue() {
  const answer = await api(queuePath(null));
  state.queue = answer;
  state.items = answer.items;
  state.nextCursor = answer.nextCursor;
  const units = new Set(state.units.concat(state.me.units || []));
  for (const item of answer.items) units.add(item.teacher.unit);
  state.units = [...units].sort();
  const ids = new Set(state.items.map((item) => item.record.id));
  state.selected = new Set([...state.selected].filter((id) => ids.has(id)));
  render();
}

async function loadMore() {
  try {
    const answer = await api(queuePath(state.nextCursor));
    state.items = state.items.concat(answer.items);
    state.nextCursor = answer.nextCursor;
    renderQueue();
  } catch (error) { fail(error); }
}

function setFilter(key, value) {
  state.filters[key] = value;
  const url = new URL(location.href);
  if (value) url.searchParams.set(key, value); else url.searchParams.delete(key);
  history.replaceState(null, '', url);
  loadQueue().catch(fail);
}

// Rendering ---------------------------------------------------------------------------------------------
function render() {
  main.replaceChildren(
    h('div', { id: 'review-error' }),
    filtersCard(),
    h('div', { class: 'review-layout' },
      h('section', { class: 'card', id: 'queue', 'aria-labelledby': 'queue-title' }),
      h('section', { class: 'card', id: 'detail', 'aria-labelledby': 'detail-title' })));
  renderQueue();
  renderDetail();
}

function stateName(s) { return t('records.state.' + s); }

function filtersCard() {
  const counts = state.queue.counts || {};
  const stateSelect = h('select', { id: 'filter-state', onchange: (e) => setFilter('state', e.target.value) },
    h('option', { value: '' }, t('review.awaiting')),
    STATES.map((s) => h('option', { value: s, selected: s === state.filters.state }, stateName(s) + ' (' + (counts[s] || 0) + ')')));
  const unitSelect = h('select', { id: 'filter-unit', onchange: (e) => setFilter('unit', e.target.value) },
    h('option', { value: '' }, t('board.allUnits')),
    state.units.map((u) => h('option', { value: u, selected: u === state.filters.unit }, u)));
  const kindSelect = h('select', { id: 'filter-kind', onchange: (e) => setFilter('kind', e.target.value) },
    h('option', { value: '' }, t('review.allKinds')),
    [...state.kinds.values()].map((k) => h('option', { value: k.kind, selected: k.kind === state.filters.kind }, bi(k.label))));
  return h('section', { class: 'card', id: 'filters', 'aria-labelledby': 'filters-title' },
    h('h2', { id: 'filters-title' }, t('review.queue')),
    h('ul', { class: 'counts', id: 'counts', 'aria-label': t('review.counts') },
      STATES.map((s) => h('li', { dataset: { state: s } },
        h('button', { type: 'button', class: 'chip' + (state.filters.state === s ? ' on' : ''), 'aria-pressed': String(state.filters.state === s), onclick: () => setFilter('state', state.filters.state === s ? '' : s) },
          stateName(s) + ' ', h('strong', { class: 'n' }, String(counts[s] || 0)))))),
    h('div', { class: 'row' },
      h('div', { class: 'field' }, h('label', { for: 'filter-state' }, t('review.state')), stateSelect),
      h('div', { class: 'field' }, h('label', { for: 'filter-unit' }, t('unit')), unitSelect),
      h('div', { class: 'field' }, h('label', { for: 'filter-kind' }, t('records.kind')), kindSelect)),
    state.queue.levels === 1 ? h('p', { class: 'muted small' }, t('review.oneLevel')) : h('p', { class: 'muted small' }, t('review.twoLevels')));
}

function renderQueue() {
  const card = document.getElementById('queue');
  if (!card) return;
  const items = state.items;
  const allSelected = items.length > 0 && items.every((item) => state.selected.has(item.record.id));
  const bulk = h('div', { class: 'row bulk' },
    h('label', { class: 'row', for: 'select-all' },
      h('input', { type: 'checkbox', id: 'select-all', checked: allSelected, disabled: !items.length, onchange: (e) => {
        for (const item of items) { if (e.target.checked) state.selected.add(item.record.id); else state.selected.delete(item.record.id); }
        renderQueue();
      } }), t('review.selectAll')),
    h('button', { type: 'button', id: 'bulk-approve', disabled: state.selected.size === 0, onclick: bulkApprove }, '✓ ' + t('review.approveSelected', { n: state.selected.size })));
  card.replaceChildren(...[
    h('h2', { id: 'queue-title' }, t('review.items', { n: items.length })),
    h('div', { id: 'queue-status', 'aria-live': 'polite' }, state.message ? state.message : null),
    bulk,
    items.length
      ? h('ul', { class: 'queue', id: 'queue-list' }, items.map(queueItem))
      : h('p', { class: 'muted', id: 'queue-list' }, t('review.empty')),
    state.nextCursor ? h('p', {}, h('button', { type: 'button', class: 'secondary', id: 'load-more', onclick: loadMore }, t('review.more'))) : null,
  ].filter(Boolean));
}

function queueItem(item) {
  const id = item.record.id;
  const checkbox = h('input', { type: 'checkbox', id: 'sel-' + id, 'aria-label': t('review.select', { id }), checked: state.selected.has(id), onchange: (e) => {
    if (e.target.checked) state.selected.add(id); else state.selected.delete(id);
    renderQueue();
    const again = document.getElementById('sel-' + id);
    if (again) again.focus();
  } });
  return h('li', { class: 'queue-item' + (state.current === id ? ' current' : '') + (item.overdue ? ' overdue' : ''), dataset: { recordId: id, state: item.state } },
    checkbox,
    h('div', { class: 'queue-main' },
      h('button', { type: 'button', class: 'link open-record', onclick: () => openRecord(id) }, item.teacher.name + ' · ' + item.kindLabel),
      h('div', { class: 'row small muted' },
        h('span', { class: 'mono' }, id),
        h('span', {}, item.teacher.unit),
        stateBadge(item),
        h('span', { class: item.overdue ? 'status bad' : '' }, t('review.waiting', { n: item.waitingDays }) + (item.overdue ? ' ⚠' : '')))));
}

async function bulkApprove() {
  const ids = state.items.map((item) => item.record.id).filter((id) => state.selected.has(id));
  if (!ids.length) return;
  const button = document.getElementById('bulk-approve');
  button.disabled = true;
  try {
    // no Idempotency-Key: the route applies one key to every record (the second would be refused); a repeat
    // of the batch is harmless anyway, as an approved record answers that it is no longer submitted
    const answer = await api('/v1/records/transitions', { body: { ids, action: 'approve' } });
    const failed = answer.results.filter((r) => !r.ok);
    state.selected = new Set(failed.map((r) => r.id));
    state.message = h('div', { id: 'bulk-result', class: 'alert ' + (failed.length ? 'warn' : 'ok'), role: 'status' },
      t('review.bulkDone', { ok: answer.results.length - failed.length, n: answer.results.length }),
      failed.length ? h('ul', { class: 'small' }, failed.map((r) => h('li', { dataset: { recordId: r.id } }, r.id + colon() + (r.error ? r.error.detail || r.error.code : '')))) : null);
    await loadQueue();
    if (state.current) await openRecord(state.current);
  } catch (error) {
    button.disabled = false;
    fail(error);
  }
}

// A record: details, history, evidence preview, actions ---------------------------------------------------
async function openRecord(id) {
  state.current = id;
  const url = new URL(location.href);
  url.searchParams.set('record', id);
  history.replaceState(null, '', url);
  state.detail = { loading: true };
  revokePreview();
  renderDetail();
  for (const el of document.querySelectorAll('.queue-item')) el.classList.toggle('current', el.dataset.recordId === id);
  try {
    const path = '/v1/records/' + encodeURIComponent(id);
    const [view, historyAnswer, files] = await Promise.all([
      api(path),
      api(path + '/history'),
      api(path + '/files').catch((error) => ({ error })),
    ]);
    const fromQueue = state.items.find((item) => item.record.id === id);
    state.detail = { view, history: historyAnswer.items, files: files.error ? [] : files.items || [], filesError: files.error || null, teacher: fromQueue ? fromQueue.teacher : null };
    renderDetail();
    if (state.detail.files.length) showPreview(state.detail.files[0]);
    const heading = document.getElementById('detail-title');
    if (heading && window.matchMedia('(max-width: 900px)').matches) heading.scrollIntoView({ block: 'start' });
  } catch (error) {
    state.detail = { error };
    renderDetail();
    if (error instanceof ApiError && error.kind === 'auth') fail(error);
  }
}

function renderDetail() {
  const card = document.getElementById('detail');
  if (!card) return;
  const d = state.detail;
  if (!d) return card.replaceChildren(h('h2', { id: 'detail-title' }, t('review.detail')), h('p', { class: 'muted' }, t('review.pick')));
  if (d.loading) return card.replaceChildren(h('h2', { id: 'detail-title' }, t('review.detail')), h('p', { class: 'loading' }, t('loading')));
  if (d.error) return card.replaceChildren(h('h2', { id: 'detail-title' }, t('review.detail')), errorBox(d.error));
  const v = d.view;
  const kind = state.kinds.get(v.record.kind);
  card.replaceChildren(
    h('h2', { id: 'detail-title', tabindex: '-1' }, v.kindLabel + ' ', h('span', { class: 'mono muted' }, v.record.id)),
    h('div', { class: 'detail-grid' },
      h('div', { class: 'detail-facts' },
        h('p', { class: 'row' }, stateBadge(v), h('span', { class: 'muted small' }, t('records.since', { date: String(v.stateSince || v.updatedAt).slice(0, 10) }))),
        h('p', { class: 'small' }, t('review.teacher') + colon() + (d.teacher ? d.teacher.name + ' (' + d.teacher.id + ', ' + d.teacher.unit + ')' : v.record.teacherId),
          ' · ', h('a', { class: 'file-link', href: '/growth-file?teacher=' + encodeURIComponent(v.record.teacherId) }, t('file.link')),
          ' · ', h('a', { class: 'teacher-page-link', href: '/?teacher=' + encodeURIComponent(v.record.teacherId) }, t('nav.teacher'))),
        recordFacts(v.record, kind),
        h('h3', {}, t('records.history')),
        historyList(d.history),
        actionsForm(v)),
      h('div', { class: 'evidence', id: 'evidence' },
        h('h3', {}, t('records.files')),
        d.filesError ? errorBox(d.filesError) : d.files.length
          ? h('ul', { class: 'plain files', id: 'file-list' }, d.files.map((f) => h('li', { dataset: { fileId: f.id } },
            h('button', { type: 'button', class: 'link', onclick: () => showPreview(f) }, f.name), h('span', { class: 'muted small' }, ' · ' + f.contentType))))
          : h('p', { class: 'muted', id: 'file-list' }, t('records.noFiles')),
        h('div', { class: 'preview', id: 'preview' }))));
  drawPreview();
}

function actionsForm(v) {
  const reason = h('textarea', { id: 'reason', name: 'reason', rows: 2, 'aria-describedby': 'reason-hint err-reason' });
  const act = (action) => async () => {
    const box = document.getElementById('action-error');
    box.replaceChildren();
    document.getElementById('err-reason').textContent = '';
    for (const b of document.querySelectorAll('#actions button')) b.disabled = true;
    try {
      const body = { action };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const answer = await api('/v1/records/' + encodeURIComponent(v.record.id) + '/transitions', { body, headers: { 'idempotency-key': crypto.randomUUID() } });
      state.message = h('p', { class: 'alert ok', role: 'status', id: 'action-result' }, '✓ ' + t('review.done', { id: v.record.id, state: answer.stateLabel || answer.state }));
      state.selected.delete(v.record.id);
      await loadQueue();
      await openRecord(v.record.id);
    } catch (error) {
      for (const b of document.querySelectorAll('#actions button')) b.disabled = false;
      if (error instanceof ApiError && error.kind === 'auth') return fail(error);
      const onReason = (error.errors || []).filter((item) => String(item.path).split('.')[0] === 'reason');
      if (onReason.length) {
        document.getElementById('err-reason').textContent = onReason.map((item) => item.message).join('；');
        reason.setAttribute('aria-invalid', 'true');
        reason.focus();
      } else box.replaceChildren(errorBox(error));
    }
  };
  return h('div', { class: 'actions-box', id: 'actions' },
    h('div', { class: 'field' },
      h('label', { for: 'reason' }, t('review.reason')),
      reason,
      h('span', { class: 'muted small', id: 'reason-hint' }, t('review.reasonHint')),
      h('span', { class: 'field-error', id: 'err-reason', role: 'alert' })),
    h('div', { class: 'row' },
      h('button', { type: 'button', id: 'approve', onclick: act('approve') }, '✓ ' + t(state.me.role === 'hr' ? 'review.verify' : 'review.approve')),
      h('button', { type: 'button', class: 'secondary', id: 'return', onclick: act('return') }, '↩ ' + t('review.return')),
      h('button', { type: 'button', class: 'secondary danger', id: 'reject', onclick: act('reject') }, '✗ ' + t('review.reject'))),
    h('div', { id: 'action-error' }));
}

/** The file is fetched with the token (no public URL) and shown from a blob: PDF in a frame, images as <img>. */
function revokePreview() {
  if (state.preview) URL.revokeObjectURL(state.preview);
  state.preview = null;
  state.previewFile = null;
}

async function showPreview(file) {
  const slot = document.getElementById('preview');
  if (!slot) return;
  slot.replaceChildren(h('p', { class: 'loading small' }, t('loading')));
  try {
    const response = await api('/v1/records/' + encodeURIComponent(state.current) + '/files/' + encodeURIComponent(file.id) + '?inline=1', { raw: true, accept: '*/*' });
    const blob = await response.blob();
    const type = file.contentType || blob.type;
    revokePreview();
    state.preview = URL.createObjectURL(new Blob([blob], { type }));
    state.previewFile = { name: file.name, type };
    drawPreview();
  } catch (error) {
    slot.replaceChildren(errorBox(error));
  }
}

/** The file fetched last, from its blob (again after a redraw, without fetching it again). */
function drawPreview() {
  const slot = document.getElementById('preview');
  if (!slot || !state.preview || !state.previewFile) return;
  const { name, type } = state.previewFile;
  const download = h('a', { href: state.preview, download: name, class: 'small' }, '↓ ' + t('review.download', { name }));
  if (type === 'application/pdf') {
    slot.replaceChildren(h('iframe', { src: state.preview, title: name, class: 'pdf', dataset: { type } }), download);
  } else if (type.startsWith('image/')) {
    slot.replaceChildren(h('img', { src: state.preview, alt: name, dataset: { type } }), download);
  } else {
    slot.replaceChildren(download);
  }
}

bootPage(start, showSignIn, fail);
`;
