// The pool split computed in SQL (leaderboard.repo poolCut, then poolSharesFor) gives exactly what the
// reference splitPool gives on the same board: same units per participant, summing to the pool, ties
// in board order, hidden participants left out.
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { rows } from "../../core/db/client.ts";
import { poolCut, poolSharesFor } from "./leaderboard.repo.ts";
import { makeUsers } from "./points.test-support.ts";
import { fromSmallestUnits, splitPool, toSmallestUnits } from "./pool-split.ts";

let merit: TestMerit;
let ids: string[];
const NAMES = [...Array(12)].map((_, i) => `pool${i}`);
const BOARD = "campaign:00000000-0000-0000-0000-0000000000aa";

beforeAll(async () => {
  merit = await createTestMerit();
  const byName = await makeUsers(merit, NAMES);
  ids = NAMES.map((n) => byName[n]);
});
afterAll(() => merit?.destroy());

const entry = fc.record({
  who: fc.integer({ min: 0, max: NAMES.length - 1 }),
  // Whole and fractional totals with up to 3 decimals, ties likely, zero and negative possible.
  cents: fc.integer({ min: -500, max: 50_000 }),
  scale: fc.constantFrom(0, 1, 3),
  second: fc.integer({ min: 0, max: 5 }),
});

describe("pool split in SQL", () => {
  it("matches the reference split exactly on any board", async () => {
    const db = merit.core.db.orm;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(entry, { selector: (e) => e.who, minLength: 1, maxLength: NAMES.length }),
        // 18 decimals: PostgreSQL's power(10::numeric, -18) is 0, and decimal.js rounds an amount of
        // more than 20 significant digits by default; both once broke the split.
        fc.constantFrom("1", "100", "120000", "7.5", "0.00000003", "1234567.891234567891234567"),
        fc.constantFrom(0, 2, 8, 18),
        fc.integer({ min: 0, max: NAMES.length - 1 }),
        async (entries, amount, decimals, hiddenIndex) => {
          let pool: bigint;
          try {
            pool = toSmallestUnits(amount, decimals);
          } catch {
            return; // more decimals than the token has: refused before any split
          }
          await db.execute(sql`DELETE FROM board_totals WHERE board = ${BOARD}`);
          await db.execute(
            sql`UPDATE users SET hidden = (id = ${ids[hiddenIndex]}) WHERE id = ANY(${`{${ids.join(",")}}`}::uuid[])`,
          );
          for (const e of entries) {
            const points = (e.cents / 10 ** (e.scale === 0 ? 0 : 2)).toFixed(e.scale);
            await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
              VALUES (${BOARD}, 'all', ${ids[e.who]}, ${points}::numeric, 1, ${`2026-01-01T00:00:0${e.second}Z`}::timestamptz)`);
          }
          // The reference: visible rows in board order.
          const board = await rows<{ user_id: string; points: string }>(
            db,
            sql`SELECT bt.user_id, bt.points::text AS points FROM board_totals bt JOIN users u ON u.id = bt.user_id
                WHERE bt.board = ${BOARD} AND bt.bucket = 'all' AND NOT u.hidden
                ORDER BY bt.points DESC, bt.reached_at, bt.user_id`,
          );
          const expected = splitPool(
            pool,
            board.map((r) => ({ id: r.user_id, points: r.points })),
          );
          const cut = await poolCut(db, BOARD, sql`'all'`, pool.toString());
          const positive = board.some((r) => Number(r.points) > 0);
          if (!positive) {
            expect(cut).toBeNull();
            return;
          }
          if (!cut) throw new Error("a board with points has a split");
          // Totals this small compare remainders in int8 (the numeric fallback is tested below).
          expect(cut.arithmetic).toBe("int8");
          const sharesOf = (only: string[] | null) =>
            poolSharesFor(db, BOARD, sql`'all'`, pool.toString(), decimals, cut, only);
          const got = await sharesOf(null);
          const gotMap = new Map(got.map((r) => [r.user_id, r.share]));
          expect(gotMap.size).toBe(board.length);
          for (const [id, units] of expected) expect(gotMap.get(id)).toBe(fromSmallestUnits(units, decimals));
          const sum = got.reduce((a, r) => a + toSmallestUnits(r.share, decimals), 0n);
          expect(sum).toBe(pool);
          // Asking for some participants gives the same figures for them.
          const some = board.slice(0, 2).map((r) => r.user_id);
          const part = await sharesOf(some);
          expect(new Map(part.map((r) => [r.user_id, r.share]))).toEqual(
            new Map(some.map((id) => [id, gotMap.get(id)])),
          );
        },
      ),
      { numRuns: 60 },
    );
  });
  it("matches the reference on a board of 5,000 participants with many equal remainders", async () => {
    const db = merit.core.db.orm;
    const board = "campaign:00000000-0000-0000-0000-0000000000bb";
    // Points from a small set (equal remainders share a histogram slice), some with decimals.
    await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
      SELECT ${board}, 'all', gen_random_uuid(), (ARRAY[1, 2, 3, 7.5, 10, 12.25, 40])[1 + g % 7]::numeric, 1,
        timestamptz '2026-01-01' + (g % 5) * interval '1 second'
      FROM generate_series(1, 5000) g`);
    const ordered = await rows<{ user_id: string; points: string }>(
      db,
      sql`SELECT user_id, points::text AS points FROM board_totals WHERE board = ${board}
          ORDER BY points DESC, reached_at, user_id`,
    );
    for (const pool of [1n, 4_999n, 12_000_000_000_000n, 7_777_777n]) {
      const cut = await poolCut(db, board, sql`'all'`, pool.toString());
      if (!cut) throw new Error("a board with points has a split");
      const got = await poolSharesFor(db, board, sql`'all'`, pool.toString(), 0, cut, null);
      const expected = splitPool(
        pool,
        ordered.map((r) => ({ id: r.user_id, points: r.points })),
      );
      const gotMap = new Map(got.map((r) => [r.user_id, BigInt(r.share)]));
      expect(gotMap).toEqual(expected);
    }
  });

  it("falls back to numeric remainders when int8 could overflow, with the same split", async () => {
    const db = merit.core.db.orm;
    const board = "campaign:00000000-0000-0000-0000-0000000000cc";
    // Ten decimals, mostly distinct points (some equal), a total of ~5M points: P x 10^10 is too large
    // for int8 remainders.
    await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
      SELECT ${board}, 'all', gen_random_uuid(), CASE WHEN g % 4 = 0 THEN 40 ELSE round(((g * 7919) % 99991)::numeric / 7, 10) END, 1,
        timestamptz '2026-01-01' + (g % 3) * interval '1 second'
      FROM generate_series(1, 2000) g`);
    // One total whose points x 10^10 alone is beyond int8.
    await db.execute(sql`INSERT INTO board_totals (board, bucket, user_id, points, contributions, reached_at)
      VALUES (${board}, 'all', gen_random_uuid(), 1000000000.0000000001, 1, timestamptz '2026-01-01')`);
    const ordered = await rows<{ user_id: string; points: string }>(
      db,
      sql`SELECT user_id, points::text AS points FROM board_totals WHERE board = ${board}
          ORDER BY points DESC, reached_at, user_id`,
    );
    for (const pool of [3n, 999_999_999_999_999_999_999n]) {
      const cut = await poolCut(db, board, sql`'all'`, pool.toString());
      if (!cut) throw new Error("a board with points has a split");
      expect(cut.arithmetic).toBe("numeric");
      const got = await poolSharesFor(db, board, sql`'all'`, pool.toString(), 0, cut, null);
      const expected = splitPool(
        pool,
        ordered.map((r) => ({ id: r.user_id, points: r.points })),
      );
      expect(new Map(got.map((r) => [r.user_id, BigInt(r.share)]))).toEqual(expected);
    }
  });
});
