/**
 * Browser module shared by both pages (served as /assets/common.js): DOM builder, the zh/en switch, the
 * session token, API calls with clear errors, and small inline-SVG charts. Plain ES module, no bundler.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const commonJs = String.raw`
import { labels, ui } from './labels.js';

const SVG = 'http://www.w3.org/2000/svg';

/** h('div', { class: 'x', onclick: fn }, child, 'text', [more]) builds DOM; text is never parsed as HTML. */
export function h(tag, attrs, ...children) {
  const svg = tag.startsWith('svg:');
  const el = svg ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'text') el.textContent = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}
function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}
export const s = (tag, attrs, ...children) => h('svg:' + tag, attrs, ...children);

// Language ---------------------------------------------------------------------------------------------
export function lang() {
  return sessionStorage.getItem('shizi.lang') === 'en' ? 'en' : 'zh';
}
export function setLang(next) {
  sessionStorage.setItem('shizi.lang', next);
  document.documentElement.lang = next === 'en' ? 'en' : 'zh-CN';
}
/** UI text by key, in the current language; {name} placeholders filled from vars. */
export function t(key, vars) {
  const entry = ui[key];
  let text = entry ? entry[lang()] : key;
  for (const [name, value] of Object.entries(vars || {})) text = text.split('{' + name + '}').join(String(value));
  return text;
}
/** A domain label from @shizi/core's bilingual tables: L('stages', 'new_teacher'). */
export function L(table, key) {
  const entry = labels[table] && labels[table][key];
  return entry ? entry[lang()] : key;
}
export const colon = () => (lang() === 'zh' ? '：' : ': ');
export function bi(value) {
  if (!value) return '';
  return typeof value === 'string' ? value : value[lang()] || value.zh || value.en || '';
}

// Token -------------------------------------------------------------------------------------------------
export function token() { return sessionStorage.getItem('shizi.token') || ''; }
export function setToken(value) {
  if (value) sessionStorage.setItem('shizi.token', value);
  else sessionStorage.removeItem('shizi.token');
}

// API ---------------------------------------------------------------------------------------------------
export class ApiError extends Error {
  constructor(kind, status, detail, requestId, problem) {
    super(detail || kind);
    this.kind = kind;
    this.status = status;
    this.detail = detail;
    this.requestId = requestId;
    // problem+json's errors[]: { path, message } per bad field, shown next to the field by forms
    this.errors = problem && Array.isArray(problem.errors) ? problem.errors : [];
    this.code = problem && problem.code ? problem.code : null;
  }
}

/**
 * One API call. options: method, body (sent as JSON), bytes (a File or Blob sent as it is, with contentType),
 * headers, accept, raw (answer the Response itself).
 */
