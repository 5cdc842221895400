// Conformance of the points HTTP API with the specification (issue 4, API part): campaigns — bad
// input, the [startsAt, endsAt) window and type filter, exact pool shares, and hidden participants
// left out of a campaign board.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  expectCamel,
  expectError,
  expectList,
  expectNamesField,
  NO_SUCH_ID,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday

let w: SpecWorld;
let admin: string;
let ids: Record<string, string>;
let types: Record<string, string>;
const { req, get, board, award } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ admin, ids, types } = w);
});
afterAll(() => w?.merit.destroy());

describe("campaigns", () => {
  it("refuses bad campaigns with 400/409/422 naming the field and creates nothing", async () => {
    const before = (await get("/api/campaigns")).json().total;
    const ok = {
      slug: "bad-camp",
      name: "Bad",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-04-01T00:00:00Z",
      pool: { amount: "100", token: "VTX", decimals: 2 },
    };
    const cases: Array<[unknown, number, string, string?]> = [
      [{ ...ok, slug: undefined }, 400, "slug"],
      [{ ...ok, slug: "Bad Slug" }, 400, "slug"],
      [{ ...ok, name: undefined }, 400, "name"],
      [{ ...ok, startsAt: undefined }, 400, "startsAt"],
      [{ ...ok, startsAt: "March" }, 400, "startsAt"],
      [{ ...ok, endsAt: "2026-04-31T00:00:00Z" }, 400, "endsAt"],
      [{ ...ok, endsAt: "2026-03-01T00:00:00Z" }, 422, "endsAt", "INVALID_CAMPAIGN_WINDOW"],
      [{ ...ok, endsAt: "2026-02-01T00:00:00Z" }, 422, "endsAt", "INVALID_CAMPAIGN_WINDOW"],
      [{ ...ok, pool: { amount: "0", token: "VTX", decimals: 2 } }, 422, "pool.amount", "INVALID_POOL"],
      [{ ...ok, pool: { amount: "1.001", token: "VTX", decimals: 2 } }, 422, "pool.amount", "INVALID_POOL"],
      [{ ...ok, pool: { amount: "-5", token: "VTX", decimals: 2 } }, 400, "amount"],
      [{ ...ok, pool: { amount: "100", token: "VTX", decimals: 2.5 } }, 400, "decimals"],
      [{ ...ok, pool: { amount: "100", token: "VTX", decimals: 19 } }, 400, "decimals"],
      [{ ...ok, pool: { amount: "100", decimals: 2 } }, 400, "token"],
      [{ ...ok, pool: { amount: "100", token: "", decimals: 2 } }, 400, "token"],
      [{ ...ok, contributionTypes: ["code"] }, 400, "contributionTypes"],
      [{ ...ok, contributionTypes: [NO_SUCH_ID] }, 422, "contributionTypes", "CONTRIBUTION_TYPE_NOT_FOUND"],
      [{ ...ok, extra: 1 }, 400, "extra"],
    ];
    for (const [body, status, field, code] of cases) {
      const e = expectError(await req("POST", "/api/campaigns", { token: admin, body }), status, code);
      expectNamesField(e, field);
    }
    expect((await get("/api/campaigns")).json().total).toBe(before);
    expectError(await get("/api/campaigns/bad-camp"), 404, "CAMPAIGN_NOT_FOUND");
    expectError(await get("/api/leaderboard?board=campaign:bad-camp"), 404);
  });

  it("counts only its types inside [startsAt, endsAt) and splits the pool exactly by largest remainder", async () => {
    for (const u of ["ann", "ben", "cat"]) {
      await award(u, "bounty", 10, "2026-03-05T10:00:00Z");
      clock.advance(1000); // who reached a total first decides the order inside a tie
    }
    await award("dan", "bounty", 10, "2026-03-10T00:00:00Z"); // at endsAt: outside
    await award("dan", "other", 50, "2026-03-06T00:00:00Z"); // type not counted
    const r = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "spring",
        name: "Spring",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-10T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 0 },
        contributionTypes: [types.bounty],
      },
    });
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({
      slug: "spring",
      board: "campaign:spring",
      participants: 3,
      points: "30",
      pool: { amount: "100", token: "VTX", decimals: 0 },
      contributionTypes: [types.bounty],
      endsAt: "2026-03-10T00:00:00.000Z",
    });
    expectCamel(r.json());
    expect((await get("/api/campaigns/spring")).json()).toEqual(r.json());
    expect(
      (expectList(await get("/api/campaigns")) as { items: Array<{ slug: string }> }).items.map(
        (c) => c.slug,
      ),
    ).toContain("spring");
    expectError(
      await req("POST", "/api/campaigns", {
        token: admin,
        body: { slug: "spring", name: "Again", startsAt: "2026-03-01T00:00:00Z" },
      }),
      409,
      "SLUG_TAKEN",
    );
    const b = await board("board=campaign:spring");
    expect(b.items.map((i) => [i.rank, i.username, i.points, i.share])).toEqual([
      [1, "ann", "10", "34"],
      [1, "ben", "10", "33"],
      [1, "cat", "10", "33"],
    ]);
    expect(b.items.reduce((s, i) => s + BigInt(i.share ?? "x"), 0n)).toBe(100n);
    // The contribution list's campaign filter agrees with the board.
    expect((await get("/api/contributions?campaign=spring")).json().total).toBe(3);
  });

  it("gives shares as decimal strings with the token's decimals, and none without a pool", async () => {
    const r = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "thirds",
        name: "Thirds",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-03-10T00:00:00Z",
        pool: { amount: "1", token: "VTX", decimals: 8 },
        contributionTypes: [types.bounty],
      },
    });
    expect(r.statusCode).toBe(201);
    const b = await board("board=campaign:thirds");
    expect(b.items.map((i) => i.share)).toEqual(["0.33333334", "0.33333333", "0.33333333"]);
    const plain = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "plain",
        name: "Plain",
        startsAt: "2026-03-01T00:00:00Z",
        contributionTypes: [types.bounty],
      },
    });
    expect(plain.json()).toMatchObject({ pool: null, endsAt: null });
    const p = await board("board=campaign:plain");
    expect(p.items.length).toBeGreaterThan(0);
    for (const i of p.items) expect(i).not.toHaveProperty("share");
    // Nor does its CSV export carry share or token columns (no column of zeros for a pool that is not there).
    const csv = await req("GET", "/api/leaderboard/export.csv?board=campaign:plain");
    expect(csv.body.split("\n")[0]).toBe("rank,username,display_name,user_id,points,contributions");
  });

  it("gives everyone a zero share while nobody on a pooled board has points yet", async () => {
    const t = await req("POST", "/api/contributions/types", {
      token: admin,
      body: { name: "Check-in", slug: "check-in", category: "pool", minPoints: 0, maxPoints: 10 },
    });
    expect(t.statusCode).toBe(201);
    types["check-in"] = t.json().id;
    const r = await req("POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "zeroes",
        name: "Zeroes",
        startsAt: "2026-03-01T00:00:00Z",
        pool: { amount: "500", token: "VTX", decimals: 2 },
        contributionTypes: [t.json().id],
      },
    });
    expect(r.statusCode).toBe(201);
    for (const who of ["ann", "ben"]) await award(who, "check-in", 0, "2026-03-05T00:00:00Z");
    const b = await board("board=campaign:zeroes");
    expect(b.items.map((i) => [i.rank, i.points, i.share])).toEqual([
      [1, "0", "0.00"],
      [1, "0", "0.00"],
    ]);
    const rank = await get("/api/leaderboard/rank?board=campaign:zeroes&user=ann");
    expect(rank.json()).toMatchObject({ rank: 1, share: "0.00" });
  });
});

