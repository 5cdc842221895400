import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";
import {
  type Contribution,
  expectBoardIsLive,
  expectLedgerClean,
  expectStatus,
  fullBoard,
  getJson,
  liveSums,
  norm,
  parseCsv,
} from "./robustness.test-support.ts";

describe("concurrent writes", () => {
  const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16
  let merit: TestMerit;
  let admin: string;
  let steward: string;
  let ids: Record<string, string>;
  let work: string;
  let capped: string;
  const USERS = Array.from({ length: 12 }, (_, i) => `cu${String(i).padStart(2, "0")}`);
  const WEEK = sql`c.contribution_date >= '2026-03-16T00:00:00Z' AND c.contribution_date < '2026-03-23T00:00:00Z'`;
  const MONTH = sql`c.contribution_date >= '2026-03-01T00:00:00Z' AND c.contribution_date < '2026-04-01T00:00:00Z'`;

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "conboss", ["admin", "member"])).accessToken;
    steward = (await signedInUser(merit, "constew", ["steward", "member"])).accessToken;
    ids = await makeUsers(merit, ["root", ...USERS, "hx"]);
    const root = adminActor(ids.root);
    work = (await makeType(merit, root, { slug: "work", category: "builder", max: 1000 })).id;
    capped = (
      await makeType(merit, root, {
        slug: "capped",
        category: "builder",
        max: 50,
        caps: { total: 100, perParticipantPerWeek: 30 },
      })
    ).id;
    await merit.composition.points.catalog.createMultiplier(root, {
      contributionTypeId: work,
      value: "2",
      validFrom: "2026-01-01T00:00:00Z",
    });
    await merit.composition.points.campaigns.create(root, {
      slug: "spring",
      name: "Spring",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-04-01T00:00:00Z",
      contributionTypes: [work],
      pool: { amount: "1000", token: "VTX", decimals: 2 },
    });
  }, 60_000);
  afterAll(() => merit?.destroy());

  const post = (body: Record<string, unknown>, token = admin) =>
    call(merit, "POST", "/api/contributions", { token, body });

  /** Every board this world has equals the live contributions; the ledger explains every total. */
  async function expectConsistent() {
    await expectLedgerClean(merit);
    await expectBoardIsLive(merit, "board=global");
    await expectBoardIsLive(merit, "board=global&period=week", WEEK);
    await expectBoardIsLive(merit, "board=global&period=month", MONTH);
    await expectBoardIsLive(merit, "board=category:builder");
    await expectBoardIsLive(
      merit,
      "board=campaign:spring",
      sql`c.contribution_type_id = ${work} AND ${MONTH}`,
    );
    const shares = (await fullBoard(merit, "board=campaign:spring")).items.map((i) => i.share ?? "x");
    if (shares.length > 0) {
      expect(shares.reduce((s, x) => s.plus(x), new Decimal(0)).toFixed()).toBe("1000");
    }
  }

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

  it("lets exactly one of six concurrent revocations of a contribution succeed; the others get 409", async () => {
    const c = (
      await post({
        username: USERS[0],
        contributionTypeId: work,
        points: 40,
        contributionDate: "2026-03-17T10:00:00Z",
      })
    ).json() as Contribution;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        call(merit, "DELETE", `/api/contributions/${c.id}`, {
          token: i % 2 ? steward : admin,
          body: { reason: `duplicate ${i}` },
        }),
      ),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    for (const r of results.filter((x) => x.statusCode !== 200)) {
      expectStatus(r, 409);
      expect(r.json().error.code).toBe("ALREADY_REVOKED");
    }
    const ledger = await getJson<{ items: Array<{ kind: string; globalDelta: string }> }>(
      merit,
      `/api/admin/ledger?contribution=${c.id}`,
      admin,
    );
    expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
      ["revocation", "-80"],
      ["award", "80"],
    ]);
    await expectConsistent();
  });

  it("settles a correction racing a revocation either way, never both half-applied", async () => {
    const made: Contribution[] = [];
    for (const [i, u] of USERS.slice(0, 10).entries()) {
      const r = await post({
        username: u,
        contributionTypeId: work,
        points: 20 + i,
        contributionDate: "2026-03-16T08:00:00Z",
      });
      expectStatus(r, 201);
      made.push(r.json());
    }
    const results = await Promise.all(
      made.flatMap((c, i) => {
        const correct = call(merit, "POST", `/api/contributions/${c.id}/corrections`, {
          token: admin,
          body: { points: 77, reason: "recount" },
        });
        const revoke = call(merit, "DELETE", `/api/contributions/${c.id}`, {
          token: steward,
          body: { reason: "spam" },
        });
        return i % 2 ? [correct, revoke] : [revoke, correct];
      }),
    );
    for (const [i, c] of made.entries()) {
      const pair = results.slice(2 * i, 2 * i + 2);
      const [correct, revoke] = i % 2 ? pair : [pair[1], pair[0]];
      expectStatus(revoke, 200);
      const ledger = await getJson<{ items: Array<{ kind: string; globalDelta: string }> }>(
        merit,
        `/api/admin/ledger?contribution=${c.id}`,
        admin,
      );
      const award = norm(new Decimal(c.points).times("2").toFixed());
      if (correct.statusCode === 200) {
        expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
          ["revocation", "-154"],
          ["correction", norm(new Decimal("154").minus(award).toFixed())],
          ["award", award],
        ]);
      } else {
        expectStatus(correct, 409);
        expect(correct.json().error.code).toBe("ALREADY_REVOKED");
        expect(ledger.items.map((e) => [e.kind, e.globalDelta])).toEqual([
          ["revocation", `-${award}`],
          ["award", award],
        ]);
      }
      const now = await getJson<Contribution>(merit, `/api/contributions/${c.id}`);
      expect(now.revokedAt).not.toBeNull();
    }
    await expectConsistent();
  });

  it("chains concurrent corrections of one contribution in the ledger; the last one written is the points", async () => {
    const c = (
      await post({
        username: USERS[2],
        contributionTypeId: work,
        points: 10,
        contributionDate: "2026-03-17T11:00:00Z",
      })
    ).json() as Contribution;
    const targets = Array.from({ length: 10 }, (_, i) => 11 + i);
    const results = await Promise.all(
      targets.map((points) =>
        call(merit, "POST", `/api/contributions/${c.id}/corrections`, {
          token: admin,
          body: { points, reason: `to ${points}` },
        }),
      ),
    );
    for (const r of results) expectStatus(r, 200);
    const ledger = await getJson<{
      items: Array<{ kind: string; pointsDelta: number; reason: string | null }>;
    }>(merit, `/api/admin/ledger?contribution=${c.id}&limit=100`, admin);
    // Oldest first: each correction moves the points from where the previous one left them.
    const entries = [...ledger.items].reverse();
    expect(entries.map((e) => e.kind)).toEqual(["award", ...targets.map(() => "correction")]);
    let points = 0;
    for (const e of entries) {
      points += e.pointsDelta;
      if (e.kind === "correction") expect(`to ${points}`).toBe(e.reason);
    }
    const now = await getJson<Contribution>(merit, `/api/contributions/${c.id}`);
    expect(now.points).toBe(points);
    expect(now.globalPoints).toBe(String(points * 2));
    expect(targets).toContain(points);
    await expectConsistent();
  });

  it("keeps a campaign board exact when awards race edits of its window and types", async () => {
    const root = adminActor(ids.root);
    const campaigns = merit.composition.points.campaigns;
    await campaigns.create(root, {
      slug: "race",
      name: "Race",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-03-10T00:00:00Z",
      contributionTypes: [work],
    });
    const now = clock.now().getTime();
    const burst = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) =>
        post({
          username: USERS[(i + seed) % USERS.length],
          contributionTypeId: i % 4 === 0 ? capped : work,
          points: i % 4 === 0 ? 1 : 1 + ((i * 11 + seed) % 40),
          contributionDate: new Date(now - ((i * 53 + seed) % 500) * 3_600_000).toISOString(),
        }),
      );
    const edit = (patch: Record<string, unknown>) =>
      call(merit, "PATCH", "/api/campaigns/race", { token: admin, body: patch });
    for (const [seed, patch] of [
      [1, { startsAt: "2026-03-05T00:00:00Z", endsAt: "2026-03-15T00:00:00Z" }],
      [2, { contributionTypes: [] }],
      [3, { startsAt: "2026-02-26T00:00:00Z", endsAt: "2026-03-12T12:00:00Z", contributionTypes: [work] }],
    ] as const) {
      const first = burst(15, seed);
      const patched = edit(patch);
      const second = burst(15, seed + 100);
      const all = await Promise.all([...first, patched, ...second]);
      for (const r of all) expect([200, 201, 422]).toContain(r.statusCode);
      expectStatus(await patched, 200);
      const c = await getJson<{ startsAt: string; endsAt: string; contributionTypes: string[] }>(
        merit,
        "/api/campaigns/race",
      );
      const types =
        c.contributionTypes.length === 0
          ? sql`TRUE`
          : sql`c.contribution_type_id = ANY(${`{${c.contributionTypes.join(",")}}`}::uuid[])`;
      await expectBoardIsLive(
        merit,
        "board=campaign:race",
        sql`${types} AND c.contribution_date >= ${c.startsAt}::timestamptz AND c.contribution_date < ${c.endsAt}::timestamptz`,
      );
      await expectLedgerClean(merit);
    }
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

  it("exports contributions as CSV honouring every filter, and only visible participants to the public", async () => {
    const csvIds = async (query: string, token?: string) => {
      const r = await merit.app.inject({
        url: `/api/contributions/export.csv?${query}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      expectStatus(r, 200);
      const [header, ...records] = parseCsv(r.body);
      expect(header[0]).toBe("id");
      return records.map((x) => x[0]).sort();
    };
    const listIds = async (query: string, token?: string) => {
      const out: string[] = [];
      for (let offset = 0; ; offset += 100) {
        const p = await getJson<{ items: Contribution[] }>(
          merit,
          `/api/contributions?${query}&limit=100&offset=${offset}`,
          token,
        );
        out.push(...p.items.map((c) => c.id));
        if (p.items.length < 100) break;
      }
      return out.sort();
    };
    const queries = [
      "",
      "includeRevoked=true",
      `user=${USERS[3]}`,
      `user=${ids[USERS[3]]}&includeRevoked=true`,
      "type=capped",
      `type=${work}&from=2026-03-10&to=2026-03-16`,
      "category=builder&from=2026-03-16T00:00:00Z&to=2026-03-17T12:00:00Z",
      "campaign=spring",
      "campaign=race&includeRevoked=true",
      "from=2026-03-18&to=2026-03-18",
    ];
    await call(merit, "PATCH", `/api/admin/users/${ids[USERS[1]]}`, { token: admin, body: { hidden: true } });
    try {
      for (const q of queries) {
        const staff = await csvIds(q, admin);
        expect(staff, q).toEqual(await listIds(q, admin));
        expect(staff.length, q).toBeGreaterThan(0);
        const publicIds = await csvIds(q);
        expect(publicIds, q).toEqual(await listIds(q));
        // The public never sees the hidden participant's contributions.
        const hiddenOnes = new Set(await listIds(`user=${USERS[1]}&includeRevoked=true`, admin));
        expect(
          publicIds.filter((id) => hiddenOnes.has(id)),
          q,
        ).toEqual([]);
      }
      // Checked by hand too: the date filter keeps [from, to + 1 day) for plain dates.
      const rowsOf = parseCsv(
        (await merit.app.inject({ url: "/api/contributions/export.csv?from=2026-03-10&to=2026-03-16" })).body,
      ).slice(1);
      for (const r of rowsOf) {
        expect(r[1] >= "2026-03-10T00:00:00.000Z" && r[1] < "2026-03-17T00:00:00.000Z", r[1]).toBe(true);
        expect(r[11]).toBe(""); // revoked_at: revoked ones only on request
      }
    } finally {
      await call(merit, "PATCH", `/api/admin/users/${ids[USERS[1]]}`, {
        token: admin,
        body: { hidden: false },
      });
    }
  });
});
