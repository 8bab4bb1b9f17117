import { describe, expect, it } from 'vitest';
import { defaultPolicy, unitDigest, type EvidenceRecord, type Policy } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';

// Monday 2026-08-17, 01:00 UTC: academic year 2025-2026 ends 2026-08-31, so 14 days are left after it.
const AT = '2026-08-17T01:00:00.000Z';
const teachers = [teacher({ id: 't1', name: '甲' }), teacher({ id: 't2', name: '乙' }), teacher({ id: 't3', name: '丙' }), teacher({ id: 't4', name: '丁' }), teacher({ id: 't5', name: '戊', hireDate: '2026-09-01' })];
const own = (teacherId: string, ...records: EvidenceRecord[]) => [teacherId, records.map((record) => ({ ...record, teacherId }))] as const;
const recordsByTeacher = new Map<string, EvidenceRecord[]>([
  own('t1', practice('2026-06-01', '2026-06-10')), // 10 days: 20 short, 14 left → at risk
  own('t2', practice('2026-06-01', '2026-06-20'), practice('2026-07-01', '2026-07-03', { status: 'pending' })), // 20 days: 10 short → short
  own('t3', practice('2026-06-01', '2026-06-30')), // 30 days: met
  own('t4', rec('practice_exemption', { year: 2025, reason: '产假' })), // exempt
]);
const label = { zh: '已提交', en: 'submitted' };
const waiting = [
  { recordId: 'r-old', teacherId: 't2', kind: 'enterprise_practice', state: 'submitted', stateLabel: label, since: '2026-07-17T01:00:00.000Z' }, // 31 days
  { recordId: 'r-edge', teacherId: 't1', kind: 'teaching_workload', state: 'unit_approved', stateLabel: { zh: '二级学院已审核', en: 'unit approved' }, since: '2026-07-18T00:00:00.000Z' }, // 30 days (and 23 h)
];

describe('unitDigest', () => {
  it('lists the teachers who may miss the year with the days each needs, at risk first', () => {
    const digest = unitDigest({ unit: '机电工程学院', at: AT, teachers, recordsByTeacher, waiting, policy: defaultPolicy });
    expect(digest).toMatchObject({ unit: '机电工程学院', asOf: '2026-08-17', year: 2025, yearLabel: '2025-2026', maxWaitDays: 30 });
    expect(digest.practice).toEqual([
      { teacherId: 't1', name: '甲', standing: 'at_risk', daysNeeded: 20, countedDays: 10, pendingDays: 0, requiredDays: 30, daysLeft: 14 },
      { teacherId: 't2', name: '乙', standing: 'short', daysNeeded: 10, countedDays: 20, pendingDays: 3, requiredDays: 30, daysLeft: 14 },
    ]);
  });

  it('lists records waiting longer than review.maxWaitDays (strictly), longest first', () => {
    const digest = unitDigest({ unit: 'u', at: AT, teachers, recordsByTeacher, waiting, policy: defaultPolicy });
    expect(digest.waiting.map((entry) => [entry.recordId, entry.waitingDays, entry.name])).toEqual([['r-old', 31, '乙']]);
    expect(digest.waiting[0]!.kindLabel.zh).toBe('企业实践');
    const strict: Policy = { ...defaultPolicy, review: { levels: 2, maxWaitDays: 10 } };
    const more = unitDigest({ unit: 'u', at: AT, teachers, recordsByTeacher, waiting, policy: strict });
    expect(more.maxWaitDays).toBe(10);
    expect(more.waiting.map((entry) => [entry.recordId, entry.waitingDays])).toEqual([
      ['r-old', 31],
      ['r-edge', 30],
    ]);
  });

  it('writes the mail text in both languages from the same figures', () => {
    const digest = unitDigest({ unit: '机电工程学院', at: AT, teachers, recordsByTeacher, waiting, policy: defaultPolicy });
    expect(digest.text.zh).toContain('企业实践可能不达标的教师：2 人');
    expect(digest.text.zh).toContain('- 甲（t1）：尚需 20 天，本学年剩余 14 天；已认定 10 天 / 要求 30 天，待审核 0 天【有风险】');
    expect(digest.text.zh).toContain('等待审核超过 30 天的材料：1 件');
    expect(digest.text.zh).toContain('r-old 企业实践（乙，t2）：已提交，自 2026-07-17 起已等待 31 天');
    expect(digest.text.en).toContain('- 乙 (t2): needs 10 more days, 14 days left in the year; 20 of 30 counted, 3 pending');
  });

  it('an empty unit has empty lists', () => {
    const digest = unitDigest({ unit: 'u', at: AT, teachers: [], recordsByTeacher: new Map(), waiting: [], policy: defaultPolicy });
    expect(digest.practice).toEqual([]);
    expect(digest.waiting).toEqual([]);
  });
});
