import type { Appraisal, QuotaAppraisal } from '../appraisal.js';
import { toFraction } from '../exact.js';
import type { Policy } from '../policy.js';

/**
 * The last stage: the excellence quota per unit (SPEC §4), over appraisals already graded and vetoed. Kept apart
 * from scoring because it reads a whole unit, not one teacher.
 */

/**
 * Tie-break key for the excellence quota after the total: the capped points of the policy's tie-break
 * categories (`excellenceQuota.tieBreak`; the default: technology transfer + enterprise service), summed.
 */
// Points carry at most two decimals, so Math.round(x × 100) recovers their hundredths exactly.
function tieBreakHundredths(appraisal: Appraisal, categories: readonly string[]): number {
  let sum = 0;
  for (const id of categories) sum += Math.round((appraisal.categories[id]?.capped ?? 0) * 100);
  return sum;
}

/** Best first: total, then the tie-break categories' capped points, then practice days, then id. */
export function quotaOrder(a: Appraisal, b: Appraisal, categories: readonly string[]): number {
  return Math.round(b.total * 100) - Math.round(a.total * 100) || tieBreakHundredths(b, categories) - tieBreakHundredths(a, categories) || b.practiceDays - a.practiceDays || (a.teacherId < b.teacherId ? -1 : a.teacherId > b.teacherId ? 1 : 0);
}

/** `copy`: false when the appraisals are the caller's own, fresh from appraise(), and may be completed in place. */
export function quota(entries: ReadonlyArray<{ appraisal: Appraisal; unit: string }>, policy: Policy, copy = true): QuotaAppraisal[] {
  const rule = policy.appraisal.excellenceQuota;
  const share = toFraction(rule.maxShare);
  const units = new Map<string, number[]>();
  entries.forEach((entry, index) => {
    const members = units.get(entry.unit);
    if (members) members.push(index);
    else units.set(entry.unit, [index]);
  });
  const result: QuotaAppraisal[] = entries.map((entry) => {
    const appraisal = copy ? { ...entry.appraisal } : entry.appraisal;
    appraisal.finalGrade = appraisal.grade;
    return appraisal as QuotaAppraisal;
  });
  for (const [unit, members] of units) {
    const qualifiers = members.filter((index) => entries[index]!.appraisal.grade === rule.grade);
    if (qualifiers.length === 0) continue;
    let limit = Number((BigInt(members.length) * BigInt(share.num)) / BigInt(share.den));
    if (rule.atLeastOne && limit === 0) limit = 1;
    qualifiers.sort((a, b) => quotaOrder(entries[a]!.appraisal, entries[b]!.appraisal, rule.tieBreak));
    qualifiers.forEach((index, place) => {
      const kept = place < limit;
      result[index]!.finalGrade = kept ? rule.grade : rule.lowerTo;
      result[index]!.quota = { unit, unitSize: members.length, limit, position: place + 1, kept };
    });
  }
  return result;
}
