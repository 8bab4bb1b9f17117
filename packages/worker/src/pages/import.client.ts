/**
 * The HR import page (served as /assets/import.js): upload a workbook or CSV, read the API's dry-run report
 * or its errors (sheet, row, column, value, what is expected), confirm the import with an Idempotency-Key,
 * download the template and the error workbook. Computes no rule: it shows what /v1/import answers.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const importJs = String.raw`
import { h, t, api, fileNameOf, errorBox, renderHeader, pageErrors, lang, token, setToken, ApiError } from './common.js';

const main = document.getElementById('main');
const links = [{ href: '/committee', key: 'nav.committee' }, { href: '/policy', key: 'nav.policy' }];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** file: the chosen File; report: the dry run's answer; problem: a refused upload; done: the import's answer. */
const state = { file: null, report: null, problem: null, done: null, failure: null, key: null, busy: false };

const { showSignIn, fail } = pageErrors('import.title', links, 'signin.importToken', () => start());

async function start() {
  if (!token()) return showSignIn();
  renderHeader('import.title', links, rerender);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const me = await api('/v1/me');
    if (me.role !== 'hr') {
      setToken('');
      return showSignIn(new ApiError('forbidden', 403, t('import.wrongRole'), null));
    }
    render();
  } catch (error) {
    fail(error);
  }
}

function rerender() {
  if (!token()) return showSignIn();
  renderHeader('import.title', links, rerender);
  render();
}

function typeOf(file) {
  return /\.xlsx$/i.test(file.name) || file.type === XLSX ? XLSX : 'text/csv';
}

/** POST the chosen file as it is (the API detects its encoding), its name for the API's messages; the page never reads its content. */
async function post(path, extraHeaders) {
  const headers = Object.assign({ authorization: 'Bearer ' + token(), 'content-type': typeOf(state.file), 'accept-language': lang() === 'en' ? 'en' : 'zh-CN' }, extraHeaders || {});
  const url = path + (path.indexOf('?') >= 0 ? '&' : '?') + 'name=' + encodeURIComponent(state.file.name);
  try {
    return await fetch(url, { method: 'POST', headers, body: state.file, cache: 'no-store' });
  } catch (error) {
    throw new ApiError('network', 0, String(error && error.message || error), null);
  }
}

/** A refused upload (400, 413, 415, 422): its detail and the API's list of problems. 401/403/5xx are thrown. */
async function problemOf(response) {
  let body = {};
  try { body = await response.json(); } catch (e) { body = { detail: response.statusText }; }
  const requestId = response.headers.get('x-request-id');
  if (response.status === 401) throw new ApiError('auth', 401, body.detail || '', requestId);
  if (response.status === 403) throw new ApiError('forbidden', 403, body.detail || '', requestId);
  if (response.status >= 500) throw new ApiError('server', response.status, body.detail || '', requestId);
  return { status: response.status, detail: body.detail || '', errors: Array.isArray(body.errors) ? body.errors : [] };
}

/** Runs a step; a failure the person cannot fix in the file is shown as the page's error box. */
async function step(work) {
  state.busy = true;
  render();
  try {
    await work();
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'auth') { state.busy = false; return fail(error); }
    state.failure = error;
  }
  state.busy = false;
  render();
}

function chooseFile(file) {
  state.file = file;
  state.report = null; state.problem = null; state.done = null; state.failure = null;
  if (!file) return render();
  // One key per chosen file: a repeated confirm (double click, retry after a lost answer) imports once.
  state.key = crypto.randomUUID();
  step(async () => {
    const response = await post('/v1/import?dryRun=true');
    if (response.ok) state.report = await response.json();
    else state.problem = await problemOf(response);
  });
}

function confirmImport() {
  step(async () => {
    const response = await post('/v1/import', { 'idempotency-key': state.key });
    if (response.ok) { state.done = await response.json(); state.report = null; }
    else { state.problem = await problemOf(response); state.report = null; }
  });
}

