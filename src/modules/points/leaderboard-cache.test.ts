// The leaderboard page cache never serves a page older than the last write: awards, revocations,
// renames and visibility changes through the API, and changes made by another process (simulated by
// writing straight to the database, whose triggers NOTIFY every listening process).
import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

let merit: TestMerit;
let ids: Record<string, string>;
let typeId: string;
let adminToken: string;
const clock = new ManualClock("2026-02-11T12:00:00Z");

beforeAll(async () => {
  merit = await createTestMerit({ clock });
  ids = await makeUsers(merit, ["root", "amy", "bob", "cyd"]);
  typeId = (await makeType(merit, adminActor(ids.root), { slug: "cache-work", max: 1000 })).id;
  adminToken = (await signedInUser(merit, "cacheadmin", ["admin"])).accessToken;
  for (const [username, points] of [
    ["amy", 30],
    ["bob", 20],
    ["cyd", 10],
  ] as const) {
    const r = await call(merit, "POST", "/api/contributions", {
      token: adminToken,
      body: { username, contributionTypeId: typeId, points },
    });
    expect(r.statusCode).toBe(201);
  }
});
afterAll(() => merit?.destroy());

const top = async (query = "board=global&limit=10") => {
  const r = await merit.app.inject({ url: `/api/leaderboard?${query}` });
  expect(r.statusCode).toBe(200);
  const page = r.json() as {
    items: Array<{ rank: number; username: string; displayName: string | null; points: string }>;
    total: number;
  };
  return page;
};
const rows = async (query?: string) => (await top(query)).items.map((i) => `${i.username}:${i.points}`);
/** Awards through the API (dated now unless `contributionDate`); returns the contribution id. */
const award = async (username: string, points: number, contributionDate?: string) => {
  const r = await call(merit, "POST", "/api/contributions", {
    token: adminToken,
    body: { username, contributionTypeId: typeId, points, contributionDate },
  });
  expect(r.statusCode).toBe(201);
  return r.json().id as string;
};
const revoke = async (id: string) => {
  const r = await call(merit, "DELETE", `/api/contributions/${id}`, {
    token: adminToken,
    body: { reason: "cache test cleanup" },
  });
  expect(r.statusCode).toBe(200);
};

