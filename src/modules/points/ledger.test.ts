import { sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { rows } from "../../core/db/client.ts";
import { adminActor, expectRebuildUnchanged, makeType, makeUsers } from "./points.test-support.ts";

let merit: TestMerit;
let ids: Record<string, string>;
let types: string[];
const USERS = ["u1", "u2", "u3", "u4"];
beforeAll(async () => {
  merit = await createTestMerit();
  ids = await makeUsers(merit, ["root", ...USERS]);
  const admin = adminActor(ids.root);
  const a = await makeType(merit, admin, { slug: "alpha", category: "builder", max: 50 });
  const b = await makeType(merit, admin, { slug: "beta", category: "community", max: 50 });
  await merit.composition.points.catalog.createMultiplier(admin, {
    contributionTypeId: b.id,
    value: "1.375",
    validFrom: "2025-12-20T00:00:00Z",
  });
  await merit.composition.points.campaigns.create(admin, {
    slug: "winter",
    name: "Winter",
    startsAt: "2025-12-15T00:00:00Z",
    endsAt: "2026-01-01T00:00:00Z",
    contributionTypes: [b.id],
    pool: { amount: "1000", token: "VTX", decimals: 2 },
  });
  types = [a.id, b.id];
});
afterAll(() => merit?.destroy());

const op = fc.oneof(
  fc.record({
    kind: fc.constant("award" as const),
    user: fc.integer({ min: 0, max: USERS.length - 1 }),
    type: fc.integer({ min: 0, max: 1 }),
    points: fc.integer({ min: 1, max: 50 }),
    // Within ~5 weeks before the clock, across week/month/campaign boundaries.
    hoursAgo: fc.integer({ min: 0, max: 24 * 35 }),
  }),
  fc.record({ kind: fc.constant("revoke" as const), pick: fc.nat() }),
  fc.record({
    kind: fc.constant("correct" as const),
    pick: fc.nat(),
    points: fc.integer({ min: 1, max: 50 }),
  }),
  // Time passes (up to ~12 days), so week and month buckets age out between writes (migration 0010).
  fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 24 * 12 }) }),
);

