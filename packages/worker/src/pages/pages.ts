import { labels } from '@shizi/core';
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { commonJs } from './common.client.js';
import { committeeJs } from './committee.client.js';
import { growthFileJs } from './growth-file.client.js';
import { importJs } from './import.client.js';
import { sharedCss } from './shared.css.js';
import { policyJs } from './policy.client.js';
import { reportsJs } from './reports.client.js';
import { reviewJs } from './review.client.js';
import { teacherJs } from './teacher.client.js';
import { uiText } from './ui-text.js';

/**
 * Small pages served by the worker itself — the teacher's progress page and records (/), the committee
 * board (/committee), the appraisal table (/policy), the review page (/review) a teacher's printable growth file (/growth-file) and the reports dashboard (/reports) — as plain HTML + CSS + vanilla ES modules on top of the /v1 API. Nothing is loaded from
 * outside the worker (college intranets reach nothing else); the CSP says so.
 */

/** The pages' Content-Security-Policy: nothing from outside the worker, never framed. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:', 'blob:'],
  connectSrc: ["'self'"],
  fontSrc: ["'self'"],
  // evidence previews: the worker's file, fetched with the token, shown from a blob: URL (PDF in a frame)
  frameSrc: ["'self'", 'blob:'],
  objectSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

const labelsJs = `// Generated from @shizi/core's labels and the pages' UI text; do not edit.\nexport const labels = ${JSON.stringify(labels)};\nexport const ui = ${JSON.stringify(uiText)};\n`;

/** Each page's first title, before its script renders it in the reader's language. */
const TITLES = { teacher: '我的成长 · 师资', committee: '评审委员会看板 · 师资', policy: '量化考核表 · 师资', import: '导入教师与成果 · 师资', review: '材料审核 · 师资', 'growth-file': '成长档案 · 师资', reports: '报表看板 · 师资' } as const;

function shell(page: keyof typeof TITLES): string {
  const title = TITLES[page];
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${title}</title>
<link rel="icon" href="/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/assets/shizi.css">
<script type="module" src="/assets/${page}.js"></script>
</head>
<body data-page="${page}">
<a class="skip" href="#main">跳到正文 / Skip to content</a>
<header class="top" id="top"><div class="inner"><h1>${title}</h1></div></header>
<main id="main" tabindex="-1"><p class="loading">加载中… / Loading…</p>
<noscript><div class="alert error">此页面需要启用 JavaScript。/ This page needs JavaScript.</div></noscript></main>
<footer>师资 Shizi · <a href="/docs">API</a></footer>
</body>
</html>
`;
}

const assets: Record<string, { body: string; type: string }> = {
  'icon.svg': { body: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0f6e6e"/><path d="M8 22h16M10 22V12m6 10V8m6 14v-7" stroke="#fff" stroke-width="3" stroke-linecap="round"/></svg>', type: 'image/svg+xml' },
  'shizi.css': { body: sharedCss, type: 'text/css; charset=utf-8' },
  'common.js': { body: commonJs, type: 'text/javascript; charset=utf-8' },
  'labels.js': { body: labelsJs, type: 'text/javascript; charset=utf-8' },
  'teacher.js': { body: teacherJs, type: 'text/javascript; charset=utf-8' },
  'committee.js': { body: committeeJs, type: 'text/javascript; charset=utf-8' },
  'policy.js': { body: policyJs, type: 'text/javascript; charset=utf-8' },
  'import.js': { body: importJs, type: 'text/javascript; charset=utf-8' },
  'review.js': { body: reviewJs, type: 'text/javascript; charset=utf-8' },
  'growth-file.js': { body: growthFileJs, type: 'text/javascript; charset=utf-8' },
  'reports.js': { body: reportsJs, type: 'text/javascript; charset=utf-8' },
};

// Hono's secure-headers middleware (the app's global one adds nosniff, X-Frame-Options: DENY, …).
const secure = secureHeaders({ contentSecurityPolicy: CSP_DIRECTIVES });

export const pagesApp = new Hono()
  .get('/', secure, (c) => c.html(shell('teacher'), 200, { 'cache-control': 'no-store' }))
  .get('/committee', secure, (c) => c.html(shell('committee'), 200, { 'cache-control': 'no-store' }))
  .get('/policy', secure, (c) => c.html(shell('policy'), 200, { 'cache-control': 'no-store' }))
  .get('/import', secure, (c) => c.html(shell('import'), 200, { 'cache-control': 'no-store' }))
  .get('/review', secure, (c) => c.html(shell('review'), 200, { 'cache-control': 'no-store' }))
  .get('/growth-file', secure, (c) => c.html(shell('growth-file'), 200, { 'cache-control': 'no-store' }))
  .get('/reports', secure, (c) => c.html(shell('reports'), 200, { 'cache-control': 'no-store' }))
  .get('/assets/:name', secure, (c) => {
    const asset = assets[c.req.param('name')];
    if (!asset) return c.text('not found', 404);
    return c.body(asset.body, 200, { 'content-type': asset.type, 'cache-control': 'no-cache' });
  });