async function saveBlob(response, fallback) {
  const blob = await response.blob();
  const a = h('a', { href: URL.createObjectURL(blob), download: fileNameOf(response, fallback) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

function downloadTemplate() {
  step(async () => {
    await saveBlob(await api('/v1/import/template.xlsx', { raw: true, accept: XLSX }), 'template.xlsx');
  });
}

function downloadReport() {
  step(async () => {
    const response = await post('/v1/import/report.xlsx');
    if (response.ok) await saveBlob(response, 'import-errors.xlsx');
    else state.problem = await problemOf(response);
  });
}

function tally(name, counts) {
  return h('tr', { dataset: { entity: name } }, h('th', { scope: 'row' }, t('import.' + name)),
    h('td', { class: 'num', dataset: { count: 'created' } }, String(counts.created.length)),
    h('td', { class: 'num', dataset: { count: 'replaced' } }, String(counts.replaced.length)),
    h('td', { class: 'num', dataset: { count: 'unchanged' } }, String(counts.unchanged.length)));
}

function reportCard() {
  if (!state.report) return null;
  const r = state.report;
  return h('section', { class: 'card', id: 'dry-run', 'aria-labelledby': 'dry-run-title' },
    h('h2', { id: 'dry-run-title' }, t('import.dryRunTitle')),
    h('p', { class: 'muted small mono' }, state.file.name),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, t('import.created')), h('th', { scope: 'col' }, t('import.replaced')), h('th', { scope: 'col' }, t('import.unchanged')))),
      h('tbody', {}, tally('teachers', r.teachers), tally('records', r.records)))),
    h('button', { type: 'button', id: 'confirm-import', disabled: state.busy, onclick: confirmImport }, t('import.confirm')));
}

function problemCard() {
  if (!state.problem) return null;
  const p = state.problem;
  const rows = p.errors.map((e) => h('tr', {},
    h('td', { dataset: { col: 'sheet' } }, e.sheet || ''),
    h('td', { class: 'num', dataset: { col: 'row' } }, e.row ? String(e.row) : ''),
    h('td', { dataset: { col: 'column' } }, e.column || (e.sheet ? '' : e.path || '')),
    h('td', { dataset: { col: 'value' } }, e.value === null || e.value === undefined ? '' : String(e.value)),
    h('td', { dataset: { col: 'message' } }, e.message || '')));
  const hasSheets = p.errors.some((e) => e.sheet);
  return h('section', { class: 'card', id: 'import-errors', 'aria-labelledby': 'errors-title' },
    h('h2', { id: 'errors-title' }, t('import.errorsTitle')),
    h('p', { class: 'muted small mono' }, state.file.name),
    h('p', { class: 'alert error', role: 'alert' }, 'HTTP ' + p.status + (p.detail ? ' · ' + p.detail : '')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['import.sheet', 'import.row', 'import.column', 'import.value', 'import.expected'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows))) : null,
    hasSheets ? h('p', {}, h('button', { type: 'button', id: 'download-report', class: 'secondary', disabled: state.busy, onclick: downloadReport }, '↓ ' + t('import.errorWorkbook'))) : null);
}

function render() {
  // A fresh input each time: choosing the same (corrected) file again still fires change.
  const input = h('input', { type: 'file', id: 'file', accept: '.xlsx,.csv,' + XLSX + ',text/csv', disabled: state.busy, onchange: (e) => chooseFile(e.target.files[0] || null) });
  main.replaceChildren(...[
    h('section', { class: 'card', 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, t('import.upload')),
      h('p', { class: 'muted small' }, t('import.hint')),
      h('div', { class: 'field' }, h('label', { for: 'file' }, t('import.file')), input),
      h('button', { type: 'button', id: 'download-template', class: 'secondary', disabled: state.busy, onclick: downloadTemplate }, '↓ ' + t('import.template'))),
    state.busy ? h('p', { class: 'loading', id: 'import-busy', role: 'status' }, t('loading')) : null,
    state.failure ? h('section', { class: 'card', id: 'import-failure' }, errorBox(state.failure)) : null,
    state.done ? h('p', { class: 'alert ok', id: 'import-done', role: 'status' }, t('import.done', { teachers: state.done.teacherIds.length, records: state.done.recordIds.length })) : null,
    reportCard(),
    problemCard(),
  ].filter(Boolean));
}

start();
`;
