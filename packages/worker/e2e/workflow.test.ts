import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { api, apiPost, baseUrl, horizontalOverflow, openPage, PHONE, screenshot, signIn, tokens, useBrowser } from './helpers.js';

/**
 * The evidence workflow through the pages: a teacher declares on the teacher's page (with a PDF), the unit
 * reviewer approves on /review, HR verifies there, and the teacher's page shows the new numbers; a return
 * with a reason, the correction and the resubmission; several approved at once. A teacher of its own is
 * created for this file, so the demo teacher's numbers other tests read stay as seeded.
 */
const AS_OF = '2026-11-01'; // the e2e server's "today"
const YEAR = 2025; // a completed academic year (2025-2026): its appraisal is on the teacher's page

const browser = useBrowser();

/** A small but well-formed one-page PDF (header, objects, xref, trailer, %%EOF). */
function pdfBytes(text: string): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${`BT /F1 18 Tf 20 70 Td (${text}) Tj ET`.length} >>\nstream\nBT /F1 18 Tf 20 70 Td (${text}) Tj ET\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

let teacherId = '';
let teacherToken = '';

beforeAll(async () => {
  // a teacher of the demo reviewer's unit, hired years ago, with no records: short of practice in YEAR
  const template = await api(`/v1/teachers/${tokens.teacherId}`, tokens.hr);
  teacherId = `TE2E${Date.now().toString(36).toUpperCase()}`;
  await apiPost('/v1/teachers', tokens.hr, {
    id: teacherId,
    name: '流程测试教师',
    unit: tokens.reviewerUnit,
    hireDate: '2018-09-01',
    stage: template.stage,
    stageSince: template.stageSince,
    title: template.title,
    titleSince: template.titleSince,
  });
  const key = await apiPost('/v1/keys', tokens.admin, { role: 'teacher', teacherId, label: 'e2e workflow' });
  teacherToken = key.token;
});

async function openTeacherPage(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/?asOf=${AS_OF}`);
  await signIn(page, teacherToken);
  await page.locator('#records').waitFor();
}

async function showPracticeYear(page: Page, year: number): Promise<void> {
  await page.locator('#practice-year').selectOption(String(year));
  await page.locator(`#practice[data-year="${year}"]`).waitFor();
}

/** Opens the queue and pages on ("load more") until the record is listed; answers its row. */
async function queueRow(page: Page, recordId: string) {
  const row = page.locator(`#queue-list li[data-record-id="${recordId}"]`);
  await page.locator('#queue-list').waitFor();
  while ((await row.count()) === 0) {
    const more = page.locator('#load-more');
    if ((await more.count()) === 0) throw new Error(`record ${recordId} is not in the queue`);
    await more.click();
    await page.waitForTimeout(0);
    await page.locator('#queue-list li').last().waitFor();
  }
  return row;
}

/** Console noise other than the 400s this test provokes on purpose (a missing reason, an emptied field). */
const unexpected = (problems: string[]) => problems.filter((p) => !/status of 400/.test(p));

async function recordOf(enterprise: string) {
  const listing = await api(`/v1/records?teacherId=${teacherId}`, teacherToken);
  return listing.items.find((item: any) => item.record.enterprise === enterprise);
}

