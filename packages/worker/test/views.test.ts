import { labels } from '@shizi/core';
import { describe, expect, it } from 'vitest';
// views.ts's text, as Vite's ?raw import gives it (the tests run in workerd, without a file system)
import source from '../src/views.ts?raw';

// The worker's own response texts (appraisal reasons) name grades by core's grade labels, never by a copy of them.
describe('views.ts names no grade itself', () => {
  it.each(Object.entries(labels.grades))('holds no text of the %s label', (_grade, label) => {
    expect(source).not.toContain(label.zh);
    expect(source).not.toMatch(new RegExp(`['\`]grade below ${label.en}`));
  });

  it('a planted copy of a grade label is caught', () => {
    const planted = "label: lang === 'zh' ? '等次低于合格' : 'grade below competent'";
    expect(Object.values(labels.grades).some((label) => planted.includes(label.zh))).toBe(true);
  });
});