describe("hidden participants on a campaign board", () => {
  it("are left out without gaps, the pool split among the others still summing exactly, and profiles 404 for the public", async () => {
    const rank = await get("/api/leaderboard/rank?board=campaign:thirds&user=ann");
    expect(rank.json()).toMatchObject({ rank: 1, total: 3, share: "0.33333334" });
    expectError(await get("/api/leaderboard/rank?user=nobody-here"), 404, "PARTICIPANT_NOT_FOUND");
    expectNamesField(expectError(await get("/api/leaderboard/rank?user=ann&period=custom"), 400), "from");
    expectNamesField(expectError(await get("/api/leaderboard/rank?board=bogus&user=ann"), 400), "board");

    const hide = (hidden: boolean) =>
      req("PATCH", `/api/admin/users/${ids.ann}`, { token: admin, body: { hidden } });
    expect((await hide(true)).statusCode).toBe(200);
    try {
      const b = await board("board=campaign:thirds");
      expect(b.items.map((i) => [i.rank, i.username, i.share])).toEqual([
        [1, "ben", "0.50000000"],
        [1, "cat", "0.50000000"],
      ]);
      expect(b.total).toBe(2);
      expect((await get("/api/campaigns/thirds")).json()).toMatchObject({ participants: 2, points: "20" });
      expect((await get("/api/participants?search=ann")).json()).toEqual({ items: [], total: 0 });
      expectError(await get("/api/participants/ann"), 404, "PARTICIPANT_NOT_FOUND");
      const seen = await get("/api/participants/ann", admin);
      expect(seen.statusCode).toBe(200);
      expect(seen.json().ranks.every((r: { rank: number | null }) => r.rank === null)).toBe(true);
      expect(seen.json().listed).toBe(false);
      expectError(
        await get("/api/leaderboard/rank?board=campaign:thirds&user=ann"),
        404,
        "PARTICIPANT_NOT_FOUND",
      );
      expect(
        (await get("/api/leaderboard/rank?board=campaign:thirds&user=ann", admin)).json().rank,
      ).toBeNull();
    } finally {
      expect((await hide(false)).statusCode).toBe(200);
    }
    expect((await board("board=campaign:thirds")).total).toBe(3);
  });
});
