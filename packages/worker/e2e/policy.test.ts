import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '@shizi/core';
import { api, apiPost, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

const browser = useBrowser();

describe('policy page (/policy)', () => {
  it('shows the active policy as the API’s printable table, in zh and en, and fits a phone', async () => {
    const table = await api('/v1/policies/default-2026/table', tokens.teacher);
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/policy`);
    await signIn(page, tokens.teacher);
    await page.locator('#policy-name').waitFor();
    expect(await page.locator('#policy-name').innerText()).toBe(table.name);
    const headings = await page.locator('section[data-category] h3').allInnerTexts();
    expect(headings.map((text) => text.split(' · ')[0])).toEqual(table.categories.map((category: { label: string }) => category.label));
    const transfer = page.locator('section[data-category="tech_transfer"] tbody tr').first();
    expect(await transfer.innerText()).toContain(table.categories.find((category: { id: string }) => category.id === 'tech_transfer').lines[0].basis);
    expect(await page.locator('#policy-grades').innerText()).toContain(table.grades[0].label);
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    await screenshot(page, 'policy-phone');

    await page.locator('#lang-switch').click();
    const en = await api('/v1/policies/default-2026/table', tokens.teacher, 'en');
    await page.locator('#policy-name', { hasText: en.name }).waitFor();
    expect((await page.locator('section[data-category] h3').first().innerText()).split(' · ')[0]).toBe(en.categories[0].label);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('what-if on the committee board', () => {
  it('compares a draft policy file with the active one and shows what the API answers', async () => {
    // A committee edits the active policy (which may declare kinds of its own, with records stored: a draft must keep them).
    const active = (await api('/v1/policies', tokens.committee)).items.find((item: { active: boolean }) => item.active);
    const draft = (active.builtIn ? structuredClone(defaultPolicy) : (await api(`/v1/policies/${active.version}`, tokens.committee)).policy) as Record<string, any>;
    draft.version = 'draft-e2e';
    const item = (id: string) => draft.appraisal.items.find((entry: { id: string }) => entry.id === id);
    item('tech_transfer').rule.points = 4;
    item('practice_days').rule.pointsPerDay = 0.5;
    const expected = await apiPost('/v1/policies/compare', tokens.committee, { year: 2025, candidate: draft });
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee?year=2025`);
    await signIn(page, tokens.committee);
    await page.locator('#board tbody tr').first().waitFor(); // the board has loaded (a reload re-renders the card)
    await page.locator('#whatif-file').setInputFiles({ name: 'draft.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(draft)) });
    const summary = page.locator('#whatif-summary');
    await summary.waitFor();
    const text = await summary.innerText();
    expect(text).toContain('draft-e2e');
    expect(text).toContain(`${expected.summary.totalChanged} 位总分变化`);
    const changed = expected.teachers.filter((row: any) => row.baseline.total !== row.candidate.total || row.baseline.finalGrade !== row.candidate.finalGrade);
    expect(changed.length).toBeGreaterThan(0);
    expect(await page.locator('#whatif-table tbody tr').count()).toBe(changed.length);
    await page.locator('#whatif-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') });
    await page.locator('#whatif-result [role=alert]').waitFor();
    expect(problems.filter((problem) => !problem.includes('400'))).toEqual([]);
    await context.close();
  });
});
