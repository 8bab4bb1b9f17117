/**
 * Exact arithmetic for points and money. Points are carried as integer hundredths, money as integer yuan,
 * and every policy rate or share is turned into a decimal fraction (`0.3` → 3/10) read from its shortest
 * decimal spelling, so `15000 yuan × 2 points per 10000 × 0.3` is exactly 0.90 points, never 0.8999….
 */

/** A non-negative fraction whose denominator is a power of ten (the form every JSON decimal has). */
export interface Fraction {
  readonly num: bigint | number;
  readonly den: bigint | number;
}

/** `0.25` → {num: 25, den: 100}; `1e-7` → {num: 1, den: 10000000}. Throws on non-finite input. */
export function toFraction(value: number): Fraction {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  if (Number.isInteger(value)) return { num: value, den: 1 };
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(text);
  if (!match) throw new RangeError(`cannot read decimal ${text}`);
  const [, sign, intPart, fracPart = '', expPart] = match;
  let digits = intPart + fracPart;
  let scale = fracPart.length - (expPart ? Number(expPart) : 0);
  if (scale < 0) {
    digits += '0'.repeat(-scale);
    scale = 0;
  }
  const num = BigInt(sign + digits);
  const den = 10n ** BigInt(scale);
  return narrow(num, den);
}

function narrow(num: bigint, den: bigint): Fraction {
  const small = (x: bigint) => x <= BigInt(Number.MAX_SAFE_INTEGER) && x >= -BigInt(Number.MAX_SAFE_INTEGER);
  return small(num) && small(den) ? { num: Number(num), den: Number(den) } : { num, den };
}

/**
 * Round `Π numerators / Π denominators` half-up to an integer. Uses plain numbers while every product is a
 * safe integer (the common case, and fast) and BigInt otherwise. Inputs must be non-negative.
 */
export function roundedQuotient(numerators: ReadonlyArray<bigint | number>, denominators: ReadonlyArray<bigint | number>): number {
  let num = 1;
  let den = 1;
  let safe = true;
  // Indexed loops: callers pass short array literals, and an iterator would allocate in unoptimised code.
  for (let index = 0; index < numerators.length; index++) {
    const factor = numerators[index]!;
    if (typeof factor !== 'number') {
      safe = false;
      break;
    }
    num *= factor;
    if (!Number.isSafeInteger(num)) {
      safe = false;
      break;
    }
  }
  if (safe) {
    for (let index = 0; index < denominators.length; index++) {
      const factor = denominators[index]!;
      if (typeof factor !== 'number') {
        safe = false;
        break;
      }
      den *= factor;
      if (!Number.isSafeInteger(den)) {
        safe = false;
        break;
      }
    }
  }
  if (safe && Number.isSafeInteger(num * 2)) {
    // Half-up: floor((2·num + den) / (2·den)).
    const quotient = Math.floor(num / den);
    const remainder = num - quotient * den;
    return remainder * 2 >= den ? quotient + 1 : quotient;
  }
  let bigNum = 1n;
  let bigDen = 1n;
  for (const factor of numerators) bigNum *= BigInt(factor);
  for (const factor of denominators) bigDen *= BigInt(factor);
  const quotient = bigNum / bigDen;
  const remainder = bigNum - quotient * bigDen;
  return Number(remainder * 2n >= bigDen ? quotient + 1n : quotient);
}

/** Hundredths → the number a person reads (`45` → `0.45`). Division by 100 of an integer prints exactly. */
export function fromHundredths(hundredths: number): number {
  return hundredths / 100;
}

/** A number with at most two decimals → integer hundredths, rounding half-up beyond that. */
export function toHundredths(value: number): number {
  const { num, den } = toFraction(Math.abs(value));
  const magnitude = roundedQuotient([num, 100], [den]);
  return value < 0 ? -magnitude : magnitude;
}

/**
 * An exact running sum of `amount × fraction` terms (share-weighted yuan, trainee-hours, hours, scores), so
 * thresholds compare exactly. Values with at most two decimals (nearly all of them) are summed as integer
 * hundredths in a plain number; anything else, or a sum past 2^53, moves the sum to BigInt over a common
 * power-of-ten denominator.
 */
export class ExactSum {
  /** Integer hundredths while `big` is null. */
  private hundredths = 0;
  private big: { num: bigint; den: bigint } | null = null;

