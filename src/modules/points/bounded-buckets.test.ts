// Week and month totals are kept for the current and the previous period only (migration 0010):
// writers skip older buckets, verify and rebuild agree, and the worker prunes buckets that age out.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import { adminActor, expectRebuildUnchanged, makeType, makeUsers } from "./points.test-support.ts";

let merit: TestMerit<ManualClock>;
let ids: Record<string, string>;
let typeId: string;
beforeAll(async () => {
  // A Wednesday: the kept weeks start on Mondays 2026-03-02 and 2026-03-09, the kept months are Feb and Mar.
  merit = await createTestMerit({ clock: new ManualClock("2026-03-11T12:00:00Z") });
  ids = await makeUsers(merit, ["root", "ann", "bob"]);
  typeId = (await makeType(merit, adminActor(ids.root), { slug: "alpha", max: 50 })).id;
});
afterAll(() => merit?.destroy());

const bucketsOf = async (user: string) =>
  (
    await rows<{ bucket: string }>(
      merit.core.db.orm,
      sql`SELECT bucket FROM board_totals WHERE board = 'global' AND user_id = ${ids[user]} ORDER BY bucket`,
    )
  ).map((r) => r.bucket);

const award = (user: string, points: number, date: string) =>
  merit.composition.points.contributions.award(adminActor(ids.root), {
    userId: ids[user],
    contributionTypeId: typeId,
    points,
    contributionDate: date,
  });

describe("week and month buckets", () => {
  it("are written for the current and the previous period only", async () => {
    await award("ann", 5, "2026-01-10T00:00:00Z"); // two months back: all time only
    await award("ann", 7, "2026-02-20T00:00:00Z"); // previous month, a week long gone
    await award("ann", 11, "2026-03-01T23:59:59.999Z"); // this month, the Sunday before the previous week
    await award("ann", 13, "2026-03-02T00:00:00Z"); // previous week's Monday
    await award("ann", 17, "2026-03-11T08:00:00Z"); // this week
    expect(await bucketsOf("ann")).toEqual(["all", "m:2026-02", "m:2026-03", "w:2026-03-02", "w:2026-03-09"]);
    const totals = await rows<{ bucket: string; points: string; contributions: number }>(
      merit.core.db.orm,
      sql`SELECT bucket, points::text AS points, contributions FROM board_totals
          WHERE board = 'global' AND user_id = ${ids.ann} ORDER BY bucket`,
    );
    expect(totals.map((t) => [t.bucket, Number(t.points), t.contributions])).toEqual([
      ["all", 53, 5],
      ["m:2026-02", 7, 1],
      ["m:2026-03", 41, 3],
      ["w:2026-03-02", 13, 1],
      ["w:2026-03-09", 17, 1],
    ]);
    // A revocation of an old contribution changes all time only.
    const old = await award("bob", 9, "2026-01-20T00:00:00Z");
    await merit.composition.points.contributions.revoke(adminActor(ids.root), old.id, "duplicate");
    expect(await bucketsOf("bob")).toEqual(["all"]);
    const report = await merit.composition.points.ledger.verify();
    expect(report.sample).toEqual([]);
  });

  it("age out at the rollover: verify ignores them until the worker prunes them, then they are gone", async () => {
    const svc = merit.composition.points;
    expect(await svc.ledger.pruneBuckets()).toBe(0); // nothing aged out yet
    // Into April: kept weeks start 2026-03-30 and 2026-04-06, kept months are Mar and Apr.
    merit.clock.set("2026-04-08T09:00:00Z");
    expect((await svc.ledger.verify()).differences).toBe(0);
    const thisWeek = await merit.app.inject({ url: "/api/leaderboard?period=week" });
    expect(thisWeek.json().total).toBe(0);
    const thisMonth = await merit.app.inject({ url: "/api/leaderboard?period=month" });
    expect(thisMonth.json().total).toBe(0);
    await svc.ledger.foldBands();
    // m:2026-02 and both March weeks, on the global and the category board.
    expect(await svc.ledger.pruneBuckets()).toBe(6);
    expect(await bucketsOf("ann")).toEqual(["all", "m:2026-03"]);
    const stale = await rows(
      merit.core.db.orm,
      sql`SELECT bucket FROM board_bands WHERE bucket IN ('m:2026-02', 'w:2026-03-02', 'w:2026-03-09')
          UNION ALL SELECT bucket FROM board_band_deltas WHERE bucket <> 'all' AND bucket <> 'm:2026-03'`,
    );
    expect(stale).toEqual([]);
    expect((await svc.ledger.verify()).differences).toBe(0);
    expect(await svc.ledger.pruneBuckets()).toBe(0); // once per rollover
    // Last month's board is still there, with its rank lookups.
    const rank = await svc.leaderboard.rankOf(null, { board: "global", user: "ann" });
    expect(rank.rank).toBe(1);
    // A rebuild computes the same kept buckets.
    await expectRebuildUnchanged(merit);
  });

  it("a late award into a bucket that aged out changes all time only, and a rebuild drops unpruned buckets", async () => {
    const svc = merit.composition.points;
    await award("bob", 4, "2026-03-03T00:00:00Z"); // March is still kept, its first week is not
    expect(await bucketsOf("bob")).toEqual(["all", "m:2026-03"]);
    merit.clock.set("2026-06-03T00:00:00Z");
    expect((await svc.ledger.verify()).differences).toBe(0);
    await svc.ledger.rebuild();
    expect(await bucketsOf("ann")).toEqual(["all"]);
    expect(await bucketsOf("bob")).toEqual(["all"]);
    expect((await svc.ledger.verify()).differences).toBe(0);
  });
});

