import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

let merit: TestMerit;
let ids: Record<string, string>;
let typeId: string;
const clock = new ManualClock("2026-01-14T12:00:00Z"); // a Wednesday
beforeAll(async () => {
  merit = await createTestMerit({ clock });
  ids = await makeUsers(merit, ["root", "ann", "ben", "cat", "dan", "eve"]);
  typeId = (await makeType(merit, adminActor(ids.root), { slug: "work", category: "builder", max: 1000 })).id;
});
afterAll(() => merit?.destroy());

const svc = () => merit.composition.points;
const award = (username: string, points: number, date?: string) =>
  svc().contributions.award(adminActor(ids.root), {
    username,
    contributionTypeId: typeId,
    points,
    contributionDate: date,
  });
const board = async (query: string) => {
  const r = await merit.app.inject({ url: `/api/leaderboard?${query}` });
  expect(r.statusCode).toBe(200);
  return r.json() as {
    items: Array<{ rank: number; username: string; points: string; contributions: number }>;
    total: number;
  };
};

describe("leaderboards", () => {
  it("ranks with standard competition ranking and a deterministic tie order, visible immediately", async () => {
    await award("ann", 50, "2026-01-12T09:00:00Z");
    clock.advance(1000);
    await award("ben", 30, "2026-01-12T09:00:00Z");
    clock.advance(1000);
    await award("cat", 30, "2026-01-13T09:00:00Z"); // ties ben; ben reached 30 first
    clock.advance(1000);
    await award("dan", 10, "2026-01-13T09:00:00Z");
    const g = await board("board=global");
    expect(g.items.map((i) => [i.rank, i.username, i.points])).toEqual([
      [1, "ann", "50"],
      [2, "ben", "30"],
      [2, "cat", "30"],
      [4, "dan", "10"],
    ]);
    expect(g.total).toBe(4);
    const cat = await board("board=category:builder&period=week");
    expect(cat.items.map((i) => i.rank)).toEqual([1, 2, 2, 4]);
    const page2 = await board("board=global&limit=2&offset=2");
    expect(page2.items.map((i) => [i.rank, i.username])).toEqual([
      [2, "cat"],
      [4, "dan"],
    ]);
    const rank = await merit.app.inject({ url: "/api/leaderboard/rank?user=cat" });
    expect(rank.json()).toMatchObject({ rank: 2, points: "30", total: 4 });
  });

  it("leaves hidden and banned participants out without gaps", async () => {
    // Read first, so a cached page would show if hiding did not reach the board.
    expect((await board("board=global")).total).toBe(4);
    const admin = await signedInUser(merit, "hider", ["admin"]);
    const hide = (hidden: boolean) =>
      call(merit, "PATCH", `/api/admin/users/${ids.ann}`, { token: admin.accessToken, body: { hidden } });
    expect((await hide(true)).statusCode).toBe(200);
    const g = await board("board=global");
    expect(g.items.map((i) => [i.rank, i.username])).toEqual([
      [1, "ben"],
      [1, "cat"],
      [3, "dan"],
    ]);
    expect(g.total).toBe(3);
    const rank = await merit.app.inject({ url: "/api/leaderboard/rank?user=dan" });
    expect(rank.json().rank).toBe(3);
    expect((await hide(false)).statusCode).toBe(200);
    expect((await board("board=global")).total).toBe(4);
  });

  it("cuts weeks at Monday 00:00 UTC (Sunday 23:59:59 is the previous week)", async () => {
    clock.set("2026-01-19T12:00:00Z"); // Monday
    await award("eve", 7, "2026-01-18T23:59:59Z");
    await award("eve", 5, "2026-01-19T00:00:00Z");
    const week = await board("board=global&period=week");
    expect(week.items.map((i) => [i.username, i.points])).toEqual([["eve", "5"]]);
    const custom = await board("board=global&period=custom&from=2026-01-12&to=2026-01-18");
    expect(custom.items.find((i) => i.username === "eve")?.points).toBe("7");
    const month = await board("board=global&period=month");
    expect(month.items.find((i) => i.username === "eve")?.points).toBe("12");
  });

  it("revokes through the ledger and updates every board", async () => {
    const c = await award("dan", 100, "2026-01-19T08:00:00Z");
    expect((await board("board=global")).items[0].username).toBe("dan");
    const r = await merit.app.inject({
      method: "DELETE",
      url: `/api/contributions/${c.id}`,
      payload: { reason: "duplicate" },
    });
    expect(r.statusCode).toBe(401); // revocation needs a steward or admin
    await svc().contributions.revoke(adminActor(ids.root), c.id, "duplicate");
    expect((await board("board=global")).items[0].username).toBe("ann");
    await expect(svc().contributions.revoke(adminActor(ids.root), c.id, "again")).rejects.toMatchObject({
      status: 409,
    });
    const ledger = await svc().queries.ledger(adminActor(ids.root), { contribution: c.id });
    expect(ledger.items.map((e) => [e.kind, e.globalDelta, e.reason])).toEqual([
      ["revocation", "-100", "duplicate"],
      ["award", "100", null],
    ]);
    expect((await svc().ledger.verify()).differences).toBe(0);
  });

  it("enforces caps with 422 CAP_EXCEEDED", async () => {
    const capped = await makeType(merit, adminActor(ids.root), {
      slug: "capped",
      max: 50,
      caps: { perParticipantPerWeek: 60, total: 100 },
    });
    const give = (username: string, points: number, date: string) =>
      svc().contributions.award(adminActor(ids.root), {
        username,
        contributionTypeId: capped.id,
        points,
        contributionDate: date,
      });
    const first = await give("ann", 40, "2026-01-12T10:00:00Z");
    await expect(give("ann", 30, "2026-01-18T23:00:00Z")).rejects.toMatchObject({
      status: 422,
      code: "CAP_EXCEEDED",
    });
    await give("ann", 30, "2026-01-19T00:00:00Z"); // next week
    await expect(give("ben", 40, "2026-01-19T01:00:00Z")).rejects.toMatchObject({
      code: "CAP_EXCEEDED",
      details: { cap: "total" },
    });

    // Corrections follow the same caps: raising counts the difference, lowering is always allowed.
    const small = await give("ann", 10, "2026-01-13T10:00:00Z"); // week of Jan 12: 50 of 60
    const correct = (id: string, points: number) =>
      svc().contributions.correct(adminActor(ids.root), id, points, "recount");
    await expect(correct(small.id, 10)).rejects.toMatchObject({ code: "POINTS_UNCHANGED", status: 422 });
    await expect(correct(small.id, 25)).rejects.toMatchObject({
      code: "CAP_EXCEEDED",
      details: { cap: "perParticipantPerWeek", used: 50, field: "points" },
    });
    expect((await svc().queries.ledger(adminActor(ids.root), { contribution: small.id })).items).toHaveLength(
      1,
    );
    await correct(first.id, 30); // week: 40 of 60
    await correct(small.id, 25); // week: 55 of 60, total 85 of 100
    await give("ann", 15, "2026-01-19T02:00:00Z"); // total 100 of 100
    await expect(correct(first.id, 31)).rejects.toMatchObject({
      code: "CAP_EXCEEDED",
      details: { cap: "total" },
    });
    expect((await svc().ledger.verify()).differences).toBe(0);
  });

  it("snapshots a board and builds rank history from snapshots", async () => {
    const snap = await svc().snapshots.create(adminActor(ids.root), { board: "global", label: "test" });
    const r = await merit.app.inject({ url: `/api/leaderboard/snapshots/${snap.id}` });
    expect(r.statusCode).toBe(200);
    const live = await board("board=global&limit=100");
    expect(r.json().items).toEqual(live.items);
    expect(r.json().total).toBe(live.total);
    await award("eve", 500, "2026-01-19T09:00:00Z");
    expect((await merit.app.inject({ url: `/api/leaderboard/snapshots/${snap.id}` })).json().items).toEqual(
      live.items,
    );
    clock.set("2026-01-26T00:00:20Z"); // Monday 00:00: daily and weekly schedules are due
    // Daily: global + category:builder (all time); weekly: the global board of the week just finished.
    expect(await svc().snapshots.tick()).toBe(3);
    expect(await svc().snapshots.tick()).toBe(0);
    clock.set("2026-01-26T00:01:00Z");
    expect(await svc().snapshots.tick()).toBe(0);
    const profile = (await merit.app.inject({ url: "/api/participants/eve" })).json();
    expect(profile.rankHistory.map((h: { rank: number }) => h.rank)).toEqual([1, 1, 1, 4]);
    expect(profile.totals.points).toBe("512");
  });

  it("exports a board and contributions as CSV", async () => {
    const r = await merit.app.inject({ url: "/api/leaderboard/export.csv?board=global" });
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/text\/csv/);
    const lines = r.body.trim().split("\n");
    expect(lines[0]).toBe("rank,username,display_name,user_id,points,contributions");
    expect(lines[1]).toMatch(/^1,eve,EVE,[0-9a-f-]{36},512,3$/);
    const c = await merit.app.inject({ url: "/api/contributions/export.csv?user=eve" });
    expect(c.body.trim().split("\n")).toHaveLength(4);
    const bad = await merit.app.inject({ url: "/api/leaderboard/export.csv?board=category:nope" });
    expect(bad.statusCode).toBe(404);
  });

  it("ties totals equal in value whatever decimals their sums kept (6 and 6.0 share a rank)", async () => {
    const root = adminActor(ids.root);
    const half = await makeType(merit, root, { slug: "half", category: "halves" });
    await svc().catalog.createMultiplier(root, {
      contributionTypeId: half.id,
      value: "1.5",
      validFrom: "2026-01-01T00:00:00Z",
    });
    const give = (username: string, points: number) =>
      svc().contributions.award(root, { username, contributionTypeId: half.id, points });
    await give("ann", 4); // 6
    clock.advance(1000);
    await give("ben", 1); // 1.5 + 4.5 = 6.0 in numeric
    await give("ben", 3);
    clock.advance(1000);
    await give("cat", 1); // 1.5
    const expected = [
      [1, "ann", "6"],
      [1, "ben", "6"],
      [3, "cat", "1.5"],
    ];
    const page = await board("board=category:halves");
    expect(page.items.map((i) => [i.rank, i.username, i.points])).toEqual(expected);
    const csv = await merit.app.inject({ url: "/api/leaderboard/export.csv?board=category:halves" });
    const lines = csv.body.trim().split("\n").slice(1);
    expect(lines.map((l) => l.split(",")).map((c) => [Number(c[0]), c[1], c[4]])).toEqual(expected);
  });
});