  add(amount: number, share: Fraction = ONE): void {
    if (this.big === null && typeof share.num === 'number' && typeof share.den === 'number' && (share.den === 1 || share.den === 10 || share.den === 100)) {
      const term = amount * share.num * (100 / share.den);
      const next = this.hundredths + term;
      if (Number.isSafeInteger(term) && Number.isSafeInteger(next)) {
        this.hundredths = next;
        return;
      }
    }
    this.addBig(BigInt(amount) * BigInt(share.num), BigInt(share.den));
  }

  /** Add a non-negative decimal exactly (hours, scores). */
  addDecimal(value: number): void {
    const hundredths = Math.round(value * 100);
    if (this.big === null && hundredths / 100 === value && Number.isSafeInteger(this.hundredths + hundredths)) {
      this.hundredths += hundredths;
      return;
    }
    const { num, den } = toFraction(value);
    this.addBig(BigInt(num), BigInt(den));
  }

  private addBig(termNum: bigint, termDen: bigint): void {
    let { num, den } = this.big ?? { num: BigInt(this.hundredths), den: 100n };
    if (termDen > den) {
      num *= termDen / den;
      den = termDen;
      num += termNum;
    } else {
      num += termNum * (den / termDen);
    }
    this.big = { num, den };
  }

  /** The exact sum as a fraction. */
  fraction(): { num: bigint | number; den: bigint | number } {
    return this.big ?? { num: this.hundredths, den: 100 };
  }
  /** `sum ≥ threshold`, exactly. */
  atLeast(threshold: number): boolean {
    const { num, den } = toFraction(threshold);
    if (this.big === null && typeof num === 'number' && typeof den === 'number' && Number.isSafeInteger(this.hundredths * den) && Number.isSafeInteger(num * 100)) {
      return this.hundredths * den >= num * 100;
    }
    const sum = this.bigFraction();
    return sum.num * BigInt(den) >= BigInt(num) * sum.den;
  }
  /** How much is missing to reach `threshold`, rounded up to 0.01. */
  shortOf(threshold: number): number {
    const { num, den } = toFraction(threshold);
    const sum = this.bigFraction();
    const missingNum = BigInt(num) * sum.den - sum.num * BigInt(den);
    if (missingNum <= 0n) return 0;
    const missingDen = sum.den * BigInt(den);
    const hundredths = (missingNum * 100n + missingDen - 1n) / missingDen;
    return Number(hundredths) / 100;
  }
  /** The sum rounded half-up to 0.01, for display. */
  toNumber(): number {
    if (this.big === null) return this.hundredths / 100;
    return roundedQuotient([this.big.num, 100], [this.big.den]) / 100;
  }
  private bigFraction(): { num: bigint; den: bigint } {
    return this.big ?? { num: BigInt(this.hundredths), den: 100n };
  }
}

export const ONE: Fraction = { num: 1, den: 1 };

/**
 * Points in hundredths of `amount × a × b × c × d ÷ divisor`, rounded half-up, exactly. The common case
 * (every product a safe integer) stays in plain numbers without allocating; otherwise BigInt.
 */
export function hundredths(amount: number, a: Fraction, b: Fraction = ONE, c: Fraction = ONE, d: Fraction = ONE, divisor: Fraction = ONE): number {
  const { num: an, den: ad } = a;
  const { num: bn, den: bd } = b;
  const { num: cn, den: cd } = c;
  const { num: dn, den: dd } = d;
  const { num: divn, den: divd } = divisor;
  if (typeof an === 'number' && typeof ad === 'number' && typeof bn === 'number' && typeof bd === 'number' && typeof cn === 'number' && typeof cd === 'number' && typeof dn === 'number' && typeof dd === 'number' && typeof divn === 'number' && typeof divd === 'number') {
    const num = amount * 100 * an * bn * cn * dn * divd;
    const den = ad * bd * cd * dd * divn;
    if (num <= MAX_HALF_SAFE && den <= MAX_HALF_SAFE) {
      const quotient = Math.floor(num / den);
      return (num - quotient * den) * 2 >= den ? quotient + 1 : quotient;
    }
  }
  return roundedQuotient([amount, 100, an, bn, cn, dn, divd], [ad, bd, cd, dd, divn]);
}
/** Below this, products and doubled remainders stay exact integers in a double. */
const MAX_HALF_SAFE = Math.floor(Number.MAX_SAFE_INTEGER / 2);
