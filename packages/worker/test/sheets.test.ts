import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/app.js';
import { decodeCsv, EncodingError } from '../src/sheets/decode.js';
import { toIsoDate, toNumber } from '../src/sheets/read.js';
import { call, env, jsonOf, setupKeys, uid, type Keys } from './helpers.js';

let keys: Keys;
beforeAll(async () => {
  keys = await setupKeys();
});

const fixtures = JSON.parse(env.FIXTURES) as Record<string, string>;
function fixture(name: string): Uint8Array {
  return Uint8Array.from(atob(fixtures[name]!), (ch) => ch.charCodeAt(0));
}
/** Replace the fixture's ids (G001, GR1, …) with unique ones, byte for byte (ids are ASCII in every encoding). */
function withPrefix(bytes: Uint8Array, prefix: string): Uint8Array {
  const out: number[] = [];
  for (let index = 0; index < bytes.length; index++) {
    if (bytes[index] === 0x47 && (bytes[index + 1] === 0x30 || bytes[index + 1] === 0x52) && (bytes[index - 1] === 0x2c || bytes[index - 1] === 0x0a)) {
      for (const byte of new TextEncoder().encode(prefix)) out.push(byte);
    }
    out.push(bytes[index]!);
  }
  return Uint8Array.from(out);
}

