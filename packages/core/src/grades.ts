import type { Policy } from './policy.js';

/**
 * The appraisal's category and grade names, and the two helpers over them. This module imports no zod (only
 * the `Policy` type), so a bundle that needs just these stays a few hundred bytes.
 */

export const categoryIds = ['teaching', 'engineering_practice', 'technical_innovation', 'tech_transfer', 'enterprise_service'] as const;
export type CategoryId = (typeof categoryIds)[number];
/** Best first. The names are the domain's; where each band starts is policy. */
export const grades = ['excellent', 'competent', 'basic', 'incompetent'] as const;
export type Grade = (typeof grades)[number];

/**
 * Share of a team result: explicit `share` wins, else the rank table (rank defaults to 1).
 * @example
 * ```ts
 * shareOf({ rank: 2 }, defaultPolicy);     // 0.5 (the default rank table is 1, 0.5, 0.3, 0.2, 0.1)
 * shareOf({ share: 0.25 }, defaultPolicy); // 0.25
 * ```
 */
export function shareOf(record: { rank?: number | undefined; share?: number | undefined }, policy: Policy): number {
  if (record.share !== undefined) return record.share;
  return policy.shareByRank[rankShareIndex(record.rank, policy.shareByRank.length)]!;
}

/** Index into `shareByRank` for a rank: rank 1 when absent, and ranks past the table take its last entry. */
export function rankShareIndex(rank: number | undefined, tableLength: number): number {
  return Math.min(rank ?? 1, tableLength) - 1;
}

/**
 * True when `grade` is at least as good as `floor`.
 * @example
 * ```ts
 * gradeAtLeast('excellent', 'competent'); // true
 * gradeAtLeast('basic', 'competent');     // false
 * ```
 */
export function gradeAtLeast(grade: Grade, floor: Grade): boolean {
  return grades.indexOf(grade) <= grades.indexOf(floor);
}
