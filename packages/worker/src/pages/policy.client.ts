/**
 * The policy page (served as /assets/policy.js): a policy version as the 量化考核表 a committee prints — every
 * category with its cap, every line with its points, filters and limits, the grade bands, vetoes, the practice
 * rule and the quota — from GET /v1/policies/{version}/table. The page computes nothing: it shows the API's table.
 * (Kept as a string: no backticks or dollar-brace inside.)
 */
export const policyJs = String.raw`
import { h, t, colon, api, renderHeader, pageErrors, fmt, token } from './common.js';

const main = document.getElementById('main');
const params = new URLSearchParams(location.search);
const state = { versions: null, version: params.get('version') || '' };
const links = [{ href: '/', key: 'nav.teacher' }, { href: '/committee', key: 'nav.committee' }];

const { showSignIn, fail } = pageErrors('policy.title', links, 'signin.anyToken', () => start());

async function start() {
  if (!token()) return showSignIn();
  renderHeader('policy.title', links, start);
  main.replaceChildren(h('p', { class: 'loading' }, t('loading')));
  try {
    const list = await api('/v1/policies');
    state.versions = list.items;
    if (!state.version) state.version = (list.items.find((item) => item.active) || list.items[0] || {}).version || 'default-2026';
    const table = await api('/v1/policies/' + encodeURIComponent(state.version) + '/table');
    render(table);
  } catch (error) {
    fail(error);
  }
}

function versionPicker() {
  const select = h('select', { id: 'policy-version', onchange: (event) => { state.version = event.target.value; history.replaceState(null, '', '?version=' + encodeURIComponent(state.version)); start(); } },
    (state.versions || []).map((item) => h('option', { value: item.version, selected: item.version === state.version }, item.version + (item.active ? ' · ' + t('policy.active') : ''))));
  return h('div', { class: 'field' }, h('label', { for: 'policy-version' }, t('policy.version')), select);
}

function lineRow(line) {
  return h('tr', {},
    h('td', {}, h('div', {}, line.item), h('div', { class: 'muted' }, line.id)),
    h('td', {}, line.basis),
    h('td', {}, line.points.length ? h('ul', { class: 'plain' }, line.points.map((entry) => h('li', {}, entry.when + ': ' + fmt(entry.points)))) : '—'),
    h('td', {}, line.limits.length ? h('ul', { class: 'plain' }, line.limits.map((limit) => h('li', {}, limit))) : '—'));
}

function render(table) {
  const categories = table.categories.map((category) => h('section', { class: 'card', dataset: { category: category.id } },
    h('h3', {}, category.label + ' · ' + t('policy.cap', { cap: fmt(category.cap) })),
    h('div', { class: 'table-wrap' }, h('table', {},
      h('thead', {}, h('tr', {}, ['policy.item', 'policy.basis', 'policy.points', 'policy.limits'].map((key) => h('th', { scope: 'col' }, t(key))))),
      h('tbody', {}, category.lines.map(lineRow))))));
  const grades = h('section', { class: 'card', id: 'policy-grades' },
    h('h3', {}, t('policy.grades')),
    h('ul', { class: 'plain' }, table.grades.map((band) => h('li', {}, band.label + colon() + (band.min === null ? t('policy.otherwise') : '≥ ' + fmt(band.min))))),
    h('h3', {}, t('policy.vetoes')),
    h('ul', { class: 'plain' }, table.vetoes.map((veto) => h('li', {}, veto))),
    h('h3', {}, t('policy.practice')), h('p', {}, table.practice),
    h('h3', {}, t('policy.quota')), h('p', {}, table.quota));
  main.replaceChildren(
    h('section', { class: 'card' }, h('h2', { id: 'policy-name' }, table.name), h('p', { class: 'muted' }, table.version), versionPicker()),
    ...categories,
    grades);
}

start();
`;
