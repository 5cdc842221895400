// Splits a reward pool pro rata by points with the largest-remainder method, in the token's smallest
// unit, so the shares always add up to the pool exactly.
import { Decimal } from "../../core/decimal.ts";

export interface Weight {
  id: string;
  /** Decimal string >= 0. */
  points: string;
}

/** Pool amount in token units ("120000") -> smallest units (BigInt), refusing more decimals than the token has. */
export function toSmallestUnits(amount: string, decimals: number): bigint {
  const d = new Decimal(amount).times(new Decimal(10).pow(decimals));
  if (!d.isInteger()) throw new RangeError(`amount ${amount} has more than ${decimals} decimals`);
  return BigInt(d.toFixed(0));
}

/** Smallest units -> token units as a decimal string with exactly `decimals` places. */
export function fromSmallestUnits(units: bigint, decimals: number): string {
  return new Decimal(units.toString()).dividedBy(new Decimal(10).pow(decimals)).toFixed(decimals);
}

/**
 * Shares of `pool` smallest units. Everyone gets floor(pool * p / P); the units left over go one each to
 * the largest remainders, ties going to the earlier entry in `weights` (pass them in board order).
 */
export function splitPool(pool: bigint, weights: Weight[]): Map<string, bigint> {
  const out = new Map<string, bigint>();
  if (weights.length === 0) return out;
  // Scale decimal points to integers so the arithmetic is exact BigInt.
  const scale = Math.max(0, ...weights.map((w) => new Decimal(w.points).decimalPlaces()));
  const factor = new Decimal(10).pow(scale);
  const ints = weights.map((w) => BigInt(new Decimal(w.points).times(factor).toFixed(0)));
  const total = ints.reduce((a, b) => a + (b > 0n ? b : 0n), 0n);
  if (total === 0n) {
    for (const w of weights) out.set(w.id, 0n);
    return out;
  }
  const remainders: Array<{ index: number; remainder: bigint }> = [];
  let given = 0n;
  ints.forEach((p, index) => {
    const weight = p > 0n ? p : 0n;
    const share = (pool * weight) / total;
    given += share;
    out.set(weights[index].id, share);
    remainders.push({ index, remainder: (pool * weight) % total });
  });
  let left = pool - given;
  remainders.sort((a, b) =>
    a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
  );
  for (const r of remainders) {
    if (left === 0n) break;
    const id = weights[r.index].id;
    out.set(id, (out.get(id) ?? 0n) + 1n);
    left -= 1n;
  }
  return out;
}
