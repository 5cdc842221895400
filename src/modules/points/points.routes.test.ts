import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";

let merit: TestMerit;
let admin: string;
let steward: string;
let member: string;
let typeId: string;
beforeAll(async () => {
  merit = await createTestMerit();
  admin = (await signedInUser(merit, "boss", ["admin", "member"])).accessToken;
  steward = (await signedInUser(merit, "stew", ["steward", "member"])).accessToken;
  member = (await signedInUser(merit, "mia")).accessToken;
  await signedInUser(merit, "noah");
});
afterAll(() => merit?.destroy());

describe("points API", () => {
  it("manages the catalog (admins only) and awards with exact decimals", async () => {
    expect(
      (await call(merit, "POST", "/api/categories", { token: member, body: { name: "B", slug: "builder" } }))
        .statusCode,
    ).toBe(403);
    expect(
      (
        await call(merit, "POST", "/api/categories", {
          token: admin,
          body: { name: "Builder", slug: "builder" },
        })
      ).statusCode,
    ).toBe(201);
    const t = await call(merit, "POST", "/api/contributions/types", {
      token: admin,
      body: { name: "Code", slug: "code", category: "builder", minPoints: 1, maxPoints: 100 },
    });
    expect(t.statusCode).toBe(201);
    typeId = t.json().id;
    const m = await call(merit, "POST", "/api/leaderboard/multipliers", {
      token: admin,
      body: { contributionTypeId: typeId, value: "1.15", validFrom: "2026-01-01T00:00:00Z" },
    });
    expect(m.statusCode).toBe(201);
    const dup = await call(merit, "POST", "/api/leaderboard/multipliers", {
      token: admin,
      body: { contributionTypeId: typeId, value: "2", validFrom: "2026-01-01T00:00:00Z" },
    });
    expect(dup.statusCode).toBe(409);
    const history = (await call(merit, "GET", `/api/leaderboard/multipliers?contributionType=code`)).json();
    expect(history.items.map((x: { value: string }) => x.value)).toEqual(["1.00", "1.15"]);
    const active = (await call(merit, "GET", "/api/leaderboard/multipliers/active")).json();
    expect(active.items[0].value).toBe("1.15");

    const award = await call(merit, "POST", "/api/contributions", {
      token: steward,
      body: {
        username: "mia",
        contributionTypeId: typeId,
        points: 3,
        contributionDate: "2026-01-04T10:00:00Z",
      },
    });
    expect(award.statusCode).toBe(201);
    expect(award.json()).toMatchObject({ multiplierAtCreation: "1.15", globalPoints: "3.45", points: 3 });
    const out = await call(merit, "POST", "/api/contributions", {
      token: steward,
      body: { username: "mia", contributionTypeId: typeId, points: 101 },
    });
    expect(out.statusCode).toBe(422);
    expect(out.json().error.code).toBe("POINTS_OUT_OF_RANGE");
    expect((await call(merit, "GET", "/api/contributions?user=mia")).json().total).toBe(1);
    const board = (await call(merit, "GET", "/api/leaderboard?board=category:builder")).json();
    expect(board.items[0]).toMatchObject({ rank: 1, username: "mia", points: "3.45", contributions: 1 });
  });

  it("splits a campaign pool by points so the shares sum exactly", async () => {
    const c = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "jan",
        name: "January",
        startsAt: "2026-01-01T00:00:00Z",
        endsAt: "2026-02-01T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 8 },
        contributionTypes: [typeId],
      },
    });
    expect(c.statusCode).toBe(201);
    expect(c.json()).toMatchObject({ participants: 1, points: "3.45", board: "campaign:jan" });
    for (const [u, p] of [
      ["noah", 7],
      ["stew", 7],
      ["boss", 1],
    ] as const) {
      const r = await call(merit, "POST", "/api/contributions", {
        token: admin,
        body: {
          username: u,
          contributionTypeId: typeId,
          points: p,
          contributionDate: "2026-01-05T08:00:00Z",
        },
      });
      expect(r.statusCode).toBe(201);
    }
    const board = (await call(merit, "GET", "/api/leaderboard?board=campaign:jan")).json();
    expect(board.items.map((i: { rank: number }) => i.rank)).toEqual([1, 1, 3, 4]);
    const units = board.items.map((i: { share: string }) => BigInt(i.share.replace(".", "")));
    expect(units.reduce((a: bigint, b: bigint) => a + b, 0n)).toBe(100n * 10n ** 8n);
    expect(board.items[0].share).toBe("38.88888889");
    // The pool is split over the whole campaign: a part of it (custom range, week) carries no share.
    const part = (
      await call(
        merit,
        "GET",
        "/api/leaderboard?board=campaign:jan&period=custom&from=2026-01-05&to=2026-01-05",
      )
    ).json();
    expect(part.items).toHaveLength(3);
    expect(part.items.some((i: { share?: string }) => "share" in i)).toBe(false);
    const rankAll = (await call(merit, "GET", "/api/leaderboard/rank?board=campaign:jan&user=noah")).json();
    expect(rankAll.share).toBe(board.items.find((i: { username: string }) => i.username === "noah").share);
    const rankWeek = (
      await call(merit, "GET", "/api/leaderboard/rank?board=campaign:jan&period=week&user=noah")
    ).json();
    expect(rankWeek.share).toBeUndefined();
    // A snapshot of the campaign board freezes the shares too: the same items as the live board.
    const snap = await call(merit, "POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "campaign:jan" },
    });
    expect(snap.statusCode).toBe(201);
    expect(snap.json().items).toEqual(board.items);
    // ...and the pool they split: a later change of the campaign's pool leaves the snapshot as taken.
    expect(snap.json().pool).toEqual({ amount: "100", token: "VTX", decimals: 8 });
    const repooled = await call(merit, "PATCH", "/api/campaigns/jan", {
      token: admin,
      body: { pool: { amount: "5000", token: "USDC", decimals: 6 } },
    });
    expect(repooled.statusCode, repooled.body).toBe(200);
    const frozen = (await call(merit, "GET", `/api/leaderboard/snapshots/${snap.json().id}`)).json();
    expect(frozen.pool).toEqual({ amount: "100", token: "VTX", decimals: 8 });
    expect(frozen.items).toEqual(board.items);
    const global = await call(merit, "POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "global" },
    });
    expect(global.json().pool).toBeNull();
    const noBoard = await call(merit, "POST", "/api/leaderboard/snapshots", { token: admin, body: {} });
    expect(noBoard.statusCode).toBe(400);
    expect(noBoard.json().error.details[0].field).toMatch(/board/);
    const csvWeek = await call(merit, "GET", "/api/leaderboard/export.csv?board=campaign:jan&period=week");
    expect(csvWeek.body.split("\n")[0]).toBe("rank,username,display_name,user_id,points,contributions");
  });

  it("revokes with DELETE (stewards) and streams live events over SSE", async () => {
    const address = await merit.app.listen({ port: 0, host: "127.0.0.1" });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/leaderboard/stream`, { signal: controller.signal });
    expect(res.headers.get("content-type")).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    const list = (await call(merit, "GET", "/api/contributions?user=noah")).json();
    const del = await call(merit, "DELETE", `/api/contributions/${list.items[0].id}`, {
      token: steward,
      body: { reason: "spam" },
    });
    expect(del.statusCode).toBe(200);
    expect(del.json().revokeReason).toBe("spam");
    let text = "";
    while (!text.includes("event: revocation")) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toContain('"username":"noah"');
    const event = JSON.parse(/event: revocation\ndata: (.*)\n/.exec(text)![1]);
    expect(event.boards.sort()).toEqual(["campaign:jan", "category:builder", "global"]);
    expect(event.points).toBe("-8.05");
    controller.abort();
    const ledger = await call(merit, "GET", "/api/admin/ledger?user=noah", { token: admin });
    expect(ledger.json().items.map((e: { kind: string }) => e.kind)).toEqual(["revocation", "award"]);
    expect(ledger.json().items[0]).toMatchObject({ typeSlug: "code", typeName: "Code" });
    expect((await call(merit, "GET", "/api/admin/ledger", { token: member })).statusCode).toBe(403);
  });

  it("serves participants, profiles and stats", async () => {
    const list = (await call(merit, "GET", "/api/participants?search=mi")).json();
    expect(list.items.map((p: { username: string }) => p.username)).toEqual(["mia"]);
    const profile = (await call(merit, "GET", "/api/participants/stew")).json();
    expect(profile.totals).toEqual({ points: "8.05", contributions: 1 });
    expect(
      profile.ranks.find((r: { board: string; period: string }) => r.board === "global" && r.period === "all")
        .rank,
    ).toBe(1);
    const stats = (await call(merit, "GET", "/api/stats")).json();
    expect(stats).toMatchObject({ participants: 3, contributions: 3 });
    expect(stats.daily).toHaveLength(30);
    // The latest contributions are what the public list shows first.
    const publicList = (await call(merit, "GET", "/api/contributions?limit=3")).json();
    expect(publicList.items.length).toBeGreaterThan(0);
    expect(stats.latest.map((c: { id: string }) => c.id)).toEqual(
      publicList.items.map((c: { id: string }) => c.id),
    );
  });

  it("refuses an award whose userId and username name different participants", async () => {
    const mia = (await call(merit, "GET", "/api/participants/mia")).json();
    const body = { contributionTypeId: typeId, points: 2, contributionDate: "2026-01-05T09:00:00Z" };
    const r = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { ...body, userId: mia.userId, username: "noah" },
    });
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({ code: "USER_MISMATCH", details: { field: "username" } });
    const same = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { ...body, userId: mia.userId, username: "MIA" },
    });
    expect(same.statusCode).toBe(201);
    await call(merit, "DELETE", `/api/contributions/${same.json().id}`, {
      token: admin,
      body: { reason: "test" },
    });
  });

  it("pages the short lists too (categories, types, multipliers, campaigns): 100 by default, at most 100", async () => {
    await call(merit, "POST", "/api/categories", {
      token: admin,
      body: { name: "Community", slug: "community" },
    });
    for (const path of [
      "/api/categories",
      "/api/contributions/types",
      "/api/leaderboard/multipliers",
      "/api/leaderboard/multipliers/active",
      "/api/campaigns",
    ]) {
      const all = (await call(merit, "GET", path)).json();
      expect(all.items.length).toBe(all.total);
      const second = (await call(merit, "GET", `${path}?limit=1&offset=1`)).json();
      expect([path, second.total, second.items]).toEqual([path, all.total, all.items.slice(1, 2)]);
      for (const bad of ["limit=500", "limit=0", "offset=-1"]) {
        const r = await call(merit, "GET", `${path}?${bad}`);
        expect([path, bad, r.statusCode]).toEqual([path, bad, 400]);
      }
    }
  });

  it("keeps the stats for ten seconds of the injected clock, then counts again", async () => {
    const before = (await call(merit, "GET", "/api/stats")).json();
    await call(merit, "POST", "/api/contributions", {
      token: steward,
      body: {
        username: "noah",
        contributionTypeId: typeId,
        points: 2,
        contributionDate: "2026-01-05T09:00:00Z",
      },
    });
    merit.clock.advance(9_000);
    expect((await call(merit, "GET", "/api/stats")).json().contributions).toBe(before.contributions);
    merit.clock.advance(1_000);
    const after = (await call(merit, "GET", "/api/stats")).json();
    expect(after.contributions).toBe(before.contributions + 1);
    // Like the boards, the stats leave hidden participants out (totals and the daily series).
    const noah = (await call(merit, "GET", "/api/participants/noah")).json();
    const hide = await call(merit, "PATCH", `/api/admin/users/${noah.userId}`, {
      token: admin,
      body: { hidden: true },
    });
    expect(hide.statusCode).toBe(200);
    merit.clock.advance(10_000);
    const hidden = (await call(merit, "GET", "/api/stats")).json();
    expect(hidden.participants).toBe(after.participants - 1);
    expect(hidden.contributions).toBe(after.contributions - noah.totals.contributions);
    const day = (s: { daily: Array<{ date: string; participants: number }> }) =>
      s.daily.find((d) => d.date === "2026-01-05")?.participants;
    expect(day(hidden)).toBe(day(after)! - 1);
    await call(merit, "PATCH", `/api/admin/users/${noah.userId}`, { token: admin, body: { hidden: false } });

    // Days before today are recounted every ten minutes (they scan every contribution of the window).
    const dayBefore = (s: { daily: Array<{ date: string; contributions: number }> }) =>
      s.daily.find((d) => d.date === "2026-01-03")?.contributions;
    merit.clock.advance(10_000);
    const base = (await call(merit, "GET", "/api/stats")).json();
    await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: {
        username: "mia",
        contributionTypeId: typeId,
        points: 2,
        contributionDate: "2026-01-03T09:00:00Z",
      },
    });
    merit.clock.advance(10_000);
    const soon = (await call(merit, "GET", "/api/stats")).json();
    expect(soon.contributions).toBe(base.contributions + 1);
    expect(dayBefore(soon)).toBe(dayBefore(base));
    merit.clock.advance(10 * 60_000);
    expect(dayBefore((await call(merit, "GET", "/api/stats")).json())).toBe(dayBefore(base)! + 1);
  });
});
