import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { AppError } from "../../core/errors.ts";
import type { AwardInput } from "./contributions.service.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

// Two databases with the same catalog: one gets single awards, the other the same awards in bulk.
const NAMES = ["u1", "u2", "u3", "u4", "u5", "u6"];
const BOARDS = ["global", "category:builder", "category:community", "campaign:jan"];
const PERIODS = ["all", "week", "month"] as const;

interface World {
  merit: TestMerit;
  ids: Record<string, string>;
  types: string[];
  capped: string;
}

async function world(): Promise<World> {
  const merit = await createTestMerit({ clock: new ManualClock("2026-01-14T12:00:00Z") });
  const ids = await makeUsers(merit, ["root", ...NAMES]);
  const admin = adminActor(ids.root);
  const svc = merit.composition.points;
  const alpha = await makeType(merit, admin, { slug: "alpha", category: "builder", max: 50 });
  const beta = await makeType(merit, admin, { slug: "beta", category: "community", max: 50 });
  const capped = await makeType(merit, admin, {
    slug: "capped",
    category: "builder",
    caps: { total: 100, perParticipantPerWeek: 30 },
  });
  await svc.catalog.createMultiplier(admin, {
    contributionTypeId: alpha.id,
    value: "1.375",
    validFrom: "2026-01-01T00:00:00Z",
  });
  await svc.catalog.createMultiplier(admin, {
    contributionTypeId: beta.id,
    value: "0.75",
    validFrom: "2025-12-20T00:00:00Z",
  });
  await svc.campaigns.create(admin, {
    slug: "jan",
    name: "January",
    startsAt: "2026-01-01T00:00:00Z",
    endsAt: "2026-02-01T00:00:00Z",
    contributionTypes: [alpha.id],
    pool: { amount: "1000", token: "VTX", decimals: 2 },
  });
  return { merit, ids, types: [alpha.id, beta.id], capped: capped.id };
}

/** A deterministic mix: repeated participants, both types, dates across weeks, months and the campaign start. */
function inputs(w: World): AwardInput[] {
  const now = w.merit.clock.now().getTime();
  return Array.from({ length: 40 }, (_, i) => ({
    userId: w.ids[NAMES[(i * 7) % NAMES.length]],
    contributionTypeId: w.types[i % 2],
    points: 1 + ((i * 13) % 50),
    contributionDate: new Date(now - ((i * 37) % (24 * 40)) * 3_600_000).toISOString(),
    notes: `n${i}`,
  }));
}

async function boardsOf(w: World) {
  const lb = w.merit.composition.points.leaderboard;
  const out: Record<string, unknown> = {};
  for (const board of BOARDS)
    for (const period of PERIODS) {
      const p = await lb.page({ board, period, limit: 100 });
      out[`${board}/${period}`] = {
        total: p.total,
        items: p.items.map((i) => [i.rank, i.username, i.points, i.contributions, i.share ?? null]),
      };
      for (const name of NAMES) {
        const r = await lb.rankOf(null, { board, period, user: name });
        out[`${board}/${period}/${name}`] = [r.rank, r.points, r.contributions, r.total];
      }
    }
  return out;
}

let single: World;
let bulk: World;
beforeAll(async () => {
  single = await world();
  bulk = await world();
}, 120_000);
afterAll(async () => {
  await single?.merit.destroy();
  await bulk?.merit.destroy();
});