export async function api(path, options) {
  const opts = options || {};
  let response;
  try {
    const headers = Object.assign({ authorization: 'Bearer ' + token(), accept: opts.accept || 'application/json', 'accept-language': lang() === 'en' ? 'en' : 'zh-CN' }, opts.headers || {});
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.bytes !== undefined) headers['content-type'] = opts.contentType || opts.bytes.type || 'application/octet-stream';
    const sending = opts.body !== undefined || opts.bytes !== undefined;
    response = await fetch(path, {
      method: opts.method || (sending ? 'POST' : 'GET'),
      headers,
      body: opts.bytes !== undefined ? opts.bytes : opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError('network', 0, String(error && error.message || error), null);
  }
  const requestId = response.headers.get('x-request-id');
  if (!response.ok) {
    let detail = '';
    let problem = null;
    try { problem = await response.json(); detail = problem.detail || ''; } catch (e) { detail = response.statusText; }
    const kind = response.status === 401 ? 'auth' : response.status === 403 ? 'forbidden' : response.status === 404 ? 'notfound' : response.status >= 500 ? 'server' : 'client';
    throw new ApiError(kind, response.status, detail, requestId, problem);
  }
  if (opts.raw) return response;
  return response.json();
}

/** A clear, bilingual-aware message for any failure; never a blank page. */
export function errorBox(error) {
  const e = error instanceof ApiError ? error : new ApiError('script', 0, String(error && error.message || error), null);
  const title = {
    auth: t('err.auth'),
    forbidden: t('err.forbidden'),
    notfound: t('err.notfound'),
    server: t('err.server'),
    network: t('err.network'),
    client: t('err.client'),
    script: t('err.script'),
  }[e.kind];
  const parts = [];
  if (e.status) parts.push('HTTP ' + e.status);
  if (e.detail) parts.push(e.detail);
  if (e.requestId) parts.push(t('err.requestId') + ' ' + e.requestId);
  const fieldErrors = e.errors && e.errors.length ? h('ul', { class: 'small field-errors' }, e.errors.map((item) => h('li', {}, item.path + colon() + item.message))) : null;
  return h('div', { class: 'alert error', role: 'alert', 'data-error-kind': e.kind },
    h('strong', {}, title),
    e.kind === 'auth' ? h('span', { class: 'small' }, ui['err.auth'].zh + ' / ' + ui['err.auth'].en) : null,
    parts.length ? h('div', { class: 'small' }, parts.join(' · ')) : null,
    fieldErrors);
}

// Page frame --------------------------------------------------------------------------------------------
/** Header with title, the zh/en switch and sign-out; onChange re-renders after a switch. */
export function renderHeader(titleKey, links, onChange) {
  const header = document.getElementById('top');
  header.replaceChildren(h('div', { class: 'inner' },
    h('h1', {}, t('app.name') + ' · ' + t(titleKey)),
    h('nav', { 'aria-label': t('nav.label') },
      links.map((link) => h('a', { href: link.href }, t(link.key))),
      h('button', {
        type: 'button', id: 'lang-switch', lang: lang() === 'zh' ? 'en' : 'zh-CN',
        'aria-label': lang() === 'zh' ? 'Switch to English' : '切换到中文',
        onclick: () => { setLang(lang() === 'zh' ? 'en' : 'zh'); onChange(); },
      }, lang() === 'zh' ? 'English' : '中文'),
      token() ? h('button', { type: 'button', id: 'sign-out', onclick: () => { setToken(''); onChange(); } }, t('signout')) : null)));
  document.title = t(titleKey) + ' · ' + t('app.name');
}

/**
 * Asking the API again after a language switch (the labels it sends come in the asked language): each call of the
 * answer runs ask(isCurrent), and a later call outdates an earlier one's answers, so only the last one draws. ask
 * keeps what it fetched only while isCurrent() and answers whether it kept it; then draw() runs, or fail(error).
 */
export function askAgain(ask, draw, fail) {
  let asked = 0;
  return async function () {
    const mine = ++asked;
    const isCurrent = () => mine === asked;
    try {
      if (await ask(isCurrent)) draw();
    } catch (error) {
      if (isCurrent()) fail(error);
    }
  };
}

/**
 * Sign-in and failures as every page handles them: a rejected token goes back to the sign-in card; any other
 * failure is shown in the element boxId (when the page has one) or in place of the page.
 */
export function pageErrors(titleKey, links, hintKey, start, boxId) {
  const main = document.getElementById('main');
  function showSignIn(error) {
    renderHeader(titleKey, links, () => showSignIn(error));
    main.replaceChildren(signInForm(hintKey, () => start(), error));
  }
  function fail(error) {
    if (error instanceof ApiError && error.kind === 'auth') {
      setToken('');
      return showSignIn(error);
    }
    const box = boxId ? document.getElementById(boxId) : null;
    if (box) box.replaceChildren(errorBox(error));
    else main.replaceChildren(h('section', { class: 'card' }, errorBox(error)));
  }
  return { showSignIn, fail };
}

/**
 * Every page's last lines: the document language, uncaught failures shown as messages (never a blank page), then
 * the page's start when a token is kept, else the sign-in card.
 */
export function bootPage(start, showSignIn, fail) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  window.addEventListener('error', (event) => fail(event.error || event.message));
  window.addEventListener('unhandledrejection', (event) => fail(event.reason));
  if (token()) start();
  else showSignIn();
}

/** The sign-in card: paste a token, kept in this tab's sessionStorage only. */
export function signInForm(hintKey, onDone, error) {
  const input = h('input', { type: 'password', id: 'token', name: 'token', autocomplete: 'off', spellcheck: 'false', required: true, 'aria-describedby': 'token-hint' });
  const form = h('form', {
    class: 'card signin', id: 'signin', 'aria-labelledby': 'signin-title',
    onsubmit: (event) => {
      event.preventDefault();
      const value = input.value.trim();
      if (!value) return;
      setToken(value);
      onDone();
    },
  },
  h('h2', { id: 'signin-title' }, t('signin.title')),
  error ? errorBox(error) : null,
  h('div', { class: 'field' },
    h('label', { for: 'token' }, t(hintKey)),
    input,
    h('span', { id: 'token-hint', class: 'muted' }, t('signin.hint'))),
  h('button', { type: 'submit' }, t('signin.submit')));
  setTimeout(() => input.focus(), 0);
  return form;
}

