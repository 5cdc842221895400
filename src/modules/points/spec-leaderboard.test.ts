// Conformance of the points HTTP API with the specification (issue 4, API part): leaderboards —
// item shape, bad queries, pagination, custom periods, search — and snapshots that freeze them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  DECIMAL,
  expectCamel,
  expectError,
  expectList,
  expectNamesField,
  type Item,
  NO_SUCH_ID,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16

let w: SpecWorld;
let admin: string;
const { req, get, board, award, addMultiplier } = specApi(() => w);

/**
 * Global board: dan 50, ben 35, cat 28.999999, ann 20. Builder: dan 50, ann 20 (10 on Sunday
 * March 15, 10 on Monday March 16), ben 15.
 */
const AWARDS: Array<[string, string, number, string]> = [
  ["ann", "weekly", 10, "2026-03-15T23:59:59Z"],
  ["ann", "weekly", 10, "2026-03-16T00:00:00Z"],
  ["ben", "docs", 20, "2026-03-10T08:00:00Z"],
  ["ben", "weekly", 10, "2026-03-18T00:00:00Z"],
  ["ben", "total", 5, "2026-03-17T00:00:00Z"],
  ["cat", "other", 3, "2026-03-02T00:00:00Z"], // x 1.333333
  ["cat", "other", 25, "2026-02-28T23:59:59Z"],
  ["dan", "code", 50, "2026-03-16T10:00:00Z"],
];

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ admin } = w);
  await addMultiplier("other", "1.333333", "2026-03-01T00:00:00Z");
  for (const a of AWARDS) await award(...a);
});
afterAll(() => w?.merit.destroy());

function expectBoardItem(i: Item) {
  expect(Number.isInteger(i.rank)).toBe(true);
  expect(i.userId).toMatch(/^[0-9a-f-]{36}$/);
  expect(typeof i.username).toBe("string");
  expect(typeof i.points).toBe("string");
  expect(i.points).toMatch(DECIMAL);
  expect(Number.isInteger(i.contributions)).toBe(true);
}

describe("GET /api/leaderboard", () => {
  it("returns {items, total} with the specified item shape and decimal-string points", async () => {
    const g = await board("board=global&limit=100");
    expect(g.total).toBe(g.items.length);
    expect(g.items.length).toBeGreaterThan(2);
    for (const i of g.items) {
      expectBoardItem(i);
      expect(Object.keys(i).sort()).toEqual([
        "contributions",
        "displayName",
        "points",
        "rank",
        "userId",
        "username",
      ]);
    }
    // Standard competition ranks: each rank is 1 + the number of rows with more points.
    g.items.forEach((i) => {
      const above = g.items.filter((x) => Number(x.points) > Number(i.points)).length;
      expect(i.rank).toBe(above + 1);
    });
    expect((await board("")).items).toEqual((await board("board=global&period=all")).items.slice(0, 20));
  });

  it("refuses unknown boards and periods, bad ranges and bad pagination with a 4xx naming the field", async () => {
    const bad: Array<[string, number, string, string?]> = [
      ["board=bogus", 400, "board"],
      ["board=category:", 400, "board"],
      ["board=Global", 400, "board"],
      ["board=category:nope", 404, "", "BOARD_NOT_FOUND"],
      ["board=campaign:nope", 404, "", "BOARD_NOT_FOUND"],
      ["period=year", 400, "period"],
      ["period=custom", 400, "from", "RANGE_REQUIRED"],
      ["period=custom&from=2026-03-01", 400, "to", "RANGE_REQUIRED"],
      ["period=custom&to=2026-03-01", 400, "from", "RANGE_REQUIRED"],
      ["period=custom&from=2026-03-10&to=2026-03-01", 422, "to", "INVALID_RANGE"],
      ["period=custom&from=2026-03-10T00:00:00Z&to=2026-03-10T00:00:00Z", 422, "to", "INVALID_RANGE"],
      ["period=custom&from=garbage&to=2026-03-01", 422, "from", "INVALID_DATE"],
      ["period=custom&from=2026-03-01&to=2026-02-31T99:00:00Z", 422, "to", "INVALID_DATE"],
      ["limit=101", 400, "limit"],
      ["limit=0", 400, "limit"],
      ["limit=-5", 400, "limit"],
      ["offset=-1", 400, "offset"],
      ["offset=x", 400, "offset"],
      [`search=${"x".repeat(101)}`, 400, "search"],
    ];
    for (const [q, status, field, code] of bad) {
      const e = expectError(await get(`/api/leaderboard?${q}`), status, code);
      if (field) expectNamesField(e, field);
    }
    expect((await get("/api/leaderboard?limit=100&offset=0")).statusCode).toBe(200);
  });

  it("keeps total and ranks across pages; an offset past the end gives no items but the same total", async () => {
    const all = await board("board=global&limit=100");
    const pages: Item[] = [];
    for (let offset = 0; offset < all.total; offset += 2) {
      const p = await board(`board=global&limit=2&offset=${offset}`);
      expect(p.total).toBe(all.total);
      pages.push(...p.items);
    }
    expect(pages).toEqual(all.items);
    const beyond = await board(`board=global&offset=${all.total + 5}`);
    expect(beyond.items).toEqual([]);
    expect(beyond.total).toBe(all.total);
  });

  it("custom periods count contributions by date, a plain `to` date including that whole day", async () => {
    const sunday = await board("board=category:builder&period=custom&from=2026-03-15&to=2026-03-15");
    const monday = await board("board=category:builder&period=custom&from=2026-03-16&to=2026-03-16");
    const ann = (b: { items: Item[] }) => b.items.find((i) => i.username === "ann")?.points;
    expect(ann(sunday)).toBe("10");
    expect(ann(monday)).toBe("10");
    const r = (
      await get("/api/leaderboard?board=category:builder&period=custom&from=2026-03-15&to=2026-03-16")
    ).json();
    expect(r).toMatchObject({
      period: "custom",
      from: "2026-03-15T00:00:00.000Z",
      to: "2026-03-17T00:00:00.000Z",
    });
    expect(ann({ items: r.items })).toBe("20");
    const week = await board("board=category:builder&period=week");
    expect(ann(week)).toBe("10");
  });

  it("search matches username or display name, case-insensitively, and keeps board ranks", async () => {
    const full = await board("board=global&limit=100");
    const s = await board("board=global&search=BE");
    expect(s.items.map((i) => i.username)).toEqual(["ben"]);
    expect(s.items[0].rank).toBe(full.items.find((i) => i.username === "ben")?.rank);
    expect(s.total).toBe(1);
    expect((await board("board=global&search=zzzz")).total).toBe(0);
  });
});

