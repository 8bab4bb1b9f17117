import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { api, baseUrl, DESKTOP, horizontalOverflow, useBrowser, openPage, PHONE, screenshot, signIn, tokens } from './helpers.js';

// A fixed "today" late in the 2025-2026 academic year: the seeded teacher T001 has 40 pending practice days
// and none counted there, so the bar, the pending part and the at-risk warning all show.
const AS_OF = '2026-08-10';
const YEAR = 2025;

const browser = useBrowser();

/** The practice card's blocks in page order: the year's (annual), the status, the at-risk warning, the rolling one. */
function practiceBlocks(page: Page): Promise<string[]> {
  return page.locator('#practice > [id]').evaluateAll((nodes) => nodes.map((node) => node.id).filter((id) => ['annual', 'rolling', 'practice-status', 'at-risk'].includes(id)));
}

describe("teacher's page", () => {
  it('a wrong token shows a clear bilingual message, not a blank page', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/`);
    await signIn(page, 'shizi_not_a_real_token');
    const alert = page.locator('[role=alert][data-error-kind=auth]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('令牌无效或已撤销');
    expect(await alert.innerText()).toContain('The token is invalid or revoked');
    expect(await page.locator('#token').isVisible()).toBe(true); // can try again
    expect(await page.evaluate(() => sessionStorage.getItem('shizi.token'))).toBeNull();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a committee token is told this page is for teachers', async () => {
    const { context, page } = await openPage(browser());
    await page.goto(`${baseUrl}/`);
    await signIn(page, tokens.committee);
    const alert = page.locator('[role=alert][data-error-kind=forbidden]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('教师令牌');
    await context.close();
  });

  it('signs in with the printed teacher token and shows the ladder, checklist and practice bar with the API’s numbers', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await signIn(page, tokens.teacher);
    await page.locator('#ladder').waitFor();

    const id = tokens.teacherId;
    const teacher = await api(`/v1/teachers/${id}`, tokens.teacher);
    const progress = await api(`/v1/teachers/${id}/progress?asOf=${AS_OF}`, tokens.teacher);
    const practice = await api(`/v1/teachers/${id}/practice?year=${YEAR}&asOf=${AS_OF}`, tokens.teacher);

    expect(await page.locator('#who').innerText()).toContain(teacher.name);
    // the ladder: four stages, the current one marked (aria-current), the next one flagged
    expect(await page.locator('#ladder li').count()).toBe(4);
    const current = page.locator('#ladder li[aria-current=step]');
    expect(await current.getAttribute('data-stage')).toBe(progress.stage);
    expect(await current.innerText()).toContain(teacher.stageLabel);
    expect(await page.locator('#ladder li.next').getAttribute('data-stage')).toBe(progress.nextStage);

    // the checklist: one line per requirement, met / not met as the API says, with the gap texts
    for (const requirement of progress.requirements.children) {
      const line = page.locator(`#checklist > li[data-requirement="${requirement.id}"]`);
      expect(await line.getAttribute('data-met')).toBe(String(requirement.met));
      const text = await line.innerText();
      expect(text).toContain(requirement.met ? '✓ 达标' : '✗ 未达标');
      expect(text).toContain(requirement.label.zh);
    }
    for (const gap of progress.gaps) expect(await page.locator('#checklist').innerText()).toContain(gap.zh);

    // the practice bar for this academic year
    expect(await page.locator('#practice-year').inputValue()).toBe(String(YEAR));
    const bar = page.locator('#practice-bar');
    expect(await bar.getAttribute('data-counted')).toBe(String(practice.countedDays));
    expect(await bar.getAttribute('data-required')).toBe(String(practice.requiredDays));
    expect(await bar.getAttribute('data-pending')).toBe(String(practice.pendingDays));
    expect(await page.locator('#practice-counted .v').innerText()).toBe(`${practice.countedDays} 天`);
    expect(await page.locator('#practice-required .v').innerText()).toBe(`${practice.requiredDays} 天`);
    expect(await page.locator('#practice-pending .v').innerText()).toBe(`${practice.pendingDays} 天`);
    expect(await page.locator('#practice-text').innerText()).toBe(`已认定 ${practice.countedDays} 天 / 要求 ${practice.requiredDays} 天（另有待审核 ${practice.pendingDays} 天）`);
    expect(practice.pendingDays).toBeGreaterThan(0);
    expect(await page.locator('#at-risk').count()).toBe(practice.atRisk ? 1 : 0);
    expect(practice.atRisk).toBe(true);
    expect(await page.locator('#at-risk').innerText()).toContain(`尚差 ${practice.shortfall} 天`);
    // the rolling five-year figure, after the year's (the binding rule's) and labelled for reference
    expect(await page.locator('#rolling').innerText()).toContain(`${practice.rolling.countedDays} 天 / 要求 ${practice.rolling.requiredDays} 天`);
    expect(practice.bindingFigures.map((f: any) => f.rule)).toEqual(['annual']);
    expect(await practiceBlocks(page)).toEqual(['annual', 'practice-status', 'at-risk', 'rolling']);
    expect(await page.locator('#rolling h3 .reference').innerText()).toContain('仅供参考');
    expect(await page.locator('#annual .reference').count()).toBe(0);

    // another year: the bar follows the API
    const earlier = await api(`/v1/teachers/${id}/practice?year=${YEAR - 1}&asOf=${AS_OF}`, tokens.teacher);
    await page.locator('#practice-year').selectOption(String(YEAR - 1));
    await page.locator(`#practice-bar[data-counted="${earlier.countedDays}"]`).waitFor();
    expect(await page.locator('#practice-counted .v').innerText()).toBe(`${earlier.countedDays} 天`);
    expect(await page.locator('#practice-status').innerText()).toContain(earlier.compliant ? '✓' : '✗');
    await page.locator('#practice-year').selectOption(String(YEAR));
    await page.locator(`#practice-bar[data-counted="${practice.countedDays}"]`).waitFor();

    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'teacher-desktop');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows the binding rule’s bar first and the other for reference, as the practice answer’s bindingFigures say', async () => {
    const { context, page, problems } = await openPage(browser());
    // the answer as under policy.practice.binding 'rolling'; requirement.binding is left 'annual': the page reads bindingFigures
    await page.route('**/v1/teachers/*/practice?*', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      await route.fulfill({ response, json: { ...body, bindingFigures: [{ rule: 'rolling', countedDays: body.rolling.countedDays, requiredDays: body.rolling.requiredDays, met: body.rolling.met }] } });
    });
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await signIn(page, tokens.teacher);
    await page.locator('#practice').waitFor();
    expect(await practiceBlocks(page)).toEqual(['rolling', 'practice-status', 'at-risk', 'annual']);
    expect(await page.locator('#rolling').getAttribute('data-binding')).toBe('true');
    expect(await page.locator('#rolling .reference').count()).toBe(0);
    expect(await page.locator('#rolling #practice-shortfall').count()).toBe(1);
    expect(await page.locator('#rolling').innerText()).toContain('本校政策以此判定');
    expect(await page.locator('#annual').getAttribute('data-binding')).toBe('false');
    expect(await page.locator('#annual h3').innerText()).toContain('2025-2026 学年');
    expect(await page.locator('#annual h3 .reference').innerText()).toContain('仅供参考');
    expect(await page.locator('#annual #practice-shortfall').count()).toBe(0);
    await page.locator('#lang-switch').click();
    await page.locator('#annual h3 .reference').filter({ hasText: 'for reference' }).waitFor();
    expect(problems).toEqual([]);
    // a re-fetch the handlers still hold (after the language switch) must not outlive the context
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });

  it('switches to English and back, and opens the trace behind a total', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await signIn(page, tokens.teacher);
    await page.locator('#ladder').waitFor();
    const id = tokens.teacherId;
    const progress = await api(`/v1/teachers/${id}/progress?asOf=${AS_OF}`, tokens.teacher);
    // what the API names in the asked language (a grade leaf's label and grades): the page asks again on a switch
    const gradeLeaf = (answer: any) => answer.requirements.children.find((line: { type: string }) => line.type === 'grade_each_year');
    const zhGrade = gradeLeaf(progress);
    const enGrade = gradeLeaf(await api(`/v1/teachers/${id}/progress?asOf=${AS_OF}`, tokens.teacher, 'en'));
    expect(enGrade.requiredLabel).not.toBe(zhGrade.requiredLabel);
    const gradeLine = page.locator(`#checklist > li[data-requirement="${enGrade.id}"]`);
    expect(await gradeLine.locator('.req-figures').innerText()).toContain(zhGrade.requiredLabel);

    const askedInEnglish = page.waitForRequest((request) => request.url().includes('/progress?') && request.headers()['accept-language'] === 'en');
    await page.locator('#lang-switch').click();
    await askedInEnglish;
    await gradeLine.locator('.req-figures', { hasText: enGrade.requiredLabel }).waitFor();
    expect(await gradeLine.locator('.req-label').innerText()).toBe(enGrade.labelText);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#growth-title').innerText()).toBe('Growth path');
    expect(await page.locator('#ladder li[aria-current=step]').innerText()).toContain('new teacher');
    for (const gap of progress.gaps) expect(await page.locator('#checklist').innerText()).toContain(gap.en);
    expect(await page.locator('#checklist').innerText()).toContain('✗ not met');
    expect(await page.locator('#practice-title').innerText()).toBe('Enterprise practice');
    // language survives a reload (kept in the session)
    await page.reload();
    await page.locator('#ladder').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    // the last three completed years, each total as the API computes it, with its trace on demand
    const years = [YEAR - 3, YEAR - 2, YEAR - 1];
    for (const year of years) {
      const appraisal = await api(`/v1/teachers/${id}/appraisals/${year}`, tokens.teacher);
      const card = page.locator(`article.year[data-year="${year}"]`);
      expect(await card.locator('.total').innerText()).toBe(appraisal.total.toFixed(2));
      const trace = card.locator('details.trace');
      expect(await trace.getAttribute('open')).toBeNull();
      await trace.locator('summary').click();
      expect(await trace.getAttribute('open')).toBe('');
      const rows = trace.locator('table').first().locator('tbody tr');
      expect(await rows.count()).toBe(appraisal.items.length);
      // the page is in English: each line's rule as the API names it in English
      const english = await api(`/v1/teachers/${id}/appraisals/${year}`, tokens.teacher, 'en');
      for (const [index, item] of appraisal.items.entries()) {
        const cells = await rows.nth(index).locator('td').allInnerTexts();
        expect(cells[1]).toBe(english.items[index].ruleLabel);
        expect(cells[2]).toBe(item.recordIds.join(', '));
        expect(cells[6]).toBe(item.points.toFixed(2));
      }
      expect(await trace.innerText()).toContain(appraisal.total.toFixed(2));
      // the total out of the API's totalCap (the policy's caps added up)
      expect(await trace.locator('table').nth(1).locator('tbody tr').last().locator('td').last().innerText()).toBe(String(appraisal.totalCap));
    }
    await screenshot(page, 'teacher-desktop-en-trace');

    await page.locator('#lang-switch').click();
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    expect(await page.locator('#growth-title').innerText()).toBe('成长路径');
    await gradeLine.locator('.req-figures', { hasText: zhGrade.requiredLabel }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a teacher’s 双师型 standing as the API answers it: the expiry warning first, both tiers, the recognitions with days left, each tier’s tree with its gaps (HR viewing a demo teacher whose recognition falls due)', async () => {
    // the demo college is laid out around 2026-11-01 (global-setup's --today): some recognitions fall due within the warning days
    const asOf = '2026-11-01';
    const teachers = await api('/v1/teachers?limit=200', tokens.hr);
    let id = '';
    let dual: any = null;
    for (const teacher of teachers.items) {
      const answer = await api(`/v1/teachers/${teacher.id}/dual-qualified?asOf=${asOf}`, tokens.hr);
      if (answer.warnings.length > 0 && answer.tiers.some((tier: any) => !tier.met && tier.gaps.length > 0)) {
        id = teacher.id;
        dual = answer;
        break;
      }
    }
    expect(id, 'a demo teacher with a recognition about to expire and a tier still to meet').not.toBe('');

    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/?teacher=${id}&asOf=${asOf}`);
    await signIn(page, tokens.hr);
    await page.locator('#dual').waitFor();

    // the warning: an alert, before anything else in the section, one line per recognition falling due
    const warnings = page.locator('#dual-warnings');
    expect(await warnings.getAttribute('role')).toBe('alert');
    expect(await page.locator('#dual > *').nth(1).getAttribute('id')).toBe('dual-warnings');
    expect(await warnings.innerText()).toContain(`${dual.expiryWarningDays} 天内`);
    expect(await warnings.locator('li').count()).toBe(dual.warnings.length);
    for (const warning of dual.warnings) expect(await warnings.locator(`li[data-record-id="${warning.recordId}"]`).innerText()).toBe(warning.zh);

    // the tier recognised and the tier met
    expect(await page.locator('#dual-recognised').getAttribute('data-tier')).toBe(dual.recognisedTier);
    expect(await page.locator('#dual-recognised .v').innerText()).toBe(dual.recognisedTierLabel);
    expect(await page.locator('#dual-met').getAttribute('data-tier')).toBe(dual.tierMet);
    expect(await page.locator('#dual-met .v').innerText()).toBe(dual.tierMetLabel);

    // the recognitions with their validity and days left
    const rows = page.locator('#dual-recognitions tbody tr');
    expect(await rows.count()).toBe(dual.recognitions.length);
    for (const held of dual.recognitions) {
      const row = page.locator(`#dual-recognitions tr[data-record-id="${held.recordId}"]`);
      expect(await row.getAttribute('data-standing')).toBe(held.standing);
      const cells = await row.locator('td').allInnerTexts();
      expect(cells[0]).toBe(held.tierLabel);
      expect(cells[2]).toBe(held.date);
      expect(cells[3]).toBe(held.validUntil);
      expect(cells[4]).toContain(held.standingLabel);
      expect(cells[5]).toBe(held.daysLeft >= 0 ? `剩余 ${held.daysLeft} 天` : `已过期 ${-held.daysLeft} 天`);
    }
    expect(dual.recognitions.some((held: any) => held.standing === 'expiring')).toBe(true);

    // each tier: met as the API says, its tree line by line, every gap of an unmet tier; the lowest unmet tier open
    expect(await page.locator('#dual details.dual-tier').count()).toBe(dual.tiers.length);
    const lowestUnmet = dual.tiers.find((tier: any) => !tier.met);
    for (const tier of dual.tiers) {
      const block = page.locator(`#dual-tier-${tier.tier}`);
      expect(await block.getAttribute('data-met')).toBe(String(tier.met));
      expect(await block.getAttribute('open')).toBe(tier === lowestUnmet ? '' : null);
      expect(await block.locator('summary').innerText()).toContain(tier.tierLabel);
      const lines = tier.requirements.type === 'all_of' ? tier.requirements.children : [tier.requirements];
      for (const line of lines) expect(await block.locator(`ul.reqs > li[data-requirement="${line.id}"]`).getAttribute('data-met')).toBe(String(line.met));
      const text = (await block.textContent()) ?? '';
      for (const gap of tier.gaps) expect(text).toContain(gap.zh);
      expect(await block.locator('.gap').count()).toBe(tier.gaps.length);
    }
    expect(await page.locator(`#dual-tier-${lowestUnmet.tier} .gap`).first().isVisible()).toBe(true);
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'teacher-dual-hr');

    // in English, without asking again: the warning and the gaps in English
    await page.locator('#lang-switch').click();
    expect(await page.locator('#dual-title').innerText()).toContain('Dual-qualified');
    for (const warning of dual.warnings) expect(await warnings.locator(`li[data-record-id="${warning.recordId}"]`).innerText()).toBe(warning.en);
    const en = (await page.locator('#dual').textContent()) ?? '';
    for (const tier of dual.tiers) for (const gap of tier.gaps) expect(en).toContain(gap.en);
    await page.locator('#lang-switch').click();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('the teacher sees their own 双师型 section too (the demo teacher: no recognition, every tier’s gaps)', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await signIn(page, tokens.teacher);
    await page.locator('#dual').waitFor();
    const dual = await api(`/v1/teachers/${tokens.teacherId}/dual-qualified?asOf=${AS_OF}`, tokens.teacher);
    expect(await page.locator('#dual-recognised').getAttribute('data-tier')).toBe(dual.recognisedTier);
    expect(await page.locator('#dual-met').getAttribute('data-tier')).toBe(dual.tierMet);
    expect(await page.locator('#dual-warnings').count()).toBe(dual.warnings.length ? 1 : 0);
    expect(await page.locator('#dual-recognitions tbody tr').count()).toBe(dual.recognitions.length);
    for (const tier of dual.tiers) {
      const block = page.locator(`#dual-tier-${tier.tier}`);
      expect(await block.getAttribute('data-met')).toBe(String(tier.met));
      const text = (await block.textContent()) ?? '';
      for (const gap of tier.gaps) expect(text).toContain(gap.zh);
    }
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a unit reviewer opens a teacher of its unit with every section the API answers, and is told another unit’s teacher is not found', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/?teacher=${tokens.teacherId}&asOf=${AS_OF}`);
    await signIn(page, tokens.unit_reviewer);
    await page.locator('#ladder').waitFor();
    const teacher = await api(`/v1/teachers/${tokens.teacherId}`, tokens.unit_reviewer);
    expect(teacher.unit).toBe(tokens.reviewerUnit);
    const progress = await api(`/v1/teachers/${tokens.teacherId}/progress?asOf=${AS_OF}`, tokens.unit_reviewer);
    expect(await page.locator('#who').innerText()).toContain(teacher.name);
    for (const requirement of progress.requirements.children) {
      expect(await page.locator(`#checklist > li[data-requirement="${requirement.id}"]`).getAttribute('data-met')).toBe(String(requirement.met));
    }
    for (const id of ['#dual', '#practice-bar', '#records']) expect(await page.locator(id).count()).toBe(1);
    expect(await page.locator('#declare-open').count()).toBe(0); // read only: the reviewer acts on the review page
    expect(await page.locator('[role=alert][data-error-kind]').count()).toBe(0);
    expect(problems).toEqual([]);

    const teachers = await api('/v1/teachers?limit=200', tokens.hr);
    const other = teachers.items.find((row: any) => row.unit !== tokens.reviewerUnit);
    await page.goto(`${baseUrl}/?teacher=${other.id}&asOf=${AS_OF}`);
    const alert = page.locator('[role=alert][data-error-kind]');
    await alert.waitFor();
    expect(await alert.getAttribute('data-error-kind')).toBe('notfound');
    await context.close();
  });

  it('shows pre-post practice as the practice answer gives it, when the policy asks it of a new teacher without enterprise experience', async () => {
    const id = `TPP${Date.now() % 100000}`;
    const hr = { authorization: `Bearer ${tokens.hr}`, 'content-type': 'application/json' };
    const post = async (path: string, token: string, body: unknown) => {
      const response = await fetch(baseUrl + path, { method: 'POST', headers: { ...hr, authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
      expect(response.status, path).toBe(201);
    };
    await post('/v1/teachers', tokens.hr, { id, name: '岗前测试', unit: tokens.reviewerUnit, hireDate: '2025-09-01', stage: 'new_teacher', stageSince: '2025-09-01', title: 'assistant', titleSince: '2025-09-01', enterpriseExperience: false });
    await post('/v1/records', tokens.hr, { id: `${id}-r1`, teacherId: id, kind: 'enterprise_practice', status: 'verified', start: '2025-07-01', end: '2025-07-20', enterprise: '格力电器' });
    const policy = structuredClone(defaultPolicy) as Record<string, any>;
    policy.version = `prepost-${id}`;
    policy.practice.prePost = { requiredDays: 30, stages: ['new_teacher'] };
    await post('/v1/policies', tokens.admin, policy);
    try {
      const { context, page, problems } = await openPage(browser());
      await page.goto(`${baseUrl}/?teacher=${id}&asOf=2026-03-01`);
      await signIn(page, tokens.hr);
      await page.locator('#pre-post').waitFor();
      const practice = await api(`/v1/teachers/${id}/practice?year=2025&asOf=2026-03-01`, tokens.hr);
      expect(practice.prePostPractice).toMatchObject({ required: true, countedDays: 20, requiredDays: 30, met: false });
      const block = page.locator('#pre-post');
      expect(await block.getAttribute('data-met')).toBe('false');
      expect(await block.getAttribute('data-counted')).toBe('20');
      expect(await block.innerText()).toContain('2025-09-01 入职前 20 天 / 要求 30 天');
      expect(await block.locator('.gap').allInnerTexts()).toEqual(practice.prePostPractice.gaps.map((gap: any) => gap.zh));
      expect(await page.locator('#enterprise-experience').innerText()).toContain('否');
      await page.locator('#lang-switch').click();
      expect(await block.locator('.gap').allInnerTexts()).toEqual(practice.prePostPractice.gaps.map((gap: any) => gap.en));
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      await post('/v1/policies', tokens.admin, { ...structuredClone(defaultPolicy), version: `default-after-${id}` });
    }
  });

  it('shows server failures and a lost connection as messages, not a blank page', async () => {
    const { context, page } = await openPage(browser());
    await page.route('**/v1/teachers/*/progress*', (route) =>
      route.fulfill({ status: 500, contentType: 'application/problem+json', headers: { 'x-request-id': 'req-e2e-500' }, body: JSON.stringify({ status: 500, detail: 'internal error; quote the request id when reporting it' }) }),
    );
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await signIn(page, tokens.teacher);
    const server = page.locator('[role=alert][data-error-kind=server]');
    await server.waitFor();
    expect(await server.innerText()).toContain('服务器出错');
    expect(await server.innerText()).toContain('req-e2e-500');
    await page.unroute('**/v1/teachers/*/progress*');
    await page.route('**/v1/me', (route) => route.abort('internetdisconnected'));
    await page.reload();
    const network = page.locator('[role=alert][data-error-kind=network]');
    await network.waitFor();
    expect(await network.innerText()).toContain('无法连接服务器');
    await context.close();
  });

  it('works at phone width without sideways scrolling', async () => {
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
    await page.locator('#token').waitFor();
    await screenshot(page, 'teacher-phone-signin');
    await signIn(page, tokens.teacher);
    await page.locator('#ladder').waitFor();
    await page.locator('article.year details.trace summary').first().click();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'teacher-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('serves the page with a strict CSP and nothing from outside', async () => {
    const response = await fetch(`${baseUrl}/`);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain('<meta name="viewport"');
    expect(html).not.toMatch(/(src|href)="https?:/);
    const js = await fetch(`${baseUrl}/assets/teacher.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const css = await fetch(`${baseUrl}/assets/shizi.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    void DESKTOP;
  });
});