describe('evidence workflow in the pages', () => {
  it('a teacher declares practice with a PDF, the unit approves, HR verifies, and the teacher’s practice days and appraisal change', async () => {
    const practiceBefore = await api(`/v1/teachers/${teacherId}/practice?year=${YEAR}&asOf=${AS_OF}`, teacherToken);
    const appraisalBefore = await api(`/v1/teachers/${teacherId}/appraisals/${YEAR}`, teacherToken);
    expect(practiceBefore.compliant).toBe(false);
    expect(appraisalBefore.vetoes).toContain('practice_noncompliant');

    // 1. the teacher declares, on the teacher's page
    const teacher = await openPage(browser());
    await openTeacherPage(teacher.page);
    await teacher.page.locator('#declare-open').click();
    await teacher.page.locator('#declare-kind').selectOption('enterprise_practice');
    await teacher.page.locator('#f-start').waitFor();
    // labels come from GET /v1/kinds
    const kinds = await api('/v1/kinds', teacherToken);
    const practiceKind = kinds.items.find((k: any) => k.kind === 'enterprise_practice');
    expect(await teacher.page.locator('label[for="f-enterprise"]').innerText()).toContain(practiceKind.fields.find((f: any) => f.name === 'enterprise').label.zh);
    // only kinds teachers may declare are offered
    const offered = await teacher.page.locator('#declare-kind option').evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).toEqual(kinds.items.filter((k: any) => k.declarable).map((k: any) => k.kind));
    await teacher.page.locator('#f-start').fill('2026-06-01');
    await teacher.page.locator('#f-end').fill('2026-08-20');
    await teacher.page.locator('#f-enterprise').fill('E2E 智能制造实践基地');
    await teacher.page.locator('#f-topics').fill('产线调试\n工艺改进');
    await teacher.page.locator('#declare-files').setInputFiles({ name: '实践证明.pdf', mimeType: 'application/pdf', buffer: pdfBytes('E2E practice certificate') });
    await teacher.page.locator('#declare-submit').click();
    await teacher.page.locator('#records-status .alert.ok').waitFor();
    const declared = await recordOf('E2E 智能制造实践基地');
    expect(declared.state).toBe('submitted');
    expect(declared.record.topics).toEqual(['产线调试', '工艺改进']);
    const files = await api(`/v1/records/${declared.record.id}/files`, teacherToken);
    expect(files.items.map((f: any) => f.name)).toEqual(['实践证明.pdf']);
    const item = teacher.page.locator(`#records li[data-record-id="${declared.record.id}"]`);
    expect(await item.getAttribute('data-state')).toBe('submitted');
    expect(await item.locator('.state').innerText()).toBe(declared.stateLabel);
    // pending, not counted yet
    await showPracticeYear(teacher.page, YEAR);
    const pendingNow = await api(`/v1/teachers/${teacherId}/practice?year=${YEAR}&asOf=${AS_OF}`, teacherToken);
    expect(pendingNow.pendingDays).toBeGreaterThan(practiceBefore.pendingDays);
    expect(await teacher.page.locator('#practice-pending').innerText()).toContain(String(pendingNow.pendingDays));
    expect(teacher.problems).toEqual([]);

    // 2. the unit reviewer approves on /review, with the PDF previewed beside the record
    const reviewer = await openPage(browser());
    await reviewer.page.goto(`${baseUrl}/review`);
    await signIn(reviewer.page, tokens.unit_reviewer);
    const row = await queueRow(reviewer.page, declared.record.id);
    await row.locator('.open-record').click();
    await reviewer.page.locator('#detail-title').filter({ hasText: declared.record.id }).waitFor();
    await reviewer.page.locator('#file-list li').filter({ hasText: '实践证明.pdf' }).waitFor();
    const frame = reviewer.page.locator('#preview iframe.pdf');
    await frame.waitFor();
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    expect(await frame.getAttribute('data-type')).toBe('application/pdf');
    expect(await reviewer.page.locator('#detail dd[data-field="enterprise"]').innerText()).toBe('E2E 智能制造实践基地');
    await screenshot(reviewer.page, 'review-desktop');
    await reviewer.page.locator('#approve').click();
    await reviewer.page.locator('#action-result').waitFor();
    expect((await api(`/v1/records/${declared.record.id}`, tokens.unit_reviewer)).state).toBe('unit_approved');
    expect(reviewer.problems).toEqual([]);

    // 3. HR verifies on /review
    const hr = await openPage(browser());
    await hr.page.goto(`${baseUrl}/review?record=${declared.record.id}`);
    await signIn(hr.page, tokens.hr);
    await hr.page.locator('#detail-title').filter({ hasText: declared.record.id }).waitFor();
    expect(await hr.page.locator('#detail .state').first().getAttribute('data-state')).toBe('unit_approved');
    await hr.page.locator('#approve').click();
    await hr.page.locator('#action-result').waitFor();
    const verified = await api(`/v1/records/${declared.record.id}`, tokens.hr);
    expect(verified.state).toBe('verified');
    expect(hr.problems).toEqual([]);

    // 4. the teacher's page: the days count, the veto is gone, and the history shows who moved it
    await teacher.page.reload(); // still signed in (this tab's session)
    await teacher.page.locator('#records').waitFor();
    await showPracticeYear(teacher.page, YEAR);
    const practiceAfter = await api(`/v1/teachers/${teacherId}/practice?year=${YEAR}&asOf=${AS_OF}`, teacherToken);
    const appraisalAfter = await api(`/v1/teachers/${teacherId}/appraisals/${YEAR}`, teacherToken);
    expect(practiceAfter.countedDays).toBeGreaterThan(practiceBefore.countedDays);
    expect(practiceAfter.compliant).toBe(true);
    expect(await teacher.page.locator('#practice-counted').innerText()).toContain(String(practiceAfter.countedDays));
    expect(await teacher.page.locator('#practice-status').innerText()).toContain('本学年已达标');
    expect(appraisalAfter.vetoes).not.toContain('practice_noncompliant');
    const yearCard = teacher.page.locator(`#appraisals article.year[data-year="${YEAR}"]`);
    expect(await yearCard.locator('p.small').first().innerText()).toContain('无');
    const settled = teacher.page.locator('#records-settled');
    await settled.locator('> summary').click();
    const done = settled.locator(`li[data-record-id="${declared.record.id}"]`);
    expect(await done.getAttribute('data-state')).toBe('verified');
    await done.locator('details.record-history summary').click();
    await done.locator('ol.history li[data-to="verified"]').waitFor();
    expect(await done.locator('ol.history li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.to))).toEqual(['submitted', 'unit_approved', 'verified']);
    await screenshot(teacher.page, 'teacher-records-desktop');
    expect(teacher.problems).toEqual([]);
    await Promise.all([teacher.context.close(), reviewer.context.close(), hr.context.close()]);
  }, 150_000);

  it('the reviewer returns a record with a reason; the teacher reads it, corrects the record and resubmits it', async () => {
    const declared = await apiPost('/v1/records', teacherToken, { kind: 'enterprise_practice', start: '2026-09-07', end: '2026-09-18', enterprise: 'E2E 待修改企业' });
    const id = declared.record.id;

    const reviewer = await openPage(browser());
    await reviewer.page.goto(`${baseUrl}/review?record=${id}`);
    await signIn(reviewer.page, tokens.unit_reviewer);
    await reviewer.page.locator('#detail-title').filter({ hasText: id }).waitFor();
    // no reason: the API's message appears next to the reason field
    await reviewer.page.locator('#return').click();
    await reviewer.page.locator('#err-reason:not(:empty)').waitFor();
    expect(await reviewer.page.locator('#reason').getAttribute('aria-invalid')).toBe('true');
    await reviewer.page.locator('#reason').fill('结束日期与证明不符，请按盖章证明填写');
    await reviewer.page.locator('#return').click();
    await reviewer.page.locator('#action-result').waitFor();
    expect((await api(`/v1/records/${id}`, tokens.unit_reviewer)).state).toBe('returned');
    // the kind and state names are the API's, in the asked language: a language switch asks again
    const inEnglish = await api(`/v1/records/${id}`, tokens.unit_reviewer, 'en');
    const historyInEnglish = await api(`/v1/records/${id}/history`, tokens.unit_reviewer, 'en');
    const askedInEnglish = reviewer.page.waitForRequest((request) => request.url().includes(`/v1/records/${id}/history`) && request.headers()['accept-language'] === 'en');
    await reviewer.page.locator('#reason').fill('未提交的理由');
    await reviewer.page.locator('#lang-switch').click();
    await askedInEnglish;
    await reviewer.page.locator('#detail-title').filter({ hasText: inEnglish.kindLabel }).waitFor();
    expect(inEnglish.kindLabel).not.toBe((await api(`/v1/records/${id}`, tokens.unit_reviewer)).kindLabel);
    expect(await reviewer.page.locator('#detail .detail-facts .state').first().innerText()).toBe(inEnglish.stateLabel);
    await reviewer.page
      .locator('#detail')
      .filter({ hasText: historyInEnglish.items.at(-1).toLabel })
      .waitFor();
    expect(await reviewer.page.locator('#reason').inputValue()).toBe('未提交的理由');
    await reviewer.page.locator('#lang-switch').click();
    expect(unexpected(reviewer.problems)).toEqual([]);

    const teacher = await openPage(browser());
    await openTeacherPage(teacher.page);
    const item = teacher.page.locator(`#records li[data-record-id="${id}"]`);
    await item.waitFor();
    expect(await item.getAttribute('data-state')).toBe('returned');
    expect(await item.locator('.reviewer-comment').innerText()).toContain('结束日期与证明不符，请按盖章证明填写');
    await item.locator('button[data-action="edit"]').click();
    await teacher.page.locator('#declare-form').waitFor();
    expect(await teacher.page.locator('#f-end').inputValue()).toBe('2026-09-18');
    // a field the API refuses: its message is shown under that field
    await teacher.page.locator('#f-enterprise').fill('');
    await teacher.page.locator('#declare-submit').click();
    await teacher.page.locator('#err-enterprise:not(:empty)').waitFor();
    expect(await teacher.page.locator('#f-enterprise').getAttribute('aria-invalid')).toBe('true');
    expect((await api(`/v1/records/${id}`, teacherToken)).state).toBe('returned');
    // corrected: submitted again
    await teacher.page.locator('#f-enterprise').fill('E2E 待修改企业');
    await teacher.page.locator('#f-end').fill('2026-09-25');
    await teacher.page.locator('#declare-submit').click();
    await teacher.page.locator('#records-status .alert.ok').waitFor();
    const resubmitted = await api(`/v1/records/${id}`, teacherToken);
    expect(resubmitted.state).toBe('submitted');
    expect(resubmitted.record.end).toBe('2026-09-25');
    const again = teacher.page.locator(`#records li[data-record-id="${id}"]`);
    expect(await again.getAttribute('data-state')).toBe('submitted');
    const history = await api(`/v1/records/${id}/history`, teacherToken);
    expect(history.items.map((h: any) => h.to)).toEqual(['submitted', 'returned', 'submitted']);

    // withdraw it, then resubmit it unchanged
    await again.locator('button[data-action="withdraw"]').click();
    await teacher.page.locator(`#records li[data-record-id="${id}"][data-state="withdrawn"]`).waitFor();
    await teacher.page.locator(`#records li[data-record-id="${id}"] button[data-action="resubmit"]`).click();
    await teacher.page.locator(`#records li[data-record-id="${id}"][data-state="submitted"]`).waitFor();
    expect((await api(`/v1/records/${id}`, teacherToken)).state).toBe('submitted');
    expect(unexpected(teacher.problems)).toEqual([]);
    await Promise.all([teacher.context.close(), reviewer.context.close()]);
  });

  it('approves several records at once; both pages fit a 375 px phone', async () => {
    const a = await apiPost('/v1/records', teacherToken, { kind: 'teaching_evaluation', date: '2026-10-10', score: 92 });
    const b = await apiPost('/v1/records', teacherToken, { kind: 'teaching_evaluation', date: '2026-10-20', score: 95 });

    const reviewer = await openPage(browser(), PHONE);
    await reviewer.page.goto(`${baseUrl}/review?kind=teaching_evaluation&unit=${encodeURIComponent(tokens.reviewerUnit)}`);
    await signIn(reviewer.page, tokens.unit_reviewer);
    for (const id of [a.record.id, b.record.id]) {
      const row = await queueRow(reviewer.page, id);
      await row.locator('input[type=checkbox]').check();
    }
    expect(await reviewer.page.locator('#bulk-approve').innerText()).toContain('2');
    expect(await horizontalOverflow(reviewer.page)).toBe(0);
    await reviewer.page.locator('#bulk-approve').click();
    await reviewer.page.locator('#bulk-result').waitFor();
    expect(await reviewer.page.locator('#bulk-result').innerText()).toContain('2');
    for (const id of [a.record.id, b.record.id]) expect((await api(`/v1/records/${id}`, tokens.unit_reviewer)).state).toBe('unit_approved');
    // a record's details with its preview area, still no sideways scroll
    await (await queueRow(reviewer.page, a.record.id)).locator('.open-record').click();
    await reviewer.page.locator('#detail-title').filter({ hasText: a.record.id }).waitFor();
    expect(await horizontalOverflow(reviewer.page)).toBe(0);
    await screenshot(reviewer.page, 'review-phone');
    expect(reviewer.problems).toEqual([]);

    const teacher = await openPage(browser(), PHONE);
    await openTeacherPage(teacher.page);
    await teacher.page.locator('#declare-open').click();
    await teacher.page.locator('#declare-kind').selectOption('enterprise_training');
    await teacher.page.locator('#f-trainees').waitFor();
    expect(await horizontalOverflow(teacher.page)).toBe(0);
    await screenshot(teacher.page, 'teacher-declare-phone');
    expect(teacher.problems).toEqual([]);
    await Promise.all([teacher.context.close(), reviewer.context.close()]);
  });
});
