// Conformance of the points HTTP API with the specification (issue 4, API part): participants —
// the paginated list, a profile with its ranks on every board, and the stats.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  createSpecWorld,
  DECIMAL,
  expectCamel,
  expectError,
  expectList,
  expectNamesField,
  type SpecWorld,
  specApi,
} from "./spec.test-support.ts";

const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday

let w: SpecWorld;
let ids: Record<string, string>;
const { req, get, board, award } = specApi(() => w);

beforeAll(async () => {
  w = await createSpecWorld(clock);
  ({ ids } = w);
  // ben is on the global, writer, pool and spring boards.
  await award("ann", "weekly", 10, "2026-03-16T00:00:00Z");
  await award("ben", "docs", 5, "2026-03-10T08:00:00Z");
  await award("ben", "bounty", 10, "2026-03-05T10:00:00Z");
  await award("cat", "bounty", 10, "2026-03-05T10:00:00Z");
  await award("dan", "code", 40, "2026-03-16T10:00:00Z");
  const spring = await req("POST", "/api/campaigns", {
    token: w.admin,
    body: {
      slug: "spring",
      name: "Spring",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-03-10T00:00:00Z",
      pool: { amount: "100", token: "VTX", decimals: 0 },
      contributionTypes: [w.types.bounty],
    },
  });
  expect(spring.statusCode, spring.body).toBe(201);
});
afterAll(() => w?.merit.destroy());

describe("participants and stats", () => {
  it("lists participants as a paginated {items, total} with decimal-string points", async () => {
    const all = expectList(await get("/api/participants?limit=100")) as {
      items: Array<{ username: string; points: string; contributions: number }>;
      total: number;
    };
    for (const p of all.items) {
      expect(p.points).toMatch(DECIMAL);
      expect(Number.isInteger(p.contributions)).toBe(true);
    }
    const p2 = (await get("/api/participants?limit=2&offset=2")).json();
    expect(p2.total).toBe(all.total);
    expect(p2.items).toEqual(all.items.slice(2, 4));
    for (const q of ["limit=101", "limit=0", "offset=-1"])
      expectNamesField(expectError(await get(`/api/participants?${q}`), 400), q.split("=")[0]);
    expect(
      (await get("/api/participants?search=ANN")).json().items.map((p: { username: string }) => p.username),
    ).toEqual(["ann"]);
  });

  it("serves a profile with totals, ranks on each board, recent contributions and 404 for unknown names", async () => {
    const r = await get("/api/participants/ben");
    expect(r.statusCode).toBe(200);
    const p = r.json();
    expectCamel(p);
    expect(p).toMatchObject({ userId: ids.ben, username: "ben", listed: true });
    expect(p.totals.points).toMatch(DECIMAL);
    const global = (await board("board=global&search=ben")).items[0];
    expect(p.totals).toEqual({ points: global.points, contributions: global.contributions });
    const rank = p.ranks.find(
      (x: { board: string; period: string }) => x.board === "global" && x.period === "all",
    );
    expect(rank).toMatchObject({ rank: global.rank, points: global.points });
    expect(p.ranks.map((x: { board: string }) => x.board)).toEqual(
      expect.arrayContaining(["global", "category:writer", "campaign:spring"]),
    );
    expect(p.recentContributions.length).toBeGreaterThan(0);
    expect(p.recentContributions.every((c: { username: string }) => c.username === "ben")).toBe(true);
    expectError(await get("/api/participants/nobody-here"), 404, "PARTICIPANT_NOT_FOUND");
  });

  it("gives stats as decimal strings with a 30-day daily series", async () => {
    clock.advance(11_000); // past the stats cache
    const r = await get("/api/stats");
    expect(r.statusCode).toBe(200);
    const s = r.json();
    expectCamel(s);
    expect(s.points).toMatch(DECIMAL);
    expect(s.daily).toHaveLength(30);
    expect(s.daily[29].date).toBe("2026-03-18");
    for (const d of s.daily) expect(d.points).toMatch(DECIMAL);
    const global = await board("board=global&limit=100");
    expect(s.participants).toBe(global.total);
  });

  it("lists the global board's participants in its order; an exact username finds any visible account", async () => {
    type Listed = {
      items: Array<{ username: string; points: string; contributions: number }>;
      total: number;
    };
    const names = async (query = "") => {
      const r = (await get(`/api/participants?limit=100${query}`)).json() as Listed;
      expect(r.total).toBe(r.items.length);
      return r.items.map((p) => p.username);
    };
    const onBoard = async () =>
      ((await board("board=global&limit=100")).items as Array<{ username: string }>).map((i) => i.username);
    // The staff accounts (boss, stew), mia, a_x and abx have no contribution; ann and cat tie on 10,
    // in the board's tie order.
    expect(await names()).toEqual(await onBoard());
    expect([...(await names())].sort()).toEqual(["ann", "ben", "cat", "dan"]);
    expect(await names("&search=a")).toEqual((await onBoard()).filter((n) => n.includes("a")));
    expect(await names("&search=mi")).toEqual([]);
    for (const exact of ["mia", "MIA", "boss"])
      expect(await names(`&search=${exact}`)).toEqual([exact.toLowerCase()]);
    const mia = (await get("/api/participants?search=mia")).json() as Listed;
    expect(mia.items[0]).toMatchObject({ points: "0", contributions: 0 });
    // Once every contribution of a participant is revoked they leave the list, as they leave the
    // board; their exact username still finds them.
    const only = await award("a_x", "code", 3, "2026-03-17T09:00:00Z");
    expect(await names()).toEqual(await onBoard());
    expect(await names()).toContain("a_x");
    const revoked = await req("DELETE", `/api/contributions/${only.id}`, {
      token: w.admin,
      body: { reason: "test" },
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(await names()).toEqual(await onBoard());
    expect(await names()).not.toContain("a_x");
    expect(await names("&search=_")).toEqual([]);
    expect(await names("&search=a_x")).toEqual(["a_x"]);
    await w.merit.composition.points.ledger.rebuild();
    expect(await names()).toEqual(await onBoard());
    expect(await names("&search=a_x")).toEqual(["a_x"]);
  });
});
