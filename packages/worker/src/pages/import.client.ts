/**
 * The HR import page (served as /assets/import.js): upload a workbook or CSV, read the API's dry-run report
 * or its errors (sheet, row, column, value, what is expected), confirm the import with an Idempotency-Key,
 * download the template and the error workbook. Computes no rule: it shows what /v1/import answers.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const importJs = String.raw`
import { h, t, api, fileNameOf, errorBox, renderHeader, signInForm, lang, token, setToken, ApiError } from './common.js';

const main = document.getElementById('main');
const links = [{ href: '/', key: 'nav.teacher' }, { href: '/committee', key: 'nav.committee' }];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const state = { file: null, report: null, problem: null, done: null, key: null };

function showSignIn(error) {
  renderHeader('import.title', links, () => showSignIn(error));
  main.replaceChildren(signInForm('signin.importToken', () => start(), error));
}

async function start() {
  renderHeader('import.title', links, start);
  if (!token()) return showSignIn();
  try {
    const me = await api('/v1/me');
    if (me.role !== 'hr' && me.role !== 'admin') {
      setToken('');
      return showSignIn(new ApiError('forbidden', 403, t('import.wrongRole'), null));
    }
    render();
  } catch (error) {
    if (error instanceof ApiError && error.kind === 'auth') { setToken(''); return showSignIn(error); }
    main.replaceChildren(h('section', { class: 'card' }, errorBox(error)));
  }
}

function typeOf(file) {
  return /\.xlsx$/i.test(file.name) || file.type === XLSX ? XLSX : 'text/csv';
}

/** POST the chosen file; the page never reads its content itself. */
async function post(path, extraHeaders) {
  const headers = Object.assign({ authorization: 'Bearer ' + token(), 'content-type': typeOf(state.file), 'accept-language': lang() === 'en' ? 'en' : 'zh-CN' }, extraHeaders || {});
  return fetch(path, { method: 'POST', headers, body: state.file, cache: 'no-store' });
}

async function problemOf(response) {
  let body = {};
  try { body = await response.json(); } catch (e) { body = { detail: response.statusText }; }
  return { status: response.status, detail: body.detail || '', errors: body.errors || [] };
}

async function dryRun() {
  state.report = null; state.problem = null; state.done = null;
  state.key = crypto.randomUUID();
  render();
  const response = await post('/v1/import?dryRun=true');
  if (response.ok) state.report = await response.json();
  else state.problem = await problemOf(response);
  render();
}

async function confirmImport() {
  const response = await post('/v1/import', { 'idempotency-key': state.key });
  if (response.ok) { state.done = await response.json(); state.report = null; }
  else state.problem = await problemOf(response);
  render();
}

async function saveBlob(response, fallback) {
  const blob = await response.blob();
  const a = h('a', { href: URL.createObjectURL(blob), download: fileNameOf(response, fallback) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

async function downloadTemplate() {
  try { await saveBlob(await api('/v1/import/template.xlsx', { raw: true, accept: XLSX }), 'template.xlsx'); }
  catch (error) { state.problem = { status: error.status, detail: error.detail, errors: [] }; render(); }
}

async function downloadReport() {
  const response = await post('/v1/import/report.xlsx');
  if (response.ok) await saveBlob(response, 'import-errors.xlsx');
  else { state.problem = await problemOf(response); render(); }
}

function tally(name, counts) {
  return h('tr', {}, h('th', { scope: 'row' }, t('import.' + name)),
    h('td', { class: 'num', 'data-count': name + '-created' }, counts.created.length),
    h('td', { class: 'num', 'data-count': name + '-replaced' }, counts.replaced.length),
    h('td', { class: 'num', 'data-count': name + '-unchanged' }, counts.unchanged.length));
}

function reportCard() {
  if (!state.report) return null;
  const r = state.report;
  return h('section', { class: 'card', id: 'dry-run', 'aria-labelledby': 'dry-run-title' },
    h('h2', { id: 'dry-run-title' }, t('import.dryRunTitle')),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', {}, ''), h('th', { scope: 'col' }, t('import.created')), h('th', { scope: 'col' }, t('import.replaced')), h('th', { scope: 'col' }, t('import.unchanged')))),
      h('tbody', {}, tally('teachers', r.teachers), tally('records', r.records)))),
    h('button', { type: 'button', id: 'confirm-import', onclick: confirmImport }, t('import.confirm')));
}

function problemCard() {
  if (!state.problem) return null;
  const p = state.problem;
  const rows = p.errors.map((e) => h('tr', {},
    h('td', {}, e.sheet || ''), h('td', { class: 'num' }, e.row || ''), h('td', {}, e.column || e.path || ''),
    h('td', { class: 'mono' }, e.value === null || e.value === undefined ? '' : e.value), h('td', {}, e.message)));
  return h('section', { class: 'card', id: 'import-errors', 'aria-labelledby': 'errors-title' },
    h('h2', { id: 'errors-title' }, t('import.errorsTitle')),
    h('p', { class: 'alert error', role: 'alert' }, 'HTTP ' + p.status + (p.detail ? ' · ' + p.detail : '')),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['import.sheet', 'import.row', 'import.column', 'import.value', 'import.expected'].map((k) => h('th', { scope: 'col' }, t(k))))),
      h('tbody', {}, rows))) : null,
    rows.length ? h('button', { type: 'button', id: 'download-report', class: 'secondary', onclick: downloadReport }, '↓ ' + t('import.errorWorkbook')) : null);
}

function render() {
  const input = h('input', { type: 'file', id: 'file', accept: '.xlsx,.csv,' + XLSX + ',text/csv', onchange: (e) => { state.file = e.target.files[0] || null; if (state.file) dryRun(); } });
  main.replaceChildren(
    h('section', { class: 'card', 'aria-labelledby': 'upload-title' },
      h('h2', { id: 'upload-title' }, t('import.upload')),
      h('p', { class: 'muted small' }, t('import.hint')),
      h('div', { class: 'field' }, h('label', { for: 'file' }, t('import.file')), input),
      h('button', { type: 'button', id: 'download-template', class: 'secondary', onclick: downloadTemplate }, '↓ ' + t('import.template'))),
    state.done ? h('p', { class: 'alert ok', id: 'import-done', role: 'status' }, t('import.done', { teachers: state.done.teacherIds.length, records: state.done.recordIds.length })) : null,
    reportCard(),
    problemCard());
}

start();
`;
