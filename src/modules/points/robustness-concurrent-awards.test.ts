// Robustness under concurrency, awards: concurrent HTTP awards all land on every board and on the
// live stream, caps hold against racing awards and corrections, and hiding a participant while
// awards to them race it keeps them off the boards. Shared world in robustness.test-support.ts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { call } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType } from "./points.test-support.ts";
import {
  type Contribution,
  createRaceWorld,
  expectBoardIsLive,
  expectRaceWorldConsistent,
  expectStatus,
  getJson,
  liveSums,
  norm,
  type RaceWorld,
  RACE_USERS as USERS,
  WEEK,
} from "./robustness.test-support.ts";

describe("concurrent awards", () => {
  const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16
  let w: RaceWorld;
  let merit: TestMerit;
  let admin: string;
  let steward: string;
  let ids: Record<string, string>;
  let work: string;
  let capped: string;

  beforeAll(async () => {
    w = await createRaceWorld(clock);
    ({ merit, admin, steward, ids, work, capped } = w);
  }, 60_000);
  afterAll(() => merit?.destroy());

  const post = (body: Record<string, unknown>, token = admin) =>
    call(merit, "POST", "/api/contributions", { token, body });
  const expectConsistent = () => expectRaceWorldConsistent(w);

  it("keeps every one of 60 concurrent HTTP awards (batched internally) on every board and on the stream", async () => {
    const address = await merit.app.listen({ port: 0, host: "127.0.0.1" });
    const controller = new AbortController();
    const res = await fetch(`${address}/api/leaderboard/stream`, { signal: controller.signal });
    const reader = res.body!.getReader();
    let streamed = "";
    const reading = (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          streamed += new TextDecoder().decode(value);
        }
      } catch {
        // aborted
      }
    })();
    try {
      const now = clock.now().getTime();
      const bodies = Array.from({ length: 60 }, (_, i) => ({
        username: USERS[(i * 7) % USERS.length],
        contributionTypeId: work,
        points: 1 + ((i * 13) % 50),
        contributionDate: new Date(now - ((i * 37) % 600) * 3_600_000).toISOString(),
      }));
      const responses = await Promise.all(bodies.map((b, i) => post(b, i % 3 === 0 ? steward : admin)));
      for (const r of responses) expectStatus(r, 201);
      const created = responses.map((r) => r.json() as Contribution);
      expect(new Set(created.map((c) => c.id)).size).toBe(60);
      for (const [i, c] of created.entries()) {
        expect(c.username).toBe(bodies[i].username);
        expect(c.points).toBe(bodies[i].points);
        expect(c.globalPoints).toBe(norm(new Decimal(bodies[i].points).times("2").toFixed()));
      }
      const list = await getJson<{ total: number }>(merit, "/api/contributions?limit=1", admin);
      expect(list.total).toBe(60);
      await expectConsistent();
      // Every award reached the live stream once.
      const deadline = Date.now() + 5_000;
      while ((streamed.match(/event: award\n/g) ?? []).length < 60 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      const ids = [...streamed.matchAll(/event: award\ndata: (.*)\n/g)].map(
        (m) => (JSON.parse(m[1]) as { contributionId: string }).contributionId,
      );
      expect(ids.sort()).toEqual(created.map((c) => c.id).sort());
    } finally {
      controller.abort();
      await reading;
    }
  });

  it("never lets concurrent awards of a capped type pass its total or weekly cap", async () => {
    // 8 participants x 5 awards of 10: the weekly cap (30) allows 3 each, the total cap (100) 10 in all.
    const bodies = Array.from({ length: 40 }, (_, i) => ({
      username: USERS[i % 8],
      contributionTypeId: capped,
      points: 10,
      contributionDate: "2026-03-17T09:00:00Z",
    }));
    const responses = await Promise.all(bodies.map((b) => post(b)));
    const ok = responses.filter((r) => r.statusCode === 201);
    const refused = responses.filter((r) => r.statusCode !== 201);
    expect(ok).toHaveLength(10);
    for (const r of refused) {
      expectStatus(r, 422);
      expect(r.json().error.code).toBe("CAP_EXCEEDED");
    }
    const perUser = new Map<string, number>();
    for (const r of ok) perUser.set(r.json().username, (perUser.get(r.json().username) ?? 0) + 10);
    for (const used of perUser.values()) expect(used).toBeLessThanOrEqual(30);
    const live = await rows<{ s: number }>(
      merit.core.db.orm,
      sql`SELECT coalesce(sum(points), 0)::int AS s FROM contributions WHERE contribution_type_id = ${capped} AND revoked_at IS NULL`,
    );
    expect(live[0].s).toBe(100);
    await expectConsistent();
  });

  it("never lets corrections racing awards pass a cap either", async () => {
    const root = adminActor(ids.root);
    const tight = await makeType(merit, root, { slug: "tight", category: "builder", caps: { total: 60 } });
    const first: Contribution[] = [];
    for (const u of USERS.slice(0, 5)) {
      const r = await post({ username: u, contributionTypeId: tight.id, points: 10 });
      expectStatus(r, 201);
      first.push(r.json());
    }
    // 50 of 60 used: of five raises by 5 and three awards of 5, exactly two fit.
    const results = await Promise.all([
      ...first.map((c) =>
        call(merit, "POST", `/api/contributions/${c.id}/corrections`, {
          token: admin,
          body: { points: 15, reason: "recount" },
        }),
      ),
      ...USERS.slice(5, 8).map((u) => post({ username: u, contributionTypeId: tight.id, points: 5 })),
    ]);
    const ok = results.filter((r) => r.statusCode === 200 || r.statusCode === 201);
    expect(ok).toHaveLength(2);
    for (const r of results.filter((x) => x.statusCode >= 400)) {
      expectStatus(r, 422);
      expect(r.json().error.code).toBe("CAP_EXCEEDED");
    }
    const live = await rows<{ s: number }>(
      merit.core.db.orm,
      sql`SELECT sum(points)::int AS s FROM contributions WHERE contribution_type_id = ${tight.id} AND revoked_at IS NULL`,
    );
    expect(live[0].s).toBe(60);
    await expectConsistent();
  });

  it("keeps a participant hidden while awards to them race the hiding, and shows them whole again", async () => {
    const hide = (hidden: boolean) =>
      call(merit, "PATCH", `/api/admin/users/${ids.hx}`, { token: admin, body: { hidden } });
    const awards = Array.from({ length: 20 }, (_, i) =>
      post({
        username: i % 2 ? "hx" : USERS[i % USERS.length],
        contributionTypeId: work,
        points: 300 + i,
        contributionDate: "2026-03-18T10:00:00Z",
      }),
    );
    const reads = Array.from({ length: 5 }, () => merit.app.inject({ url: "/api/leaderboard?board=global" }));
    const [hidden] = await Promise.all([hide(true), ...awards, ...reads]);
    expectStatus(hidden, 200);
    for (const r of await Promise.all(awards)) expectStatus(r, 201);
    const board = await expectBoardIsLive(merit, "board=global");
    expect(board.items.map((i) => i.username)).not.toContain("hx");
    await expectBoardIsLive(merit, "board=global&period=week", WEEK);
    const hxRank = await getJson<{ rank: number | null; total: number }>(
      merit,
      "/api/leaderboard/rank?user=hx",
      admin,
    );
    expect(hxRank.rank).toBeNull();
    expect(hxRank.total).toBe(board.total);
    for (const i of board.items) {
      const r = await getJson<{ rank: number; points: string }>(
        merit,
        `/api/leaderboard/rank?user=${i.username}`,
      );
      expect([r.rank, r.points]).toEqual([i.rank, i.points]);
    }
    expectStatus(await hide(false), 200);
    const back = await expectBoardIsLive(merit, "board=global");
    const expected = (await liveSums(merit, sql`u.username = 'hx'`)).get("hx");
    expect(back.items.find((i) => i.username === "hx")?.points).toBe(expected?.[0]);
    await expectConsistent();
  });
});