async function upload(body: Uint8Array | string, contentType: string | null, query = '', lang = 'zh-CN') {
  const headers: Record<string, string> = { authorization: `Bearer ${keys.hr}`, 'accept-language': lang };
  if (contentType) headers['content-type'] = contentType;
  return app.request(`http://localhost/v1/import${query}`, { method: 'POST', headers, body }, env);
}
const count = async (table: string, prefix: string) => (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE id LIKE ?`).bind(`${prefix}%`).first<{ n: number }>())!.n;

describe('CSV decoding', () => {
  it('workerd decodes GB18030/GBK through the platform TextDecoder, fatal on bad bytes', () => {
    expect(new TextDecoder('gb18030').encoding).toBe('gb18030');
    expect(new TextDecoder('gbk').decode(new Uint8Array([0xd5, 0xc5, 0xd6, 0xbe, 0xc7, 0xbf]))).toBe('张志强');
    expect(() => new TextDecoder('gb18030', { fatal: true, ignoreBOM: false }).decode(new Uint8Array([0xd5, 0x0d]))).toThrow();
  });
  it('detects UTF-8 with and without BOM, and GBK', () => {
    const text = '工号,姓名\r\nG1,张志强\r\n';
    expect(decodeCsv(new TextEncoder().encode(text))).toEqual({ text, encoding: 'utf-8' });
    expect(decodeCsv(new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]))).toEqual({ text, encoding: 'utf-8' });
    const gbk = decodeCsv(fixture('teachers-gbk.csv'));
    expect(gbk.encoding).toBe('gb18030');
    expect(gbk.text).toContain('G001,张志强,智能制造学院,2023/9/1,新教师');
  });
  it('refuses UTF-16, Latin-1 and Big5 naming what it found, and a declared foreign charset', () => {
    const found = (bytes: Uint8Array, charset: string | null = null) => {
      try {
        decodeCsv(bytes, charset);
      } catch (error) {
        if (error instanceof EncodingError) return error.found;
        throw error;
      }
      return 'accepted';
    };
    expect(found(fixture('teachers-utf16.csv'))).toBe('utf-16le');
    expect(found(fixture('latin1.csv'))).toBe('unknown');
    expect(found(fixture('teachers-big5.csv'))).toBe('unknown');
    expect(found(new TextEncoder().encode('a,b'), 'shift_jis')).toBe('shift_jis');
    expect(found(new TextEncoder().encode('a\u0001,b'))).toMatch(/control character U\+0001/);
  });
});

describe('cell values as HR offices write them', () => {
  it('dates', () => {
    expect(toIsoDate('2023-09-01')).toBe('2023-09-01');
    expect(toIsoDate('2023/9/1')).toBe('2023-09-01');
    expect(toIsoDate('2023年9月1日')).toBe('2023-09-01');
    expect(toIsoDate('2023.9.1')).toBe('2023-09-01');
    expect(toIsoDate(45170)).toBe('2023-09-01'); // Excel serial
    expect(toIsoDate('45170')).toBe('2023-09-01');
    expect(toIsoDate(new Date(Date.UTC(2023, 8, 1)))).toBe('2023-09-01');
    expect(toIsoDate('2023/2/30')).toBeNull();
    expect(toIsoDate('2023-13-01')).toBeNull();
    expect(toIsoDate('next monday')).toBeNull();
  });
  it('numbers', () => {
    expect(toNumber('15,000', 'amountYuan')).toBe(15000);
    expect(toNumber('¥1,234,567元', 'amountYuan')).toBe(1234567);
    expect(toNumber('１５，０００', 'amountYuan')).toBe(15000);
    expect(toNumber('30%', 'share')).toBe(0.3);
    expect(toNumber('2024-2025学年', 'year')).toBe(2024);
    expect(toNumber('2024-2026', 'year')).toBeNull();
    expect(toNumber('1,5', 'hours')).toBeNull();
    expect(toNumber('lots', 'hours')).toBeNull();
    expect(toNumber(12.5, 'hours')).toBe(12.5);
  });
});

describe('CSV import as HR offices have it', () => {
  it('a GBK teachers sheet with Chinese headings and values imports intact', async () => {
    const prefix = uid('gbk');
    const response = await upload(withPrefix(fixture('teachers-gbk.csv'), prefix), 'text/csv');
    expect(response.status, await response.clone().text()).toBe(201);
    expect((await jsonOf(response)).imported).toEqual({ teachers: 2, records: 0 });
    const t = await jsonOf(await call('GET', `/v1/teachers/${prefix}G001`, { token: keys.hr }));
    expect(t).toMatchObject({ name: '张志强', unit: '智能制造学院', hireDate: '2023-09-01', stage: 'new_teacher', stageSince: '2023-09-01', title: 'assistant', titleSince: '2023-09-01' });
    const u = await jsonOf(await call('GET', `/v1/teachers/${prefix}G002`, { token: keys.hr }));
    expect(u).toMatchObject({ name: '欧阳·丽娜', unit: '信息工程学院,软件系', stage: 'backbone_teacher', title: 'lecturer', titleSince: '2021-06-30' });
    // then a GBK records sheet with a kind column, Chinese enum values and "15,000"
    const records = await upload(withPrefix(fixture('records-gbk.csv'), prefix), 'application/vnd.ms-excel');
    expect(records.status, await records.clone().text()).toBe(201);
    const r1 = await jsonOf(await call('GET', `/v1/records/${prefix}GR1`, { token: keys.hr }));
    expect(r1.record).toEqual({ id: `${prefix}GR1`, teacherId: `${prefix}G001`, kind: 'skill_competition', status: 'verified', date: '2024-05-20', level: 'national', award: 'first', role: 'coach', rank: 1 });
    const r2 = await jsonOf(await call('GET', `/v1/records/${prefix}GR2`, { token: keys.hr }));
    expect(r2.record).toEqual({ id: `${prefix}GR2`, teacherId: `${prefix}G002`, kind: 'horizontal_project', status: 'pending', date: '2024-10-08', amountYuan: 15000, partner: '深圳某数控企业', rank: 2 });
  });

  it('UTF-16, Big5 and Latin-1 files are refused with 415 naming the encoding, and nothing is stored', async () => {
    for (const [name, found] of [
      ['teachers-utf16.csv', 'utf-16le'],
      ['teachers-big5.csv', 'unknown'],
      ['latin1.csv', 'unknown'],
    ] as const) {
      const prefix = uid('enc');
      const response = await upload(withPrefix(fixture(name), prefix), 'text/csv');
      expect(response.status, name).toBe(415);
      const problem = await jsonOf(response);
      expect(problem.encoding).toBe(found);
      expect(problem.detail).toContain('UTF-8');
      expect(problem.detail).toContain('GBK');
      expect(await count('teachers', prefix)).toBe(0);
    }
  });

  it('errors name the sheet, Excel row, heading, value and expectation, in Chinese or English', async () => {
    const prefix = uid('err');
    const csv = `工号,姓名,部门,入职日期,成长阶段,阶段起始日期,职称,职称取得日期\r\n${prefix}1,王芳,智能制造学院,2023/9/1,新教师,2023/9/1,助教,2023/9/1\r\n\r\n${prefix}2,李雷,智能制造学院,2023/2/30,大师,2023/9/1,助教,\r\n`;
    const zh = await upload(csv, 'text/csv; charset=utf-8');
    expect(zh.status).toBe(400);
    const problem = await jsonOf(zh);
    expect(problem.detail).toContain('未写入任何数据');
    expect(problem.errors).toEqual([
      { path: 'csv[4].hireDate', sheet: 'csv', row: 4, column: '入职日期', value: '2023/2/30', message: expect.stringContaining('「csv」第 4 行「入职日期」：2023/2/30 不是有效日期') },
      { path: 'csv[4].stage', sheet: 'csv', row: 4, column: '成长阶段', value: '大师', message: expect.stringContaining('不是可选值（应为 新教师、骨干教师、专业带头人、专业群负责人 之一）') },
      { path: 'csv[4].titleSince', sheet: 'csv', row: 4, column: '职称取得日期', value: null, message: '「csv」第 4 行「职称取得日期」：必须填写' },
    ]);
    const en = await jsonOf(await upload(csv, 'text/csv', '', 'en'));
    expect(en.errors[0].message).toBe('Sheet "csv", row 4, column "入职日期": 2023/2/30 is not a valid date (expected 2023-09-01, 2023/9/1 or 2023年9月1日)');
    expect(await count('teachers', prefix)).toBe(0);
  });

  it('an unknown heading, an unknown kind, a duplicate id and an unknown teacher are each named', async () => {
    const prefix = uid('err');
    const unknownHeading = await jsonOf(await upload('工号,姓名,爱好\r\nx,y,z\r\n', 'text/csv'));
    const messages = unknownHeading.errors.map((e: { message: string }) => e.message);
    expect(messages[0]).toContain('「csv」第 1 行「爱好」：不是可识别的列名（可用：工号、姓名、部门');
    expect(messages).toContain('「csv」第 2 行「入职日期」：缺少此列（必填）');
    const csv = `记录编号,工号,类型,审核状态,日期,评分\r\n${prefix}a,nobody,教学评价,已审核,2024/3/1,90\r\n${prefix}a,nobody,教学评价,已审核,2024/3/1,90\r\n${prefix}b,nobody,吃饭,已审核,2024/3/1,90\r\n`;
    const problem = await jsonOf(await upload(csv, 'text/csv'));
    expect(problem.errors.map((e: { path: string }) => e.path)).toEqual(['csv[4].kind', 'csv[3].id', 'csv[2].teacherId', 'csv[3].teacherId']);
    expect(problem.errors[1].message).toContain('与「csv」第 2 行的记录编号重复');
  });

  it('dry run reports created, replaced and unchanged, and writes nothing', async () => {
    const prefix = uid('dry');
    const row = (id: string, name: string) => `${prefix}${id},${name},智能制造学院,2023/9/1,新教师,2023/9/1,助教,2023/9/1`;
    const head = '工号,姓名,部门,入职日期,成长阶段,阶段起始日期,职称,职称取得日期\r\n';
    expect((await upload(`${head}${row('a', '甲')}\r\n${row('b', '乙')}\r\n`, 'text/csv')).status).toBe(201);
    const response = await upload(`${head}${row('a', '甲')}\r\n${row('b', '乙二')}\r\n${row('c', '丙')}\r\n`, 'text/csv', '?dryRun=true');
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({
      dryRun: true,
      wouldImport: { teachers: 3, records: 0 },
      teachers: { created: [`${prefix}c`], replaced: [`${prefix}b`], unchanged: [`${prefix}a`] },
      records: { created: [], replaced: [], unchanged: [] },
    });
    expect(await count('teachers', prefix)).toBe(2);
    const b = await jsonOf(await call('GET', `/v1/teachers/${prefix}b`, { token: keys.hr }));
    expect(b.name).toBe('乙');
  });

  it('the row cap counts teachers and records together; a missing Content-Type says what is accepted', async () => {
    const teachers = Array.from({ length: 10_001 }, (_, index) => ({ id: `cap${index}`, name: 'x', unit: 'u', hireDate: '2020-01-01', stage: 'new_teacher', stageSince: '2020-01-01', title: 'assistant', titleSince: '2020-01-01' }));
    const records = Array.from({ length: 10_000 }, (_, index) => ({ id: `capr${index}`, teacherId: 'cap0', kind: 'teaching_workload', status: 'verified', year: 2024, hours: 1 }));
    const tooMany = await call('POST', '/v1/import', { token: keys.hr, body: { teachers, records } });
    expect(tooMany.status).toBe(400);
    expect((await jsonOf(tooMany)).errors).toEqual([{ path: '(root)', message: expect.stringContaining('20000 rows per import, teachers and records together') }]);
    const none = await upload('a,b', null);
    expect(none.status).toBe(415);
    const problem = await jsonOf(none);
    expect(problem.accepted).toEqual(['application/json', 'text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet']);
    expect(problem.detail).toContain('text/csv');
  });
});
