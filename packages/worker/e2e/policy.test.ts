import { describe, expect, it } from 'vitest';
import { api, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

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