describe("bulk awards", () => {
  it("leave exactly the contributions, totals, ranks and shares of the same single awards; verify is clean", async () => {
    const admin1 = adminActor(single.ids.root);
    const one: string[] = [];
    for (const input of inputs(single)) {
      const c = await single.merit.composition.points.contributions.award(admin1, input);
      one.push(`${c.username} ${c.points} ${c.multiplierAtCreation} ${c.globalPoints} ${c.contributionDate}`);
    }
    const many = await bulk.merit.composition.points.contributions.awardMany(
      adminActor(bulk.ids.root),
      inputs(bulk),
    );
    expect(
      many.map(
        (c) => `${c.username} ${c.points} ${c.multiplierAtCreation} ${c.globalPoints} ${c.contributionDate}`,
      ),
    ).toEqual(one);
    expect(new Set(many.map((c) => c.globalPoints))).toContain("37.125"); // 27 x 1.375, exact

    const a = await boardsOf(single);
    const b = await boardsOf(bulk);
    expect(Object.keys(a).length).toBeGreaterThan(50);
    expect((a["campaign:jan/all"] as { total: number }).total).toBeGreaterThan(0);
    expect(b).toEqual(a);
    for (const w of [single, bulk]) {
      const report = await w.merit.composition.points.ledger.verify();
      expect(report.sample).toEqual([]);
      expect(report.differences).toBe(0);
    }
  }, 120_000);

  it("concurrent single awards (combined into shared statements) leave exactly what they leave one by one", async () => {
    const together = await world();
    try {
      const admin = adminActor(together.ids.root);
      const burst = inputs(together).map((input, i) =>
        // Half by username (another lookup path), in changing case.
        i % 2 === 0
          ? input
          : { ...input, userId: undefined, username: NAMES[(i * 7) % NAMES.length].toUpperCase() },
      );
      const settled = await Promise.allSettled([
        ...burst.map((input) => together.merit.composition.points.contributions.award(admin, input)),
        together.merit.composition.points.contributions.award(admin, { ...burst[1], username: "nobody" }),
      ]);
      const failed = settled.filter((r) => r.status === "rejected");
      expect(failed).toHaveLength(1);
      expect(((failed[0] as PromiseRejectedResult).reason as AppError).code).toBe("USER_NOT_FOUND");
      expect(await boardsOf(together)).toEqual(await boardsOf(single));
      const report = await together.merit.composition.points.ledger.verify();
      expect(report.sample).toEqual([]);
    } finally {
      await together.merit.destroy();
    }
  }, 120_000);

  it("applies caps across the batch and writes nothing when any award breaks a rule", async () => {
    const svc = bulk.merit.composition.points;
    const admin = adminActor(bulk.ids.root);
    const before = (await svc.leaderboard.page({ board: "global" })).items;
    const award = (points: number, user = "u1"): AwardInput => ({
      userId: bulk.ids[user],
      contributionTypeId: bulk.capped,
      points,
    });
    // 20 + 20 for u1 in one week passes each award alone but not together (weekly cap 30).
    const err = await svc.contributions
      .awardMany(admin, [award(20), award(5, "u2"), award(20)])
      .catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("CAP_EXCEEDED");
    expect((err as AppError).details).toMatchObject({ cap: "perParticipantPerWeek", index: 2, used: 20 });
    const bad = await svc.contributions
      .awardMany(admin, [award(5), { ...award(5), points: 0 }])
      .catch((e) => e);
    expect((bad as AppError).code).toBe("POINTS_OUT_OF_RANGE");
    expect((bad as AppError).details).toMatchObject({ index: 1 });
    expect((await svc.leaderboard.page({ board: "global" })).items).toEqual(before);

    const ok = await svc.contributions.awardMany(admin, [
      award(20),
      award(10),
      award(30, "u2"),
      award(30, "u3"),
    ]);
    expect(ok).toHaveLength(4);
    const over = await svc.contributions.award(admin, award(15, "u4")).catch((e) => e);
    expect((over as AppError).details).toMatchObject({ cap: "total", used: 90 });
    expect((await svc.ledger.verify()).differences).toBe(0);
  });

  it("refuses an award over a cap set after the type passed 2^31 base points (not a 500)", async () => {
    const svc = bulk.merit.composition.points;
    const admin = adminActor(bulk.ids.root);
    const big = await makeType(bulk.merit, admin, { slug: "big", max: 1_000_000 });
    const million = (user: string): AwardInput => ({
      userId: bulk.ids[user],
      contributionTypeId: big.id,
      points: 1_000_000,
    });
    await svc.contributions.awardMany(
      admin,
      Array.from({ length: 2_148 }, (_, i) => million(NAMES[i % NAMES.length])),
    );
    // 2,148,000,000 base points live: more than an int4 holds. Caps apply to the next award.
    await svc.catalog.updateType(admin, big.id, { caps: { total: 2_000_000_000 } });
    const over = await svc.contributions.award(admin, million("u1")).catch((e) => e);
    expect(over).toBeInstanceOf(AppError);
    expect((over as AppError).details).toMatchObject({ cap: "total", used: 2_148_000_000 });
  }, 60_000);

  it("keeps caps, totals and bands right under concurrent awards", async () => {
    const svc = bulk.merit.composition.points;
    const admin = adminActor(bulk.ids.root);
    const capped = await makeType(bulk.merit, admin, { slug: "capped-2", caps: { total: 50 } });
    const results = await Promise.allSettled([
      ...Array.from({ length: 8 }, (_, i) =>
        svc.contributions.award(admin, {
          userId: bulk.ids[NAMES[i % NAMES.length]],
          contributionTypeId: capped.id,
          points: 10,
        }),
      ),
      ...Array.from({ length: 12 }, (_, i) =>
        svc.contributions.award(admin, {
          userId: bulk.ids[NAMES[i % 3]],
          contributionTypeId: bulk.types[i % 2],
          points: 1 + i,
        }),
      ),
    ]);
    const cappedOk = results.slice(0, 8).filter((r) => r.status === "fulfilled").length;
    expect(cappedOk).toBe(5);
    expect(results.slice(8).every((r) => r.status === "fulfilled")).toBe(true);
    const report = await svc.ledger.verify();
    expect(report.sample).toEqual([]);
  }, 60_000);
});
