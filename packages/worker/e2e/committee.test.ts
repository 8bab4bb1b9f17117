import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../src/csv.js';
import { api, apiPost, baseUrl, horizontalOverflow, useBrowser, openPage, PHONE, screenshot, signIn, tokens } from './helpers.js';

const YEAR = 2025;

const browser = useBrowser();

const columnTexts = (page: Page, key: string) => page.locator(`#board tbody td[data-col="${key}"]`).allInnerTexts();

describe('committee board', () => {
  it('a wrong token shows a clear message; a teacher token is refused', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee`);
    await signIn(page, 'shizi_revoked_or_made_up');
    const alert = page.locator('[role=alert][data-error-kind=auth]');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('令牌无效或已撤销 / The token is invalid or revoked');
    await signIn(page, tokens.teacher);
    const refused = page.locator('[role=alert][data-error-kind=forbidden]');
    await refused.waitFor();
    expect(await refused.innerText()).toContain('委员会或人事处令牌');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('lists a year as the API ranks it, sorts by column, and downloads a CSV whose rows match the API', async () => {
    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee?year=${YEAR}`);
    await signIn(page, tokens.committee);
    await page.locator('#board tbody tr').first().waitFor();
    const listing = await api(`/v1/appraisals?year=${YEAR}`, tokens.committee);
    const apiIds: string[] = listing.items.map((item: any) => item.teacherId);

    // as served: the API's ranking
    expect(await columnTexts(page, 'teacherId')).toEqual(apiIds);
    expect(await columnTexts(page, 'total')).toEqual(listing.items.map((item: any) => item.total.toFixed(2)));
    expect(await columnTexts(page, 'finalGrade')).toEqual(listing.items.map((item: any) => item.finalGradeLabel));
    // the tie-break columns are the policy's (the API's tieBreak), labelled as the policy labels them
    expect(listing.tieBreak.map((category: any) => category.id)).toEqual(['tech_transfer', 'enterprise_service']);
    for (const category of listing.tieBreak) {
      expect(await page.locator(`#board th[data-key="cat:${category.id}"]`).innerText()).toContain(category.label.zh);
      expect(await columnTexts(page, `cat:${category.id}`)).toEqual(listing.items.map((item: any) => item.categories[category.id].capped.toFixed(2)));
    }
    const eligible = await columnTexts(page, 'eligible');
    expect(eligible).toEqual(listing.items.map((item: any) => (item.titleReviewEligible ? '✓ 是' : '✗ 否')));
    const practice = await columnTexts(page, 'practiceCompliant');
    listing.items.forEach((item: any, i: number) => expect(practice[i]).toContain(item.practice.compliant ? '✓ 达标' : '✗ 未达标'));
    const reasons = await columnTexts(page, 'reasons');
    listing.items.forEach((item: any, i: number) => {
      expect(reasons[i]).toBe(item.reasons.map((reason: any) => reason.label).join('\n'));
      for (const veto of item.vetoLabels) expect(reasons[i]).toContain(veto);
      if (item.titleReviewEligible && item.finalGrade === item.grade) expect(reasons[i]).toBe('');
    });

    // sort by total: descending first — the API's order (total desc; its tie-breaks kept) — then ascending
    const totalHeader = page.locator('#board th[data-key="total"]');
    await totalHeader.locator('button').click();
    expect(await totalHeader.getAttribute('aria-sort')).toBe('descending');
    expect(await columnTexts(page, 'teacherId')).toEqual(apiIds);
    await totalHeader.locator('button').click();
    expect(await totalHeader.getAttribute('aria-sort')).toBe('ascending');
    const ascending = (await columnTexts(page, 'total')).map(Number);
    expect(ascending).toEqual([...listing.items.map((item: any) => item.total)].sort((a, b) => a - b));
    // sort by id, ascending
    await page.locator('#board th[data-key="teacherId"] button').click();
    expect(await columnTexts(page, 'teacherId')).toEqual([...apiIds].sort());
    // sort by tech transfer, high to low
    await page.locator('#board th[data-key="cat:tech_transfer"] button').click();
    const transfer = (await columnTexts(page, 'cat:tech_transfer')).map(Number);
    expect(transfer).toEqual([...transfer].sort((a, b) => b - a));

    // the distribution chart: one histogram per unit, counts adding up to the unit's teachers
    const units = [...new Set(listing.items.map((item: any) => item.unit as string))];
    expect(await page.locator('#distribution figure.dist').count()).toBe(units.length);
    for (const unit of units) {
      const n = listing.items.filter((item: any) => item.unit === unit).length;
      expect(await page.locator(`#distribution figure.dist[data-unit="${unit}"] figcaption`).innerText()).toContain(`n=${n}`);
      const counts = (await page.locator(`#distribution figure.dist[data-unit="${unit}"] svg text:not(.tick)`).allTextContents()).filter(Boolean).map(Number);
      expect(counts.reduce((a, b) => a + b, 0)).toBe(n);
    }

    // CSV download: parse it and compare with the API's JSON, row by row
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    expect(download.suggestedFilename()).toBe(`appraisals-${YEAR}.csv`);
    const path = await download.path();
    const [header, ...rows] = parseCsv(readFileSync(path!, 'utf8'));
    expect(header!.slice(0, 6)).toEqual(['学年', '名次', '教师编号', '姓名', '部门', '总分']);
    expect(rows).toHaveLength(listing.items.length);
    listing.items.forEach((item: any, i: number) => {
      const row = rows[i]!;
      expect(row.slice(0, 8)).toEqual([listing.yearLabel, String(item.rank), item.teacherId, item.name, item.unit, item.total.toFixed(2), item.gradeLabel, item.finalGradeLabel]);
      expect(Number(row[13])).toBe(item.categories.tech_transfer.capped);
      expect(Number(row[14])).toBe(item.categories.enterprise_service.capped);
    });

    expect(await horizontalOverflow(page)).toBe(0);
    await page.locator('#board th[data-key="total"] button').click(); // back to the ranking for the picture
    await screenshot(page, 'committee-desktop');

    // English: headers and CSV follow the switch
    await page.locator('#lang-switch').click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await page.locator('#board th[data-key="finalGrade"]').innerText()).toContain('Grade after quota');
    expect(await page.locator('#board th[data-key="cat:enterprise_service"]').innerText()).toContain(listing.tieBreak[1].label.en);
    const [englishDownload] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
    const [englishHeader] = parseCsv(readFileSync((await englishDownload.path())!, 'utf8'));
    expect(englishHeader!.slice(0, 4)).toEqual(['academic year', 'rank', 'teacher id', 'name']);

    expect(problems).toEqual([]);
    await context.close();
  });

  it('draws the tie-break columns, grade labels and years the API sends: none is the page’s own', async () => {
    // The same listing, answered as a policy with other tie-break categories and labels would answer it.
    const { context, page, problems } = await openPage(browser());
    const tieBreak = [
      { id: 'teaching', label: { zh: '教学（并列比较）', en: 'Teaching (tie-break)' } },
      { id: 'technical_innovation', label: { zh: '技术创新（并列比较）', en: 'Innovation (tie-break)' } },
    ];
    await page.route('**/v1/appraisals?*', async (route) => {
      if (route.request().url().includes('format=')) return route.continue();
      const response = await route.fetch();
      const body = await response.json();
      // and grade labels of its own: the page shows the API's, never a table of its own
      await route.fulfill({ response, json: { ...body, tieBreak, items: body.items.map((item: any) => ({ ...item, finalGradeLabel: `«${item.finalGrade}»` })) } });
    });
    // a calendar whose years are labelled otherwise: the year picker shows the API's years and labels
    await page.route('**/v1/calendar?*', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      await route.fulfill({ response, json: { ...body, years: body.years.map((y: any) => ({ ...y, label: `AY${y.year}` })) } });
    });
    await page.goto(`${baseUrl}/committee?year=${YEAR}`);
    await signIn(page, tokens.committee);
    await page.locator('#board tbody tr').first().waitFor();
    const listing = await api(`/v1/appraisals?year=${YEAR}`, tokens.committee);
    const headers = await page.locator('#board thead th').allInnerTexts();
    for (const category of tieBreak) {
      expect(await page.locator(`#board th[data-key="cat:${category.id}"]`).innerText()).toContain(category.label.zh);
      expect(await columnTexts(page, `cat:${category.id}`)).toEqual(listing.items.map((item: any) => item.categories[category.id].capped.toFixed(2)));
    }
    expect(await columnTexts(page, 'finalGrade')).toEqual(listing.items.map((item: any) => `«${item.finalGrade}»`));
    const calendar = await api('/v1/calendar', tokens.committee);
    expect(await page.locator('#year option').allInnerTexts()).toEqual(calendar.years.slice(0, 6).map((y: any) => `AY${y.year}`));
    for (const category of listing.tieBreak) {
      expect(await page.locator(`#board th[data-key="cat:${category.id}"]`).count()).toBe(0);
      expect(headers.join(' ')).not.toContain(category.label.zh);
    }
    expect(problems).toEqual([]);
    // a re-fetch the handlers still hold (after the language switch) must not outlive the context
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await context.close();
  });

  it('shows a review cycle’s ranking, and a frozen cycle’s snapshot hash', async () => {
    // HR opens and freezes a small cycle through the API
    const cycle = await apiPost('/v1/review-cycles', tokens.hr, { name: 'E2E 冻结周期', asOf: '2026-09-01' });
    await apiPost(`/v1/review-cycles/${cycle.id}/candidates`, tokens.hr, {
      candidates: [
        { teacherId: 'T001', targetTitle: 'lecturer' },
        { teacherId: 'T012', targetTitle: 'associate_professor' },
        { teacherId: 'T013', targetTitle: 'associate_professor' },
      ],
    });
    const frozen = await apiPost(`/v1/review-cycles/${cycle.id}/freeze`, tokens.hr, {});
    expect(frozen.cycle.snapshotHash).toMatch(/^[0-9a-f]{64}$/);

    const { context, page, problems } = await openPage(browser());
    await page.goto(`${baseUrl}/committee?cycle=${cycle.id}`);
    await signIn(page, tokens.committee);
    await page.locator('#snapshot-hash').waitFor();
    expect(await page.locator('#snapshot-hash').innerText()).toBe(frozen.cycle.snapshotHash);
    expect(await page.locator('#cycle-status').innerText()).toContain('已冻结');
    const ranking = await api(`/v1/review-cycles/${cycle.id}/ranking`, tokens.committee);
    expect(await columnTexts(page, 'teacherId')).toEqual(ranking.entries.map((entry: any) => entry.teacherId));
    expect(await columnTexts(page, 'total')).toEqual(ranking.entries.map((entry: any) => entry.score.toFixed(2)));
    const reasons = await columnTexts(page, 'reasons');
    ranking.entries.forEach((entry: any, i: number) => expect(reasons[i]).toBe(entry.reasonDetails.map((d: any) => d.zh).join('\n')));
    // the tie-break column and the window note say what the API sends (the policy's categories and window)
    expect(ranking.windowYearLabels).toEqual(['2023-2024', '2024-2025', '2025-2026']);
    expect(await page.locator('#board th[data-key="transferService"]').innerText()).toContain(ranking.tieBreak.map((category: any) => category.label.zh).join(' + '));
    expect(await page.locator('#row-count').innerText()).toContain(ranking.windowYearLabels.join('、'));

    // the demo cycle is still open: no snapshot, the live inputs hash instead
    await page.locator('#cycle').selectOption('cyc_demo');
    await page.locator('#inputs-hash').waitFor();
    const demo = await api('/v1/review-cycles/cyc_demo/ranking', tokens.committee);
    expect(await page.locator('#inputs-hash').innerText()).toBe(demo.inputsHash);
    expect(await page.locator('#snapshot-hash').count()).toBe(0);
    expect(await columnTexts(page, 'teacherId')).toEqual(demo.entries.map((entry: any) => entry.teacherId));
    await screenshot(page, 'committee-desktop-cycle');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('works at phone width: the table scrolls inside its card, the page does not', async () => {
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/committee?year=${YEAR}`);
    await signIn(page, tokens.hr);
    await page.locator('#board tbody tr').first().waitFor();
    expect(await horizontalOverflow(page)).toBe(0);
    await screenshot(page, 'committee-phone');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('at phone width a real review cycle (long name, generated id) in the dropdown does not widen the page', async () => {
    const cycle = await apiPost('/v1/review-cycles', tokens.hr, { name: '2026 年度专业技术职务任职资格评审（高级、副高级）', asOf: '2026-09-01' });
    const { context, page, problems } = await openPage(browser(), PHONE);
    await page.goto(`${baseUrl}/committee?cycle=${cycle.id}`);
    await signIn(page, tokens.committee);
    await page.locator('#inputs-hash').waitFor();
    const option = await page.locator(`#cycle option[value="${cycle.id}"]`).innerText();
    expect(option).toContain(cycle.id);
    expect(await horizontalOverflow(page)).toBe(0);
    const box = await page.locator('#cycle').boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(PHONE.width);
    await screenshot(page, 'committee-phone-cycle');
    expect(problems).toEqual([]);
    await context.close();
  });
});
