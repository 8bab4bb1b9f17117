import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupByTeacher, parseRecords, parseRecordsByTeacher, ValidationError, type EvidenceRecord } from '../src/index.js';
import { rec } from './fixtures.js';

const evaluation = (id: string, teacherId: string) => rec('teaching_evaluation', { id, teacherId, date: '2025-10-01', score: 90 });

/** Grouping the obvious way, to compare against. */
function naiveGroups(records: readonly EvidenceRecord[]): Map<string, EvidenceRecord[]> {
  const groups = new Map<string, EvidenceRecord[]>();
  for (const record of records) groups.set(record.teacherId, [...(groups.get(record.teacherId) ?? []), record]);
  return groups;
}

describe('groupByTeacher', () => {
  it('keeps each teacher’s records in input order, whether teachers come in runs or interleaved', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('t1', 't2', 't3', 't4'), { maxLength: 60 }), (teacherIds) => {
        const records = teacherIds.map((teacherId, index) => evaluation(`r${index}`, teacherId));
        const groups = groupByTeacher(records);
        expect([...groups.keys()]).toEqual([...new Set(teacherIds)]);
        expect(groups).toEqual(naiveGroups(records));
      }),
    );
  });
});

describe('parseRecordsByTeacher', () => {
  it('groups a valid list like parseRecords then groupByTeacher, returning the records as given', () => {
    const records = [evaluation('a', 't1'), evaluation('b', 't2'), evaluation('c', 't1')];
    const groups = parseRecordsByTeacher(records);
    expect(groups).toEqual(groupByTeacher(parseRecords(records)));
    expect(groups.get('t1')![1]).toBe(records[2]);
  });

  it('groups the records as zod outputs them when a list needs normalising', () => {
    const records = [evaluation('a', 't1'), rec('ethics_violation', { id: 'b', teacherId: 't2', date: '2025-10-01', description: '  trimmed  ' })];
    const groups = parseRecordsByTeacher(records);
    expect(groups.get('t2')![0]).toMatchObject({ description: 'trimmed' });
    expect(groups.get('t1')![0]).toEqual(records[0]);
  });

  it('names every bad path, and a duplicate id across teachers', () => {
    const bad = { ...evaluation('a', 't1'), date: '2025-02-30' };
    expect(() => parseRecordsByTeacher([evaluation('x', 't1'), bad])).toThrow(ValidationError);
    let thrown: unknown;
    try {
      parseRecordsByTeacher([evaluation('x', 't1'), bad, evaluation('x', 't2')]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual(['records[1].date', 'records[2].id']);
    expect(() => parseRecordsByTeacher('not a list')).toThrow(ValidationError);
  });

  it('rejects a repeated id among otherwise valid records, for parseRecords too', () => {
    const records = [evaluation('a', 't1'), evaluation('b', 't2'), evaluation('a', 't2')];
    for (const parse of [parseRecordsByTeacher, parseRecords]) {
      let thrown: unknown;
      try {
        parse(records);
      } catch (error) {
        thrown = error;
      }
      expect((thrown as ValidationError).issues).toEqual([{ path: 'records[2].id', message: 'duplicate record id "a" (also records[0])' }]);
    }
  });
});
