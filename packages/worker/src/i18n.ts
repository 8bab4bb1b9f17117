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
  teacherCategory: (key: string | null | undefined, lang: Lang) => from(labels.teacherCategories, key, lang),
  grade: (key: string | null | undefined, lang: Lang) => from(labels.grades, key, lang),
  category: (key: string | null | undefined, lang: Lang) => from(labels.categories, key, lang),
  veto: (key: string | null | undefined, lang: Lang) => from(labels.vetoes, key, lang),
};
