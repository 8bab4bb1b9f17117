import type { Context } from 'hono';
import { labels } from '@shizi/core';

export type Lang = 'zh' | 'en';
export interface Bilingual {
  zh: string;
  en: string;
}

/** Accept-Language: the first of zh/en in preference order; Chinese by default. */
export function langOf(c: Context): Lang {
  const header = c.req.header('accept-language');
  if (!header) return 'zh';
  const ranked = header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) : 1, index };
    })
    .filter((entry) => entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const entry of ranked) {
    if (entry.tag.startsWith('en')) return 'en';
    if (entry.tag.startsWith('zh')) return 'zh';
  }
  return 'zh';
}

export function pick(value: Bilingual | undefined, lang: Lang, fallback = ''): string {
  return value ? value[lang] : fallback;
}

type LabelTable = Record<string, Bilingual>;
function from(table: unknown, key: string | null | undefined, lang: Lang): string | null {
  if (key === null || key === undefined) return null;
  const entry = (table as LabelTable)[key];
  return entry ? entry[lang] : key;
}

export const label = {
  stage: (key: string | null | undefined, lang: Lang) => from(labels.stages, key, lang),
  title: (key: string | null | undefined, lang: Lang) => from(labels.titles, key, lang),
  grade: (key: string | null | undefined, lang: Lang) => from(labels.grades, key, lang),
  category: (key: string | null | undefined, lang: Lang) => from(labels.categories, key, lang),
  veto: (key: string | null | undefined, lang: Lang) => from(labels.vetoes, key, lang),
  kind: (key: string | null | undefined, lang: Lang) => from(labels.recordKinds, key, lang),
};

/** Display names of the value words that appear in appraisal rule ids (`skill_competition.national.first`). */
const valueWords: Record<string, Bilingual> = {
  worksheet: { zh: '项目工作页', en: 'worksheet' },
  slides: { zh: '课件', en: 'slides' },
  micro_lecture: { zh: '微课', en: 'micro-lecture' },
  question_bank: { zh: '题库', en: 'question bank' },
  national: { zh: '国家级', en: 'national' },
  provincial: { zh: '省级', en: 'provincial' },
  municipal: { zh: '市级', en: 'municipal' },
  school: { zh: '校级', en: 'school' },
  first: { zh: '一等奖', en: 'first prize' },
  second: { zh: '二等奖', en: 'second prize' },
  third: { zh: '三等奖', en: 'third prize' },
  excellence: { zh: '优秀奖', en: 'excellence award' },
  invention: { zh: '发明专利', en: 'invention' },
  utility_model: { zh: '实用新型', en: 'utility model' },
  software_copyright: { zh: '软件著作权', en: 'software copyright' },
  mentor_passed: { zh: '师傅（徒弟已出师）', en: 'mentor, mentee passed' },
};
const wholeRules: Record<string, Bilingual> = {
  practice_days: { zh: '企业实践天数', en: 'enterprise practice days' },
  international_training_days: { zh: '国际研修天数', en: 'international training days' },
};

/** `skill_competition.national.first` → `技能竞赛 · 国家级 · 一等奖` / `skill competition · national · first prize`. */
export function ruleLabel(rule: string, lang: Lang): string {
  const whole = wholeRules[rule];
  if (whole) return whole[lang];
  const [kind = '', ...rest] = rule.split('.');
  const words = [(labels.recordKinds as Record<string, Bilingual>)[kind]?.[lang] ?? kind];
  for (const word of rest) {
    const entry = valueWords[word] ?? (labels.certTypes as Record<string, Bilingual>)[word] ?? (labels.certLevels as Record<string, Bilingual>)[word];
    words.push(entry ? entry[lang] : word);
  }
  return words.join(' · ');
}
