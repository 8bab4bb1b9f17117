import { describe, expect, it } from 'vitest';
import { csvCell, parseCsv, toCsv } from '../src/csv.js';

describe('CSV (RFC 4180, Excel-friendly)', () => {
  it('quotes commas, quotes, newlines and keeps Chinese, with BOM and CRLF', () => {
    const text = toCsv(
      ['姓名', 'note'],
      [
        ['王伟', 'plain'],
        ['李,娜', 'say "hi"'],
        ['张\n三', 'line1\r\nline2'],
        ['赵六', null],
        [' 空格 ', 3.5],
      ],
    );
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toBe('\uFEFF姓名,note\r\n王伟,plain\r\n"李,娜","say ""hi"""\r\n"张\n三","line1\r\nline2"\r\n赵六,\r\n" 空格 ",3.5\r\n');
    expect(parseCsv(text)).toEqual([
      ['姓名', 'note'],
      ['王伟', 'plain'],
      ['李,娜', 'say "hi"'],
      ['张\n三', 'line1\r\nline2'],
      ['赵六', ''],
      [' 空格 ', '3.5'],
    ]);
  });
  it('encodes as UTF-8 bytes with the BOM first', () => {
    const bytes = new TextEncoder().encode(toCsv(['名'], [['陈']]));
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
  it('cells', () => {
    expect(csvCell(undefined)).toBe('');
    expect(csvCell('a"b')).toBe('"a""b"');
    expect(csvCell(true)).toBe('true');
  });
  it('parses LF-only files and refuses an unterminated quote', () => {
    expect(parseCsv('a,b\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(() => parseCsv('a,"b\n')).toThrow();
  });
});

import { langOf } from '../src/i18n.js';
import { traceRuleLabel } from '@shizi/core';
describe('labels', () => {
  it('names appraisal rules in zh and en (the trace lines of the default policy)', () => {
    const ruleLabel = (rule: string, lang: 'zh' | 'en') => traceRuleLabel(rule, defaultPolicy)[lang];
    expect(ruleLabel('skill_competition.national.first', 'zh')).toBe('技能竞赛 · 国家级 · 一等奖');
    expect(ruleLabel('skill_competition.national.first', 'en')).toBe('skill competition · national · first prize');
    expect(ruleLabel('practice_days', 'en')).toBe('enterprise practice days');
    expect(ruleLabel('certificate.dual_qualified.senior', 'zh')).toBe('证书 · 双师型 · 高级');
  });
  it('reads Accept-Language, Chinese by default', () => {
    const ctx = (value?: string) => ({ req: { header: () => value } }) as never;
    expect(langOf(ctx())).toBe('zh');
    expect(langOf(ctx('en-GB,en;q=0.8'))).toBe('en');
    expect(langOf(ctx('zh-CN,zh;q=0.9,en;q=0.8'))).toBe('zh');
    expect(langOf(ctx('fr, en;q=0.5'))).toBe('en');
    expect(langOf(ctx('en;q=0, zh'))).toBe('zh');
  });
});

import { defaultPolicy, type Appraisal, type Policy } from '@shizi/core';
import { appraisalCsv } from '../src/routes/appraisals.js';
describe('the appraisal CSV (GET /v1/appraisals?format=csv)', () => {
  // A policy whose categories differ from the default's: reordered, one renamed, one added.
  const [teaching, engineering, innovation, transfer, service] = defaultPolicy.appraisal.categories;
  const policy: Policy = {
    ...defaultPolicy,
    appraisal: { ...defaultPolicy.appraisal, categories: [{ ...innovation!, id: 'research', label: { zh: '科研成果', en: 'Research' } }, teaching!, engineering!, transfer!, service!, { id: 'ideology', label: { zh: '课程思政', en: 'Ideology in courses' }, cap: 5 }] },
  };
  const score = (capped: number) => ({ raw: capped, capped, cap: 30 });
  const appraisal = {
    teacherId: 'T1',
    year: 2025,
    total: 12.5,
    grade: 'competent',
    finalGrade: 'competent',
    vetoes: [],
    titleReviewEligible: true,
    practiceDays: 31,
    categories: { research: score(4), teaching: score(8.5), engineering_practice: score(0), tech_transfer: score(0), enterprise_service: score(0) },
  } as unknown as Appraisal;

  it('has one column per category of the policy, in its order, named by its label in the asked language', () => {
    for (const [lang, names] of [
      ['zh', ['科研成果', teaching!.label.zh, engineering!.label.zh, transfer!.label.zh, service!.label.zh, '课程思政']],
      ['en', ['Research', teaching!.label.en, engineering!.label.en, transfer!.label.en, service!.label.en, 'Ideology in courses']],
    ] as const) {
      const [header, row] = parseCsv(appraisalCsv([{ rank: 1, name: '王伟', unit: '智能制造学院', appraisal }], policy, lang, 2025));
      const first = header!.indexOf(names[0]);
      expect(header!.slice(first, first + names.length)).toEqual(names);
      expect(header!.slice(first + names.length)).toEqual([lang === 'zh' ? '企业实践天数' : 'practice days']);
      // points by category id, two decimals; a category the appraisal has no score in reads 0.00
      expect(row!.slice(first, first + names.length)).toEqual(['4.00', '8.50', '0.00', '0.00', '0.00', '0.00']);
      expect(header!.join()).not.toContain(innovation!.label[lang]);
    }
  });
});
