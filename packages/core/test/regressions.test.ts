/**
 * Regressions found by the property tests (oracle comparison, properties.test.ts): line inputs (hours,
 * scores) used to be rounded to 0.01 before the line was computed. Lines are now summed exactly and rounded once.
 */
import { describe, expect, it } from 'vitest';
import { scoreAppraisal, type EvidenceRecord, type Teacher } from '../src/index.js';

const teacher: Teacher = { id: 't', name: 'T', unit: 'u', hireDate: '2015-09-01', stage: 'new_teacher', stageSince: '2015-09-01', title: 'lecturer', titleSince: '2015-09-01' };

describe('appraisal.ts rounds line inputs to 0.01 before the line is computed (SPEC §4: exact, rounded once as a line)', () => {
  it('teaching_evaluation: a score of 87.049 gives 0.10 × 87.049 = 8.7049 → 8.70 points (library: 8.71)', () => {
    // score() does evaluationHundredths += toHundredths(record.score): 87.049 becomes 87.05, so 8.705 → 8.71.
    const records: EvidenceRecord[] = [{ id: 'e', teacherId: 't', status: 'verified', kind: 'teaching_evaluation', date: '2024-10-01', score: 87.049 }];
    const a = scoreAppraisal({ teacher, records, year: 2024 });
    expect(a.items.find((i) => i.rule === 'teaching_evaluation')!.points).toBe(8.7);
    expect(a.categories.teaching!.raw).toBe(8.7);
  });

  it('teaching_evaluation: two scores of 87.045 (mean 87.045) give 8.7045 → 8.70 points (library: 8.71)', () => {
    const records: EvidenceRecord[] = [
      { id: 'e1', teacherId: 't', status: 'verified', kind: 'teaching_evaluation', date: '2024-10-01', score: 87.045 },
      { id: 'e2', teacherId: 't', status: 'verified', kind: 'teaching_evaluation', date: '2025-03-01', score: 87.045 },
    ];
    expect(scoreAppraisal({ teacher, records, year: 2024 }).categories.teaching!.raw).toBe(8.7);
  });

  it('teaching_workload: 20 records of 0.0049 h (0.098 h) give 0.098 / 280 × 15 = 0.00525 → 0.01 points (library: 0)', () => {
    // score() does workloadHundredths += toHundredths(record.hours): each 0.0049 becomes 0.
    const records = Array.from({ length: 20 }, (_, i): EvidenceRecord => ({ id: `w${i}`, teacherId: 't', status: 'verified', kind: 'teaching_workload', year: 2024, hours: 0.0049 }));
    expect(scoreAppraisal({ teacher, records, year: 2024 }).categories.teaching!.raw).toBe(0.01);
  });
});