// Lock order (ARCHITECTURE.md, "Band counts"): totals, then band deltas, then bands. Pruning deleted
// deltas first and totals last, so a campaign edit (or `points rebuild`) locking the three tables in
// order between those deletes deadlocked with it. Needs a second connection: PostgreSQL only.
describe.skipIf(!process.env.TEST_DATABASE_URL)("pruning beside a campaign edit (PostgreSQL)", () => {
  it("takes the totals lock first, so an edit waiting on the three tables never deadlocks with it", async () => {
    const m = await createTestMerit({ clock: new ManualClock("2026-03-11T12:00:00Z") });
    try {
      const who = await makeUsers(m, ["root", "cy"]);
      const root = adminActor(who.root);
      const svc = m.composition.points;
      const type = await makeType(m, root, { slug: "beta", max: 50 });
      await svc.campaigns.create(root, { slug: "march", name: "March", startsAt: "2026-03-01T00:00:00Z" });
      await svc.contributions.award(root, {
        userId: who.cy,
        contributionTypeId: type.id,
        points: 5,
        contributionDate: "2026-03-10T00:00:00Z",
      });
      m.clock.set("2026-03-25T12:00:00Z"); // w:2026-03-09 has aged out; its band deltas are not folded
      const waiting = async (like: string) => {
        for (let i = 0; i < 200; i++) {
          const r = await m.core.db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1`,
            [like],
          );
          if (r[0].n > 0) return;
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
        throw new Error(`nothing waits on ${like}`);
      };
      let release = () => {};
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      // Another session holds a stale delta row, so pruning stops at its first delete...
      let held = () => {};
      const holding = new Promise<void>((resolve) => {
        held = resolve;
      });
      const blocker = m.core.db.withSession(async (s) => {
        await s.exec("BEGIN");
        await s.query("SELECT id FROM board_band_deltas WHERE bucket = 'w:2026-03-09' FOR UPDATE");
        held();
        await released;
        await s.exec("COMMIT");
      });
      await holding;
      const prune = svc.ledger.pruneBuckets();
      await waiting("%points_prune_buckets%");
      // ...while an edit of the campaign's window locks totals, deltas and bands for its rebuild.
      const edit = svc.campaigns.update(root, "march", { startsAt: "2026-03-02T00:00:00Z" });
      await waiting("LOCK TABLE board_totals%");
      release();
      const [pruned, edited] = await Promise.allSettled([prune, edit]);
      await blocker;
      const why = (r: PromiseSettledResult<unknown>) =>
        r.status === "fulfilled" ? "ok" : String((r.reason as Error).cause ?? r.reason);
      expect([why(pruned), why(edited)]).toEqual(["ok", "ok"]);
      const report = await svc.ledger.verify();
      expect(report.sample).toEqual([]);
    } finally {
      await m.destroy();
    }
  }, 60_000);
});