// Records and their review (the teacher's page and /review) ------------------------------------------------
/** GET /v1/kinds as a map kind → description (label, fields with labels and types, declarable). */
export async function loadKinds() {
  const answer = await api('/v1/kinds');
  const byKind = new Map();
  for (const item of answer.items) byKind.set(item.kind, item);
  return byKind;
}

/** A field's value as people read it: enum values by their label, lists joined; nothing computed. */
export function fieldValueText(field, value) {
  if (value === undefined || value === null || value === '') return '—';
  if (Array.isArray(value)) return value.join(lang() === 'zh' ? '、' : ', ');
  if (field && field.values) {
    const hit = field.values.find((v) => v.value === value);
    if (hit) return bi(hit.label);
  }
  return String(value);
}

/** The record's own fields, labelled from its kind: a <dl>. */
export function recordFacts(record, kind) {
  const fields = kind ? kind.fields : Object.keys(record).filter((k) => !['id', 'teacherId', 'kind', 'status'].includes(k)).map((name) => ({ name, label: name }));
  return h('dl', { class: 'facts' },
    fields.filter((f) => record[f.name] !== undefined).map((f) => [
      h('dt', {}, bi(f.label)),
      h('dd', { dataset: { field: f.name } }, fieldValueText(f, record[f.name])),
    ]));
}

/** The record's workflow state as the API names it. */
export function stateBadge(view) {
  return h('span', { class: 'state state-' + view.state, dataset: { state: view.state } }, view.stateLabel || t('records.state.' + view.state));
}

/** A record's history (GET /v1/records/{id}/history), oldest first, with the reviewers' reasons. */
export function historyList(items) {
  if (!items || !items.length) return h('p', { class: 'muted small' }, t('records.noHistory'));
  return h('ol', { class: 'history' }, items.map((item) => h('li', { dataset: { to: item.to } },
    h('span', { class: 'muted small' }, item.at.slice(0, 16).replace('T', ' ')),
    ' ',
    h('strong', {}, item.toLabel || item.to),
    item.role ? h('span', { class: 'muted small' }, ' · ' + t('records.role.' + item.role)) : null,
    item.reason ? h('p', { class: 'reason' }, t('records.reason') + colon() + item.reason) : null)));
}

/** The pages each role may open (the header's links). */
export function linksFor(role, here) {
  const all = {
    teacher: { href: '/', key: 'nav.teacher' },
    committee: { href: '/committee', key: 'nav.committee' },
    review: { href: '/review', key: 'review.nav' },
    import: { href: '/import', key: 'nav.import' },
    policy: { href: '/policy', key: 'nav.policy' },
    file: { href: '/growth-file', key: 'nav.file' },
    reports: { href: '/reports', key: 'nav.reports' },
  };
  const byRole = {
    teacher: ['teacher', 'file', 'policy'],
    hr: ['teacher', 'committee', 'reports', 'review', 'import', 'policy'],
    unit_reviewer: ['review', 'reports', 'policy'],
    committee: ['committee', 'reports', 'policy'],
    admin: ['policy'],
  };
  return (byRole[role] || ['teacher', 'committee', 'policy']).filter((name) => name !== here).map((name) => all[name]);
}

// Requirement trees: the growth path's next stage (GET .../progress) and each 双师型 tier (GET .../dual-qualified) ---
// Both answers are assessProgress-style trees with met / current / required and the gaps in zh and en; one
// rendering serves both (and the growth file). Display only: met and the gaps are the API's.

/** The leaves of a requirement tree still to meet (an unmet any_of counts once): the "n things to do" line. */
export function countUnmetLeaves(node) {
  if (!node || node.met) return 0;
  if (node.type === 'any_of') return 1;
  if (node.children) return node.children.reduce((sum, child) => sum + countUnmetLeaves(child), 0);
  return 1;
}

// a value's name (a grade, a certificate level) is the API's: currentLabel / requiredLabel, in the asked language
function valueText(value, name) {
  if (typeof value === 'number') return fmt(value);
  if (typeof value === 'string') return name || value;
  return '—';
}