describe("leaderboard page cache", () => {
  it("serves repeated reads of a page identically", async () => {
    const a = await top();
    const b = await top();
    expect(b).toEqual(a);
    expect(a.items.map((i) => i.username)).toEqual(["amy", "bob", "cyd"]);
  });

  it("shows an award and a revocation on the very next read of every period", async () => {
    // A custom range around today is cached like the other periods.
    const custom = "custom&from=2026-02-01&to=2026-02-28";
    const spy = vi.spyOn(merit.core.db, "transaction");
    for (const period of ["all", "week", "month", custom])
      await top(`board=global&period=${period}&limit=10`);
    spy.mockClear();
    expect(await rows(`board=global&period=${custom}&limit=10`)).toEqual(["amy:30", "bob:20", "cyd:10"]);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
    const r = await call(merit, "POST", "/api/contributions", {
      token: adminToken,
      body: { username: "cyd", contributionTypeId: typeId, points: 25 },
    });
    expect(r.statusCode).toBe(201);
    for (const period of ["all", "week", "month", custom])
      expect(await rows(`board=global&period=${period}&limit=10`)).toEqual(["cyd:35", "amy:30", "bob:20"]);
    const del = await call(merit, "DELETE", `/api/contributions/${r.json().id}`, {
      token: adminToken,
      body: { reason: "test revocation" },
    });
    expect(del.statusCode).toBe(200);
    expect(await rows()).toEqual(["amy:30", "bob:20", "cyd:10"]);
    expect(await rows(`board=global&period=${custom}&limit=10`)).toEqual(["amy:30", "bob:20", "cyd:10"]);
  });

  it("keeps a past range cached across awards dated today, and drops it for writes dated inside it", async () => {
    const january = "board=global&period=custom&from=2026-01-01&to=2026-01-31&limit=10";
    const jan15 = await award("bob", 7, "2026-01-15T10:00:00Z");
    expect(await rows(january)).toEqual(["bob:7"]);
    const spy = vi.spyOn(merit.core.db, "transaction");
    try {
      // Dated today: the all-time board changes at once, January's page is served from the cache.
      const today = await award("amy", 5);
      expect(await rows()).toEqual(["amy:35", "bob:27", "cyd:10"]);
      spy.mockClear();
      expect(await rows(january)).toEqual(["bob:7"]);
      expect(spy).not.toHaveBeenCalled();
      await revoke(today); // a revocation runs in a transaction of its own
      spy.mockClear();
      expect(await rows(january)).toEqual(["bob:7"]);
      expect(spy).not.toHaveBeenCalled();
      // Dated inside January: the next read shows it; so does a revocation there.
      const jan20 = await award("cyd", 9, "2026-01-20T08:00:00Z");
      expect(await rows(january)).toEqual(["cyd:9", "bob:7"]);
      expect(spy).toHaveBeenCalled();
      await revoke(jan20);
      expect(await rows(january)).toEqual(["bob:7"]);
    } finally {
      spy.mockRestore();
      await revoke(jan15);
    }
    expect(await rows(january)).toEqual([]);
    expect(await rows()).toEqual(["amy:30", "bob:20", "cyd:10"]);
  });

  it("drops hidden and banned participants and shows new display names at once", async () => {
    await top();
    const patch = (body: object) =>
      call(merit, "PATCH", `/api/admin/users/${ids.amy}`, { token: adminToken, body });
    expect((await patch({ hidden: true })).statusCode).toBe(200);
    expect(await rows()).toEqual(["bob:20", "cyd:10"]);
    expect((await patch({ hidden: false })).statusCode).toBe(200);
    expect(await rows()).toEqual(["amy:30", "bob:20", "cyd:10"]);
    expect((await patch({ banned: true, banReason: "spam" })).statusCode).toBe(200);
    expect(await rows()).toEqual(["bob:20", "cyd:10"]);
    expect((await patch({ banned: false })).statusCode).toBe(200);

    const dee = await signedInUser(merit, "dee", ["member"]);
    const award = await call(merit, "POST", "/api/contributions", {
      token: adminToken,
      body: { username: "dee", contributionTypeId: typeId, points: 5 },
    });
    expect(award.statusCode).toBe(201);
    expect((await top()).items.find((i) => i.username === "dee")?.displayName).not.toBe("Dee Dee");
    const me = await call(merit, "PATCH", "/api/users/me", {
      token: dee.accessToken,
      body: { displayName: "Dee Dee" },
    });
    expect(me.statusCode).toBe(200);
    expect((await top()).items.find((i) => i.username === "dee")?.displayName).toBe("Dee Dee");
    const undo = await call(merit, "DELETE", `/api/contributions/${award.json().id}`, {
      token: adminToken,
      body: { reason: "keep the board small" },
    });
    expect(undo.statusCode).toBe(200);
  });

  it("takes hidden participants out of rank lookups and follows their points while hidden", async () => {
    const rank = async (user: string, token?: string) => {
      const r = await call(merit, "GET", `/api/leaderboard/rank?board=global&user=${user}`, { token });
      expect(r.statusCode, r.body).toBe(200);
      const v = r.json() as { rank: number | null; total: number };
      return [v.rank, v.total];
    };
    const eve = await signedInUser(merit, "eve", ["member"]);
    const hide = async (hidden: boolean) => {
      const r = await call(merit, "PATCH", `/api/admin/users/${eve.user.id}`, {
        token: adminToken,
        body: { hidden },
      });
      expect(r.statusCode).toBe(200);
    };
    const eves = await award("eve", 15);
    expect(await rank("cyd")).toEqual([4, 4]);
    await hide(true);
    expect(await rank("cyd")).toEqual([3, 3]);
    // Hidden eve has no rank; only she and staff see her points, anyone else gets the unknown 404.
    expect(await rank("eve", eve.accessToken)).toEqual([null, 3]);
    const shown = await call(merit, "GET", "/api/leaderboard/rank?board=global&user=eve", {
      token: adminToken,
    });
    expect(shown.json()).toMatchObject({ rank: null, points: "15" });
    for (const user of ["eve", eve.user.id]) {
      const anonymous = await merit.app.inject({ url: `/api/leaderboard/rank?board=global&user=${user}` });
      expect(anonymous.statusCode).toBe(404);
      expect(anonymous.json().error.code).toBe("PARTICIPANT_NOT_FOUND");
      expect(anonymous.json()).not.toHaveProperty("points");
    }
    // Hidden eve drops below cyd: cyd must not be pushed down by eve's old total.
    await revoke(eves);
    const low = await award("eve", 5);
    expect(await rank("cyd")).toEqual([3, 3]);
    // ...and climbs back above: cyd still does not see her.
    const high = await award("eve", 40);
    expect(await rank("cyd")).toEqual([3, 3]);
    expect(await rank("bob")).toEqual([2, 3]);
    await hide(false);
    expect(await rank("eve")).toEqual([1, 4]);
    expect(await rank("cyd")).toEqual([4, 4]);
    await revoke(low);
    await revoke(high);
  });

  it("computes a cold page once for concurrent readers", async () => {
    const points = merit.composition.points;
    await points.campaigns.create(adminActor(ids.root), {
      slug: "cache-pool",
      name: "Cache pool",
      startsAt: "2026-01-01T00:00:00Z",
      endsAt: "2027-01-01T00:00:00Z",
      pool: { amount: "1000", token: "TKN", decimals: 2 },
    });
    const spy = vi.spyOn(points.campaigns, "shares");
    try {
      const pages = await Promise.all([...Array(10)].map(() => top("board=campaign:cache-pool&limit=10")));
      expect(spy).toHaveBeenCalledTimes(1);
      for (const p of pages) expect(p).toEqual(pages[0]);
      const shares = pages[0].items.map((i) => (i as { share?: string }).share);
      expect(shares.reduce((a, x) => a + Number(x), 0)).toBeCloseTo(1000, 6);
    } finally {
      spy.mockRestore();
    }
  });

  it("splits the pool again on the next read after an award, for pages and rank lookups alike", async () => {
    const board = "board=campaign:cache-pool&limit=10";
    const shareOf = (p: Awaited<ReturnType<typeof top>>, username: string) =>
      (p.items.find((i) => i.username === username) as { share?: string } | undefined)?.share;
    const before = await top(board);
    const r = await call(merit, "POST", "/api/contributions", {
      token: adminToken,
      body: { username: "cyd", contributionTypeId: typeId, points: 40 },
    });
    expect(r.statusCode).toBe(201);
    const after = await top(board);
    expect(shareOf(after, "cyd")).not.toBe(shareOf(before, "cyd"));
    const sum = after.items.reduce((a, i) => a + Number((i as { share?: string }).share), 0);
    expect(sum).toBeCloseTo(1000, 6);
    const rank = await merit.app.inject({ url: "/api/leaderboard/rank?board=campaign:cache-pool&user=cyd" });
    expect(rank.json().share).toBe(shareOf(after, "cyd"));
    const undo = await call(merit, "DELETE", `/api/contributions/${r.json().id}`, {
      token: adminToken,
      body: { reason: "back to the earlier board" },
    });
    expect(undo.statusCode).toBe(200);
    expect(shareOf(await top(board), "cyd")).toBe(shareOf(before, "cyd"));
  });

  it("never keeps a campaign read that another process's edit overlapped (its old pool split every later page)", async () => {
    const points = merit.composition.points;
    const created = await points.campaigns.create(adminActor(ids.root), {
      slug: "cache-race",
      name: "Cache race",
      startsAt: "2026-01-01T00:00:00Z",
      pool: { amount: "1000", token: "TKN", decimals: 2 },
    });
    await new Promise((r) => setTimeout(r, 200)); // the creation's own NOTIFY has come and gone
    // Hold the result of the campaign lookup until another process's edit has been heard.
    const orm = merit.core.db.orm;
    const execute = orm.execute.bind(orm);
    const dialect = new PgDialect();
    let readDone!: () => void;
    const read = new Promise<void>((r) => {
      readDone = r;
    });
    let open!: () => void;
    const opened = new Promise<void>((r) => {
      open = r;
    });
    let held = false;
    const spy = vi.spyOn(orm, "execute").mockImplementation(((query: SQL) => {
      if (held || !dialect.sqlToQuery(query).sql.includes("ORDER BY c.starts_at DESC")) return execute(query);
      held = true;
      return execute(query).then(async (result) => {
        readDone();
        await opened;
        return result;
      });
    }) as typeof orm.execute);
    try {
      const lookup = points.campaigns.shares(created.id);
      await read; // the lookup has read the 1000 TKN pool
      const heard = new Promise<void>((r) => {
        const stop = merit.core.changes.subscribe("boards", () => {
          stop();
          r();
        });
      });
      await merit.core.db.orm.execute(
        sql`UPDATE campaigns SET pool_amount = 500 WHERE id = ${created.id}`, // another process
      );
      await heard;
      open();
      await lookup;
    } finally {
      spy.mockRestore();
    }
    const page = await top("board=campaign:cache-race&limit=10");
    const sum = page.items.reduce((a, i) => a + Number((i as { share?: string }).share), 0);
    expect(sum).toBeCloseTo(500, 6);
  });

  it("hears changes made by another process through the database", async () => {
    expect(await rows()).toEqual(["amy:30", "bob:20", "cyd:10"]);
    // Another process hides amy: no local signal, only the trigger's NOTIFY.
    await merit.core.db.orm.execute(sql`UPDATE users SET hidden = true WHERE id = ${ids.amy}`);
    const deadline = Date.now() + 5_000; // well under the cache's 10 s expiry
    let seen: string[] = [];
    while (Date.now() < deadline) {
      seen = await rows();
      if (seen.length === 2) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(seen).toEqual(["bob:20", "cyd:10"]);
    await merit.core.db.orm.execute(sql`UPDATE users SET hidden = false WHERE id = ${ids.amy}`);
  });
});
