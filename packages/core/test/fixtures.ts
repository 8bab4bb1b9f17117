import type { EvidenceRecord, Teacher } from '../src/index.js';

/** A teacher hired long ago, so no proration applies unless a test says so. */
export function teacher(overrides: Partial<Teacher> = {}): Teacher {
  return {
    id: 't1',
    name: '王老师',
    unit: '机电工程学院',
    hireDate: '2015-09-01',
    stage: 'new_teacher',
    stageSince: '2015-09-01',
    title: 'assistant',
    titleSince: '2015-09-01',
    ...overrides,
  };
}

let counter = 0;
type Without<K extends EvidenceRecord['kind']> = Omit<Extract<EvidenceRecord, { kind: K }>, 'id' | 'teacherId' | 'status' | 'kind'> & Partial<Pick<EvidenceRecord, 'id' | 'teacherId' | 'status'>>;

/** Build a verified record of `kind` for t1 with a fresh id; override anything. */
export function rec<K extends EvidenceRecord['kind']>(kind: K, fields: Without<K>): EvidenceRecord {
  counter += 1;
  return { id: `r${counter}`, teacherId: 't1', status: 'verified', kind, ...fields } as unknown as EvidenceRecord;
}

export function practice(start: string, end: string, extra: Partial<EvidenceRecord> = {}): EvidenceRecord {
  return rec('enterprise_practice', { start, end, enterprise: '某智能制造企业', ...(extra as object) });
}