describe("ledger", () => {
  it("verify finds no difference after any sequence of awards, corrections and revocations; rebuild is a no-op", async () => {
    const svc = merit.composition.points;
    const admin = adminActor(ids.root);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 15 }), async (ops) => {
        const live: string[] = [];
        for (const o of ops) {
          if (o.kind === "award") {
            const c = await svc.contributions.award(admin, {
              userId: ids[USERS[o.user]],
              contributionTypeId: types[o.type],
              points: o.points,
              contributionDate: new Date(merit.clock.now().getTime() - o.hoursAgo * 3_600_000).toISOString(),
            });
            live.push(c.id);
          } else if (live.length > 0 && o.kind === "revoke") {
            const [id] = live.splice(o.pick % live.length, 1);
            await svc.contributions.revoke(admin, id, "property test");
          } else if (o.kind === "advance") {
            merit.clock.advance(o.hours * 3_600_000);
            if (o.hours % 3 === 0) await svc.ledger.pruneBuckets();
          } else if (live.length > 0 && o.kind === "correct") {
            // Correcting to the same points is refused (422 POINTS_UNCHANGED) and changes nothing.
            await svc.contributions
              .correct(admin, live[o.pick % live.length], o.points, "property test")
              .catch((e: { code?: string }) => {
                if (e.code !== "POINTS_UNCHANGED") throw e;
              });
          }
        }
        const report = await svc.ledger.verify();
        expect(report.sample).toEqual([]);
        expect(report.differences).toBe(0);
        // Folding pending band moves changes no rank and no figure verify checks.
        const ranks = async () =>
          Promise.all(
            USERS.map(async (u) => {
              const r = await merit.app.inject({ url: `/api/leaderboard/rank?user=${u}` });
              return r.statusCode === 200 ? r.json().rank : null;
            }),
          );
        const before = await ranks();
        if (ops.length % 2 === 0) {
          expect(await svc.ledger.foldBands()).toBeGreaterThanOrEqual(0);
          expect(await rows(merit.core.db.orm, sql`SELECT 1 FROM board_band_deltas`)).toEqual([]);
          expect(await ranks()).toEqual(before);
          expect((await svc.ledger.verify()).differences).toBe(0);
        }
      }),
      { numRuns: 8 },
    );
    // A rebuild also drops buckets that aged out; the worker would have pruned them by now.
    await svc.ledger.pruneBuckets();
    await expectRebuildUnchanged(merit);
    expect((await svc.ledger.verify()).differences).toBe(0);
  });

  it("verify reports a tampered total and rebuild repairs it", async () => {
    const svc = merit.composition.points;
    // u1 surely has a global total, whatever the randomized test before left.
    await svc.contributions.award(adminActor(ids.root), {
      userId: ids.u1,
      contributionTypeId: types[0],
      points: 5,
    });
    await merit.core.db.orm.execute(sql`UPDATE board_totals SET points = points + 1 WHERE board = 'global' AND bucket = 'all'
      AND user_id = ${ids.u1}`);
    const report = await svc.ledger.verify();
    expect(report.differences).toBeGreaterThan(0);
    expect(report.sample.some((d) => d.what === "total" && d.board === "global" && d.userId === ids.u1)).toBe(
      true,
    );
    await svc.ledger.rebuild();
    expect((await svc.ledger.verify()).differences).toBe(0);
  });

  it("verify reports a band count that differs from the totals, and rebuild repairs it", async () => {
    const svc = merit.composition.points;
    await svc.ledger.foldBands();
    await merit.core.db.orm.execute(sql`UPDATE board_bands SET participants = participants + 1
      WHERE (board, bucket, band) = (SELECT board, bucket, band FROM board_bands WHERE board = 'global' AND bucket = 'all' LIMIT 1)`);
    const report = await svc.ledger.verify();
    expect(report.sample.filter((d) => d.what === "band")).toEqual([
      expect.objectContaining({ what: "band", board: "global", bucket: "all" }),
    ]);
    await svc.ledger.rebuild();
    expect((await svc.ledger.verify()).differences).toBe(0);
  });

  it("verify reports a contribution whose live points differ from its ledger entries", async () => {
    const svc = merit.composition.points;
    const c = await svc.contributions.award(adminActor(ids.root), {
      userId: ids.u2,
      contributionTypeId: types[0],
      points: 6,
    });
    await merit.core.db.orm.execute(sql`UPDATE contributions SET points = 7 WHERE id = ${c.id}`);
    const report = await svc.ledger.verify();
    expect(report.sample.filter((d) => d.what === "contribution")).toEqual([
      {
        what: "contribution",
        board: null,
        bucket: null,
        userId: ids.u2,
        expected: "6 / 6",
        actual: `7 / 6 (${c.id})`,
      },
    ]);
    await merit.core.db.orm.execute(sql`UPDATE contributions SET points = 6 WHERE id = ${c.id}`);
    expect((await svc.ledger.verify()).differences).toBe(0);
  });

  it("rebuild leaves board_totals with the migrated shape, and awards waiting on it land afterwards", async () => {
    const svc = merit.composition.points;
    const shape = () =>
      rows<{ name: string; def: string }>(
        merit.core.db.orm,
        sql`SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE tablename = 'board_totals'
            UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'board_totals'::regclass
            UNION ALL SELECT column_name || ' ' || data_type || ' ' || is_nullable, coalesce(column_default, '')
              FROM information_schema.columns WHERE table_name = 'board_totals'
            ORDER BY 1`,
      );
    const before = await shape();
    expect(before.map((x) => x.name)).toEqual(
      expect.arrayContaining(["board_totals_pkey", "board_totals_rank_idx"]),
    );
    const admin = adminActor(ids.root);
    const [rebuilt, ...awarded] = await Promise.all([
      svc.ledger.rebuild(),
      ...USERS.map((u) =>
        svc.contributions.award(admin, { userId: ids[u], contributionTypeId: types[0], points: 7 }),
      ),
    ]);
    expect(rebuilt.totals).toBeGreaterThan(0);
    expect(awarded).toHaveLength(USERS.length);
    expect(await shape()).toEqual(before);
    expect((await svc.ledger.verify()).differences).toBe(0);
    // Statements prepared before the swap (named statements on PostgreSQL) keep working after it.
    for (const u of USERS)
      await svc.contributions.award(admin, { userId: ids[u], contributionTypeId: types[1], points: 3 });
    expect((await svc.leaderboard.rankOf(null, { board: "global", user: "u1" })).rank).toBeGreaterThan(0);
    expect((await svc.ledger.verify()).differences).toBe(0);
    await svc.ledger.rebuild();
    expect((await svc.ledger.verify()).differences).toBe(0);
  });
});