describe("snapshots", () => {
  it("refuses bad snapshot requests with 400/422 naming the field and takes none", async () => {
    const before = (await get("/api/leaderboard/snapshots")).json().total;
    const cases: Array<[unknown, number, string]> = [
      [{ board: "bogus" }, 400, "board"],
      [{ board: "category:nope" }, 422, "board"],
      [{ board: "global", period: "custom" }, 400, "period"],
      [{ board: "global", period: "year" }, 400, "period"],
      [{ board: "global", label: "x".repeat(201) }, 400, "label"],
      [{ board: "global", items: [] }, 400, "items"],
    ];
    for (const [body, status, field] of cases) {
      const e = expectError(
        await req("POST", "/api/leaderboard/snapshots", { token: admin, body }),
        status,
        undefined,
        JSON.stringify(body),
      );
      if (field) expectNamesField(e, field);
    }
    expect((await get("/api/leaderboard/snapshots")).json().total).toBe(before);
    expectError(await get(`/api/leaderboard/snapshots/${NO_SUCH_ID}`), 404, "SNAPSHOT_NOT_FOUND");
    expectNamesField(expectError(await get("/api/leaderboard/snapshots/latest"), 400), "id");
    expectError(await get("/api/leaderboard/snapshots?board=category:nope"), 404);
    for (const q of ["limit=101", "limit=0", "offset=-1"])
      expectNamesField(expectError(await get(`/api/leaderboard/snapshots?${q}`), 400), q.split("=")[0]);
  });

  it("freezes a board with the live board's items and keeps them after later awards", async () => {
    const live = await board("board=category:builder&limit=100");
    const r = await req("POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "category:builder", label: "mid-march" },
    });
    expect(r.statusCode).toBe(201);
    const snap = r.json();
    expect(snap).toMatchObject({
      board: "category:builder",
      period: "all",
      label: "mid-march",
      total: live.total,
    });
    expect(snap.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(snap.takenAt).toBe(clock.now().toISOString());
    expect(snap.items).toEqual(live.items);
    expectCamel(snap);
    const got = (await get(`/api/leaderboard/snapshots/${snap.id}`)).json();
    expect(got).toMatchObject({ id: snap.id, board: "category:builder", period: "all", total: live.total });
    expect(got.items).toEqual(live.items);
    await award("cat", "code", 100, "2026-03-18T00:00:00Z");
    expect((await get(`/api/leaderboard/snapshots/${snap.id}`)).json().items).toEqual(live.items);
    const page = (await get(`/api/leaderboard/snapshots/${snap.id}?limit=1&offset=1`)).json();
    expect(page.items).toEqual(live.items.slice(1, 2));
    expect(page.total).toBe(live.total);
    const list = expectList(await get("/api/leaderboard/snapshots?board=category:builder")) as {
      items: Array<{ id: string }>;
    };
    expect(list.items.map((s) => s.id)).toContain(snap.id);
    const week = await req("POST", "/api/leaderboard/snapshots", {
      token: admin,
      body: { board: "global", period: "week" },
    });
    expect(week.statusCode).toBe(201);
    expect(week.json()).toMatchObject({ board: "global", period: "week" });
    expect(week.json().items).toEqual((await board("board=global&period=week&limit=100")).items);
  });

  it("lists the snapshots of every board when no board is named, and one board's when one is", async () => {
    const take = async (body: object) =>
      (await req("POST", "/api/leaderboard/snapshots", { token: admin, body })).json().id as string;
    const global = await take({ board: "global" });
    const builder = await take({ board: "category:builder" });
    type Summary = { id: string; board: string };
    const list = async (q: string): Promise<{ items: Summary[]; total: number }> =>
      (await get(`/api/leaderboard/snapshots${q}`)).json();
    const ids = async (q: string) => (await list(q)).items.map((s) => s.id);
    const all = await list("?limit=100");
    expect(all.items.map((s) => s.id)).toEqual(expect.arrayContaining([global, builder]));
    expect(new Set(all.items.map((s) => s.board))).toEqual(new Set(["global", "category:builder"]));
    expect(all.total).toBe(all.items.length);
    expect(await ids("?board=global")).toContain(global);
    expect(await ids("?board=global")).not.toContain(builder);
    expect(await ids("?board=category:builder")).not.toContain(global);
  });
});
