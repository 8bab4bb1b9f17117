import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appraise, defaultPolicy, growthFileOf, parsePolicy, practiceStatus, stageHistory, type EvidenceRecord, type StageEvent } from '../src/index.js';
import { practice, rec, teacher } from './fixtures.js';
import { shuffled } from './arbitraries.js';

const policy = parsePolicy(defaultPolicy);
// Hired 2022-09-01 (academic year 2022-2023); asOf 2025-10-01 is in 2025-2026: four years, 2022 … 2025.
const hired = teacher({ hireDate: '2022-09-01', stageSince: '2022-09-01', stage: 'backbone_teacher' });
const asOf = '2025-10-01';

describe('growthFileOf — years', () => {
  it('covers the hire year to the current one, placing each record in its first year, by date then id', () => {
    const a = practice('2023-07-01', '2023-07-30'); // 2022-2023
    const b = practice('2023-08-25', '2023-09-10'); // spans 2022 and 2023: placed in 2022, after a
    const c = rec('teaching_workload', { year: 2024, hours: 300 });
    const file = growthFileOf(hired, [c, b, a], [], asOf, policy);
    expect(file.currentYear).toBe(2025);
    expect(file.years.map((y) => y.year)).toEqual([2022, 2023, 2024, 2025]);
    expect(file.years.map((y) => y.recordIds)).toEqual([[a.id, b.id], [], [c.id], []]);
    expect(file.years.map((y) => y.closed)).toEqual([true, true, true, false]);
  });

  it('each year carries the same practice status and appraisal the single-year rules give', () => {
    const records = [practice('2023-07-01', '2023-07-30'), practice('2024-10-01', '2024-10-20'), rec('teaching_workload', { year: 2024, hours: 300 })];
    const file = growthFileOf(hired, records, [], asOf, policy);
    for (const entry of file.years) {
      expect(entry.practice).toEqual(practiceStatus(hired, records, entry.year, policy, asOf));
      expect(entry.appraisal).toEqual(appraise(hired, records, entry.year, policy));
    }
    // 2022-2023: 30 distinct days counted (2023-07-01 … 07-30)
    expect(file.years[0]!.practice.countedDays).toBe(30);
    expect(file.years[2]!.practice.countedDays).toBe(20);
  });

  it('a record before the hire year opens the file earlier, with no appraisal for that year; a later one extends it', () => {
    const before = rec('certificate', { date: '2020-05-01', certType: 'vocational', level: 'junior' });
    const later = rec('teaching_workload', { year: 2027, hours: 10 });
    const file = growthFileOf(hired, [later, before], [], asOf, policy);
    expect(file.years.map((y) => y.year)).toEqual([2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027]);
    expect(file.years.map((y) => y.appraisal === null)).toEqual([true, true, true, false, false, false, false, true, true]);
    expect(file.years[0]!.recordIds).toEqual([before.id]);
    expect(file.years[8]!.recordIds).toEqual([later.id]);
  });

  it('includes the 双师型 assessment as of asOf', () => {
    const file = growthFileOf(hired, [], [], asOf, policy);
    expect(file.dualQualified.tierMet).toBe('none');
    expect(file.dualQualified.tiers.map((tier) => tier.tier)).toEqual(['junior', 'intermediate', 'senior']);
  });

  it('shuffling the records or the events changes nothing', () => {
    const records: EvidenceRecord[] = [
      practice('2023-07-01', '2023-07-30'),
      practice('2023-07-15', '2023-08-10'),
      rec('teaching_workload', { year: 2024, hours: 300 }),
      rec('certificate', { date: '2024-05-01', certType: 'vocational', level: 'junior' }),
      rec('teaching_workload', { year: 2023, hours: 120, status: 'pending' }),
    ];
    const events = sampleEvents();
    const expected = growthFileOf(hired, records, events, asOf, policy);
    fc.assert(
      fc.property(shuffled(records), shuffled(events), (r, e) => {
        expect(growthFileOf(hired, r, e, asOf, policy)).toEqual(expected);
      }),
      { numRuns: 30 },
    );
  });
});

function sampleEvents(): StageEvent[] {
  return [
    { at: '2022-09-02T08:00:00.000Z', kind: 'created', from: null, to: { stage: 'new_teacher', since: '2022-09-01' }, reason: null },
    { at: '2022-09-05T08:00:00.000Z', kind: 'correction', from: { stage: 'new_teacher', since: '2022-09-01' }, to: { stage: 'backbone_teacher', since: '2021-09-01' }, reason: '入职时阶段录入错误' },
    { at: '2024-09-01T08:00:00.000Z', kind: 'promotion', from: { stage: 'backbone_teacher', since: null }, to: { stage: 'program_leader', since: '2024-09-01' }, reason: null },
  ];
}

describe('stageHistory', () => {
  it('no recorded change: the stage on file', () => {
    expect(stageHistory(hired, [])).toEqual([{ stage: 'backbone_teacher', since: '2022-09-01', how: 'recorded', at: null, reason: null, superseded: false }]);
  });

  it('creation, a correction (superseding the wrong entry) and a promotion, in the order made', () => {
    const now = teacher({ stage: 'program_leader', stageSince: '2024-09-01' });
    const history = stageHistory(now, [...sampleEvents()].reverse());
    expect(history.map((p) => [p.stage, p.since, p.how, p.superseded])).toEqual([
      ['new_teacher', '2022-09-01', 'created', true],
      ['backbone_teacher', '2021-09-01', 'correction', false],
      ['program_leader', '2024-09-01', 'promotion', false],
    ]);
    expect(history[1]!.reason).toBe('入职时阶段录入错误');
  });

  it('without a creation event the first known stage is the first change’s "before"; a stored stage unlike the last change closes the list', () => {
    const now = teacher({ stage: 'cluster_lead', stageSince: '2026-01-01' });
    const history = stageHistory(now, [{ at: '2024-09-01T00:00:00.000Z', kind: 'promotion_override', from: { stage: 'new_teacher', since: null }, to: { stage: 'backbone_teacher', since: '2024-09-01' }, reason: '特批' }]);
    expect(history.map((p) => [p.stage, p.since, p.how])).toEqual([
      ['new_teacher', null, 'recorded'],
      ['backbone_teacher', '2024-09-01', 'promotion_override'],
      ['cluster_lead', '2026-01-01', 'recorded'],
    ]);
  });

  it('an import that left the stage fields alone is no change', () => {
    const history = stageHistory(hired, [{ at: '2024-01-01T00:00:00.000Z', kind: 'import', from: { stage: 'backbone_teacher', since: '2022-09-01' }, to: { stage: 'backbone_teacher', since: '2022-09-01' }, reason: null }]);
    expect(history).toHaveLength(1);
  });
});