function requirementItem(node, gaps) {
  const group = node.type === 'all_of' || node.type === 'any_of';
  const figures = group
    ? t('growth.childrenMet', { current: node.current, required: node.required })
    : t('growth.currentVsRequired', { current: valueText(node.current, node.currentLabel), required: valueText(node.required, node.requiredLabel) });
  const own_label = node.label ? node.label[lang()] : node.id;
  const generic = !node.label || node.label.en === 'any of' || node.label.en === 'all of';
  const label = group ? (node.type === 'any_of' ? t('growth.anyOf') : t('growth.allOf')) + (generic ? '' : colon() + own_label) : own_label;
  const perYear = node.perYear && node.perYear.length
    ? h('div', { class: 'peryear' }, node.perYear.map((d) => yearLabel(d.year) + ' ' + (d.met ? '✓' : '✗') + ' ' + valueText(d.current, d.currentLabel) + (d.exempt ? ' (' + t('growth.exempt') + ')' : d.required !== undefined && typeof d.current === 'number' ? '/' + valueText(d.required, d.requiredLabel) + (d.rule === 'rolling' ? ' (' + t('growth.rollingFigure') + ')' : '') : '')).join(' · '))
    : null;
  const own = !node.met && !group ? (gaps.get(node.id) || []) : [];
  return h('li', { dataset: { requirement: node.id, met: String(node.met) } },
    h('div', { class: 'req-head' },
      statusText(node.met),
      h('span', { class: 'req-label' }, label),
      h('span', { class: 'req-figures' }, figures)),
    perYear,
    own.map((gap) => h('p', { class: 'gap' }, gap[lang()])),
    group ? h('ul', {}, node.children.map((child) => requirementItem(child, gaps))) : null);
}


/** The API's gaps ({ requirementId, zh, en }) by the requirement they belong to. */
export function gapsById(gaps) {
  const byId = new Map();
  for (const gap of gaps || []) {
    if (!byId.has(gap.requirementId)) byId.set(gap.requirementId, []);
    byId.get(gap.requirementId).push(gap);
  }
  return byId;
}

/** A requirement tree as a checklist (ul.reqs): a top-level all_of is listed as its children; each unmet leaf shows its gaps. */
export function requirementTree(root, gaps, attrs) {
  const byId = gaps instanceof Map ? gaps : gapsById(gaps);
  return h('ul', Object.assign({ class: 'reqs' }, attrs || {}),
    root.type === 'all_of' ? root.children.map((child) => requirementItem(child, byId)) : requirementItem(root, byId));
}

export function statusText(ok, okKey, badKey) {
  return h('span', { class: 'status ' + (ok ? 'ok' : 'bad') }, ok ? '✓ ' + t(okKey || 'met') : '✗ ' + t(badKey || 'notMet'));
}

export const fmt = (n, digits) => (typeof n === 'number' ? (digits === undefined ? String(Math.round(n * 100) / 100) : n.toFixed(digits)) : n === null || n === undefined ? '—' : String(n));
export const yearLabel = (y) => y + '-' + (y + 1);

/** Today as YYYY-MM-DD in local time, or ?asOf= from the address. */
export function asOfDate() {
  const q = new URLSearchParams(location.search).get('asOf');
  if (q && /^\d{4}-\d{2}-\d{2}$/.test(q)) return q;
  const d = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}

/**
 * Horizontal bars, one row each: the label, an SVG bar scaled in percent (so text never scales), and the
 * number as text beside it (readable without colour). rows: [{ label, value, max, text, cls }]
 */
export function barChart(rows, options) {
  const o = options || {};
  return h('div', { class: 'bars', role: 'group', 'aria-label': o.title || undefined, id: o.id },
    rows.map((row) => {
      const max = row.max || o.max || 1;
      const pct = Math.max(0, Math.min(1, row.value / max)) * 100;
      return h('div', { class: 'bar-row' },
        h('span', { class: 'bar-label' }, row.label),
        s('svg', { class: 'bar', width: '100%', height: 16, 'aria-hidden': 'true', focusable: 'false' },
          s('rect', { class: 'track', x: 0, y: 0, width: '100%', height: 16, rx: 3 }),
          s('rect', { class: 'fill' + (row.cls ? ' ' + row.cls : ''), x: 0, y: 0, width: pct.toFixed(2) + '%', height: 16, rx: 3 })),
        h('span', { class: 'bar-value' }, row.text === undefined ? fmt(row.value) : row.text));
    }));
}

export function hatchDefs() {
  return s('defs', {},
    s('pattern', { id: 'hatch', width: 6, height: 6, patternUnits: 'userSpaceOnUse', patternTransform: 'rotate(45)' },
      s('rect', { class: 'hatch-bg', width: 6, height: 6 }),
      s('line', { class: 'hatch-line', x1: 0, y1: 0, x2: 0, y2: 6 })));
}

/** The file name a download answer gives (RFC 6266 filename* first), or the fallback. */
export function fileNameOf(response, fallback) {
  const disposition = response.headers.get('content-disposition') || '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/.exec(disposition);
  return plain ? plain[1] : fallback;
}
`;
