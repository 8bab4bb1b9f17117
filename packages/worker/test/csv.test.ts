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

import { ruleLabel, langOf } from '../src/i18n.js';
describe('labels', () => {
  it('names appraisal rules in zh and en', () => {
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
