import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fromSmallestUnits, splitPool, toSmallestUnits } from "./pool-split.ts";

describe("pool split (largest remainder)", () => {
  it("always sums exactly to the pool and is pro rata within one unit", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 40 }),
        (pool, pts) => {
          const weights = pts.map((p, i) => ({ id: `u${i}`, points: (p / 100).toFixed(2) }));
          const shares = splitPool(pool, weights);
          const total = pts.reduce((a, b) => a + b, 0);
          const sum = [...shares.values()].reduce((a, b) => a + b, 0n);
          expect(sum).toBe(total === 0 ? 0n : pool);
          for (const [i, p] of pts.entries()) {
            if (total === 0) continue;
            const exact = (pool * BigInt(p)) / BigInt(total);
            const got = shares.get(`u${i}`)!;
            expect(got === exact || got === exact + 1n).toBe(true);
          }
        },
      ),
    );
  });

  it("converts amounts of more than 20 significant digits without rounding", () => {
    expect(toSmallestUnits("1234567.891234567891234567", 18)).toBe(1234567891234567891234567n);
    expect(fromSmallestUnits(1234567891234567891234567n, 18)).toBe("1234567.891234567891234567");
    const shares = splitPool(toSmallestUnits("1000000.000000000000000001", 18), [
      { id: "a", points: "123456789012.123456789" },
      { id: "b", points: "1" },
    ]);
    expect(shares.get("a")! + shares.get("b")!).toBe(1000000000000000000000001n);
  });

  it("splits 120,000 VTX (8 decimals) three ways exactly", () => {
    const pool = toSmallestUnits("120000", 8);
    const shares = splitPool(pool, [
      { id: "a", points: "1" },
      { id: "b", points: "1" },
      { id: "c", points: "1" },
    ]);
    expect([...shares.values()].map((u) => fromSmallestUnits(u, 8))).toEqual([
      "40000.00000000",
      "40000.00000000",
      "40000.00000000",
    ]);
    const odd = splitPool(10n, [
      { id: "a", points: "1" },
      { id: "b", points: "1" },
      { id: "c", points: "1" },
    ]);
    expect([...odd.values()]).toEqual([4n, 3n, 3n]); // the leftover unit goes to the first in board order
  });
});
