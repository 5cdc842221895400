// Robustness of the points core: concurrent writes (batched awards, capped awards, racing revocations,
// corrections, campaign edits and hiding), period and campaign boundaries to the millisecond, ties
// across pages and rank lookups, CSV exports, what revocations and corrections change, and a restart
// of the database. After every burst of writes the ledger must explain every total
// (`ledger.verify()` finds no difference) and every board must equal the live contributions.
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { SQL } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { loadConfig } from "../../config.ts";
import { type Clock, ManualClock } from "../../core/clock.ts";
import { type Database, openDatabase, rows, sql } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { createMerit, type Merit } from "../../server.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import type { BoardItem } from "./leaderboard.service.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

type Item = BoardItem;
interface Page {
  items: Item[];
  total: number;
}
interface Contribution {
  id: string;
  username: string;
  points: number;
  globalPoints: string;
  contributionDate: string;
  revokedAt: string | null;
}
/** Either a test app (destroy) or a plain Merit on a database of its own (restart test). */
type AnyMerit = Pick<Merit, "app" | "core" | "composition">;

const norm = (v: string | number) => new Decimal(v).toFixed();

/** Standard competition ranks of points listed best first. */
function competitionRanks(points: string[]): number[] {
  return points.map((p, i) => {
    const first = points.findIndex((q) => new Decimal(q).eq(p));
    return first === -1 ? i + 1 : first + 1;
  });
}

/** RFC 4180 records (quoted fields may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field);
      out.push(row);
      row = [];
      field = "";
    } else if (ch !== "\r") field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

function expectStatus(r: LightMyRequestResponse, status: number) {
  expect(r.statusCode, r.body).toBe(status);
}

async function getJson<T>(m: AnyMerit, url: string, token?: string): Promise<T> {
  const r = await m.app.inject({ url, headers: token ? { authorization: `Bearer ${token}` } : {} });
  expectStatus(r, 200);
  return r.json() as T;
}

/** Every row of a board, through pages of 100. */
async function fullBoard(m: AnyMerit, query: string): Promise<Page> {
  const items: Item[] = [];
  let total = 0;
  for (let offset = 0; ; offset += 100) {
    const p = await getJson<Page>(m, `/api/leaderboard?${query}&limit=100&offset=${offset}`);
    total = p.total;
    items.push(...p.items);
    if (p.items.length < 100) break;
  }
  return { items, total };
}

/** Live points and contribution counts of visible participants, straight from the contributions table. */
async function liveSums(m: AnyMerit, where: SQL = sql`TRUE`) {
  const r = await rows<{ username: string; points: string; n: number }>(
    m.core.db.orm,
    sql`SELECT u.username, sum(c.global_points)::text AS points, count(*)::int AS n
        FROM contributions c JOIN users u ON u.id = c.user_id
        WHERE c.revoked_at IS NULL AND NOT (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL)
          AND ${where}
        GROUP BY u.username`,
  );
  return new Map(r.map((x) => [x.username, [norm(x.points), x.n] as const]));
}

/**
 * The board equals the live contributions matching `where`: same participants, points and counts,
 * best first with competition ranks, and a total that counts them.
 */
async function expectBoardIsLive(m: AnyMerit, query: string, where: SQL = sql`TRUE`): Promise<Page> {
  const board = await fullBoard(m, query);
  const expected = await liveSums(m, where);
  const actual = new Map(board.items.map((i) => [i.username, [i.points, i.contributions] as const]));
  expect(Object.fromEntries(actual), query).toEqual(Object.fromEntries(expected));
  expect(board.total, query).toBe(expected.size);
  const points = board.items.map((i) => i.points);
  const sorted = [...points].sort((a, b) => new Decimal(b).comparedTo(a));
  expect(points, query).toEqual(sorted);
  expect(
    board.items.map((i) => i.rank),
    query,
  ).toEqual(competitionRanks(points));
  return board;
}

async function expectLedgerClean(m: AnyMerit) {
  const report = await m.composition.points.ledger.verify();
  expect(report.sample).toEqual([]);
  expect(report.differences).toBe(0);
}

/** A participant with a chosen display name (straight into the users table, like makeUsers). */
async function makeNamedUser(m: AnyMerit, username: string, displayName: string): Promise<string> {
  const r = await rows<{ id: string }>(
    m.core.db.orm,
    sql`INSERT INTO users (email, username, display_name, referral_code, roles)
        VALUES (${`${username.replace(/[^a-z0-9]/gi, "x")}-${randomBytes(3).toString("hex")}@test.local`}, ${username}, ${displayName},
          ${`ref-${randomBytes(6).toString("hex")}`}, ARRAY['member']::text[]) RETURNING id`,
  );
  return r[0].id;
}

// ---------------------------------------------------------------------------------------------------
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

// ---------------------------------------------------------------------------------------------------
describe("boundaries to the millisecond", () => {
  const clock = new ManualClock("2026-02-02T10:00:00Z"); // a Monday; February 1 is a Sunday
  let merit: TestMerit;
  let admin: string;
  let ids: Record<string, string>;
  let work: string;
  let weekly: string;

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "edgeboss", ["admin", "member"])).accessToken;
    ids = await makeUsers(merit, ["root", "bea", "bob", "cam", "dee"]);
    const root = adminActor(ids.root);
    work = (await makeType(merit, root, { slug: "edge-work", category: "edges", max: 1000 })).id;
    weekly = (
      await makeType(merit, root, {
        slug: "edge-weekly",
        category: "edges",
        caps: { perParticipantPerWeek: 10 },
      })
    ).id;
  }, 60_000);
  afterAll(() => merit?.destroy());

  const award = async (username: string, points: number, contributionDate: string, type = work) => {
    const r = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: { username, contributionTypeId: type, points, contributionDate },
    });
    return r;
  };
  const pointsOf = async (query: string, username: string) =>
    (await fullBoard(merit, query)).items.find((i) => i.username === username)?.points ?? null;

  it("cuts weeks at Monday 00:00:00.000 UTC and months at the 1st, to the millisecond", async () => {
    expectStatus(await award("bea", 1, "2026-01-31T23:59:59.999Z"), 201); // Saturday, January
    expectStatus(await award("bea", 2, "2026-02-01T00:00:00.000Z"), 201); // Sunday, February
    expectStatus(await award("bea", 4, "2026-02-01T23:59:59.999Z"), 201); // Sunday, last ms of the week
    expectStatus(await award("bea", 8, "2026-02-02T00:00:00.000Z"), 201); // Monday, new week
    expect(await pointsOf("board=global&period=week", "bea")).toBe("8");
    expect(await pointsOf("board=global&period=month", "bea")).toBe("14");
    expect(await pointsOf("board=global", "bea")).toBe("15");
    expect(await pointsOf("board=category:edges&period=week", "bea")).toBe("8");
    // A date-time with an offset counts by its UTC instant: Monday 00:30 in UTC+1 is Sunday 23:30 UTC.
    expectStatus(await award("dee", 16, "2026-02-02T00:30:00+01:00"), 201);
    expect(await pointsOf("board=global&period=week", "dee")).toBeNull();
    expect(await pointsOf("board=global&period=month", "dee")).toBe("16");
    expectStatus(await award("dee", 32, "2026-02-01T23:30:00-01:00"), 201); // Monday 00:30 UTC
    expect(await pointsOf("board=global&period=week", "dee")).toBe("32");
    expect(await pointsOf("board=global&period=custom&from=2026-02-01&to=2026-02-01", "dee")).toBe("16");
    try {
      // Seen from the last millisecond of the previous week, the week board is that week's.
      clock.set("2026-02-01T23:59:59.999Z");
      expect(await pointsOf("board=global&period=week", "bea")).toBe("7");
      expect(await pointsOf("board=global&period=month", "bea")).toBe("14");
      clock.set("2026-01-31T23:59:59.999Z");
      expect(await pointsOf("board=global&period=month", "bea")).toBe("1");
      expect(await pointsOf("board=global&period=week", "bea")).toBe("7");
    } finally {
      clock.set("2026-02-02T10:00:00Z");
    }
    await expectLedgerClean(merit);
  });

  it("reads custom ranges: from == to as plain dates is that whole UTC day, date-time ends are exclusive", async () => {
    const custom = (from: string, to: string) =>
      pointsOf(
        `board=global&period=custom&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
        "bea",
      );
    expect(await custom("2026-02-01", "2026-02-01")).toBe("6");
    expect(await custom("2026-01-31", "2026-01-31")).toBe("1");
    expect(await custom("2026-02-02", "2026-02-02")).toBe("8");
    expect(await custom("2026-01-31", "2026-02-02")).toBe("15");
    expect(await custom("2026-02-01T00:00:00Z", "2026-02-02T00:00:00Z")).toBe("6");
    expect(await custom("2026-02-01T00:00:00Z", "2026-02-01T23:59:59.999Z")).toBe("2");
    expect(await custom("2026-01-31T23:59:59.999Z", "2026-02-01T00:00:00.001Z")).toBe("3");
    expect(await custom("2026-02-01T01:00:00+01:00", "2026-02-02T01:00:00+01:00")).toBe("6");
    expect(await custom("2026-02-01T23:59:59.999Z", "2026-02-02T00:00:00Z")).toBe("4");
    const page = await getJson<{ from: string; to: string }>(
      merit,
      "/api/leaderboard?board=global&period=custom&from=2026-02-01&to=2026-02-01",
    );
    expect([page.from, page.to]).toEqual(["2026-02-01T00:00:00.000Z", "2026-02-02T00:00:00.000Z"]);
    const r = await merit.app.inject({
      url: "/api/leaderboard?board=global&period=custom&from=2026-02-02T00:00:00Z&to=2026-02-02T00:00:00Z",
    });
    expectStatus(r, 400);
  });

  it("applies the weekly cap per Monday-Sunday UTC week, to the millisecond", async () => {
    expectStatus(await award("bob", 10, "2026-02-01T23:59:59.999Z", weekly), 201);
    const over = await award("bob", 1, "2026-01-26T00:00:00.000Z", weekly); // same week's first ms
    expectStatus(over, 422);
    expect(over.json().error).toMatchObject({
      code: "CAP_EXCEEDED",
      details: { cap: "perParticipantPerWeek", used: 10 },
    });
    expectStatus(await award("bob", 10, "2026-02-02T00:00:00.000Z", weekly), 201);
    expectStatus(await award("bob", 10, "2026-01-25T23:59:59.999Z", weekly), 201); // the week before
    const monday = await award("bob", 1, "2026-02-02T09:00:00Z", weekly);
    expect(monday.json().error?.code).toBe("CAP_EXCEEDED");
    await expectLedgerClean(merit);
  });

  it("counts a contribution at a campaign's startsAt and not one at its endsAt, and moves them when the window moves", async () => {
    const at = [
      ["cam", 1, "2026-01-19T23:59:59.999Z"], // 1 ms before startsAt: out
      ["cam", 2, "2026-01-20T00:00:00.000Z"], // startsAt: in
      ["cam", 4, "2026-01-26T23:59:59.999Z"], // 1 ms before endsAt: in
      ["cam", 8, "2026-01-27T00:00:00.000Z"], // endsAt: out
    ] as const;
    for (const [u, p, d] of at) expectStatus(await award(u, p, d), 201);
    const r = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "edge-camp",
        name: "Edge",
        startsAt: "2026-01-20T00:00:00.000Z",
        endsAt: "2026-01-27T00:00:00.000Z",
        pool: { amount: "10", token: "VTX", decimals: 0 },
        contributionTypes: [work],
      },
    });
    expectStatus(r, 201);
    expect(await pointsOf("board=campaign:edge-camp", "cam")).toBe("6");
    // An award into the running window after creation lands on the same side of each edge.
    expectStatus(await award("bea", 16, "2026-01-20T00:00:00.000Z"), 201);
    expectStatus(await award("bea", 32, "2026-01-27T00:00:00.000Z"), 201);
    expect(await pointsOf("board=campaign:edge-camp", "bea")).toBe("16");
    const list = await getJson<{ items: Contribution[] }>(
      merit,
      "/api/contributions?campaign=edge-camp&limit=100",
    );
    expect(list.items.map((c) => c.points).sort((a, b) => a - b)).toEqual([2, 4, 16]);
    // The custom-range view of the campaign board follows the same window.
    expect(
      await pointsOf("board=campaign:edge-camp&period=custom&from=2026-01-01&to=2026-01-31", "cam"),
    ).toBe("6");
    // Moving endsAt 1 ms later takes the contributions at the old end in; startsAt 1 ms later drops the first.
    const patch = await call(merit, "PATCH", "/api/campaigns/edge-camp", {
      token: admin,
      body: { startsAt: "2026-01-20T00:00:00.001Z", endsAt: "2026-01-27T00:00:00.001Z" },
    });
    expectStatus(patch, 200);
    expect(await pointsOf("board=campaign:edge-camp", "cam")).toBe("12");
    expect(await pointsOf("board=campaign:edge-camp", "bea")).toBe("32");
    const board = await fullBoard(merit, "board=campaign:edge-camp");
    expect(board.items.reduce((s, i) => s + Number(i.share), 0)).toBe(10);
    await expectLedgerClean(merit);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("ties, paging, rank lookups and board CSV", () => {
  const clock = new ManualClock("2026-04-15T12:00:00Z"); // a Wednesday
  let merit: TestMerit;
  let admin: string;
  let typeId: string;
  const users: Array<{ username: string; displayName: string; id: string }> = [];
  // Display names that CSV must quote, or that a spreadsheet would run as formulas.
  const ODD_NAMES = [
    'Smith, "Bob"',
    "two\nlines",
    '=HYPERLINK("http://evil.example","click")',
    "+1+2",
    "-2+3",
    "@SUM(A1:A9)",
    "-7",
    "plain name",
  ];
  /** JS model of the board: points and when each participant's total last changed. */
  const model = new Map<string, { points: number; at: number; id: string }>();

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "tieboss", ["admin", "member"])).accessToken;
    const ids = await makeUsers(merit, ["root"]);
    typeId = (await makeType(merit, adminActor(ids.root), { slug: "tie-work", category: "ties", max: 1000 }))
      .id;
    for (let i = 0; i < 24; i++) {
      const username = `t${String(i).padStart(2, "0")}`;
      const displayName = i < ODD_NAMES.length ? ODD_NAMES[i] : i % 3 === 0 ? `Odd ${i}` : `Even ${i}`;
      users.push({ username, displayName, id: await makeNamedUser(merit, username, displayName) });
    }
    users.push({ username: "-dash", displayName: "Dash", id: await makeNamedUser(merit, "-dash", "Dash") });
    // Points in tie groups; several participants reach their total at the same instant (the user id
    // decides), others one after another (who got there first decides).
    const plan = [
      50, 50, 50, 40, 40, 30, 30, 30, 30, 20, 50, 10, 10, 40, 5, 5, 5, 5, 30, 20, 60, 1, 1, 50, 30,
    ];
    const awards: Array<{ username: string; points: number }> = [];
    for (const [i, u] of users.entries()) {
      const total = plan[i];
      if (i % 4 === 0 && total > 1) {
        awards.push({ username: u.username, points: total - 1 }, { username: u.username, points: 1 });
      } else awards.push({ username: u.username, points: total });
    }
    for (const [i, a] of awards.entries()) {
      if (i % 3 !== 0) clock.advance(1_000);
      const r = await call(merit, "POST", "/api/contributions", {
        token: admin,
        body: { ...a, contributionTypeId: typeId, contributionDate: "2026-04-14T08:00:00Z" },
      });
      expectStatus(r, 201);
      const u = users.find((x) => x.username === a.username)!;
      const m = model.get(a.username) ?? { points: 0, at: 0, id: u.id };
      model.set(a.username, { ...m, points: m.points + a.points, at: clock.now().getTime() });
    }
  }, 60_000);
  afterAll(() => merit?.destroy());

  /** Expected board: points desc, then who reached the total first, then user id. */
  function expected(hidden: Set<string>): Array<[number, string, string]> {
    const order = [...model.entries()]
      .filter(([u]) => !hidden.has(u))
      .sort(([, a], [, b]) => b.points - a.points || a.at - b.at || (a.id < b.id ? -1 : 1));
    const ranks = competitionRanks(order.map(([, m]) => String(m.points)));
    return order.map(([u, m], i) => [ranks[i], u, String(m.points)]);
  }
  const triples = (items: Item[]) =>
    items.map((i) => [i.rank, i.username, i.points] as [number, string, string]);

  async function pagesOf(query: string, limit: number): Promise<Page> {
    const items: Item[] = [];
    let total = -1;
    for (let offset = 0; ; offset += limit) {
      const p = await getJson<Page>(merit, `/api/leaderboard?${query}&limit=${limit}&offset=${offset}`);
      if (total === -1) total = p.total;
      expect(p.total, `${query} offset ${offset}`).toBe(total);
      items.push(...p.items);
      if (p.items.length < limit) break;
    }
    return { items, total };
  }

  async function expectEverythingAgrees(hidden: Set<string>) {
    const want = expected(hidden);
    for (const query of [
      "board=global",
      "board=category:ties",
      "board=global&period=week",
      "board=global&period=month",
    ]) {
      for (const limit of [1, 2, 3, 7, 100]) {
        const all = await pagesOf(query, limit);
        expect(triples(all.items), `${query} limit ${limit}`).toEqual(want);
        expect(all.total).toBe(want.length);
        expect(new Set(all.items.map((i) => i.userId)).size).toBe(want.length);
      }
      // Search pages: the matching participants in board order with their board ranks.
      for (const search of ["odd", "T1", "e"]) {
        const matching = new Set(
          users
            .filter(
              (u) =>
                u.username.toLowerCase().includes(search.toLowerCase()) ||
                u.displayName.toLowerCase().includes(search.toLowerCase()),
            )
            .map((u) => u.username),
        );
        for (const limit of [2, 5]) {
          const found = await pagesOf(`${query}&search=${search}`, limit);
          expect(triples(found.items), `${query} search ${search} limit ${limit}`).toEqual(
            want.filter(([, u]) => matching.has(u)),
          );
          expect(found.total).toBe(want.filter(([, u]) => matching.has(u)).length);
        }
      }
    }
    // The custom range has its own tie order (latest contribution date in the range, then user id;
    // all the same date here): pages still concatenate to the whole board with competition ranks.
    const range = "board=global&period=custom&from=2026-04-01&to=2026-04-30";
    const whole = await pagesOf(range, 100);
    expect(whole.items.map((i) => i.rank)).toEqual(competitionRanks(whole.items.map((i) => i.points)));
    expect(whole.items.map((i) => i.username).sort()).toEqual(want.map(([, u]) => u).sort());
    for (const limit of [1, 4])
      expect(triples((await pagesOf(range, limit)).items)).toEqual(triples(whole.items));
    // Rank lookups agree with the pages for everyone; hidden participants have no rank.
    for (const [rank, username, points] of want) {
      for (const period of ["all", "week", "month"]) {
        const r = await getJson<{ rank: number | null; points: string; total: number }>(
          merit,
          `/api/leaderboard/rank?user=${encodeURIComponent(username)}&period=${period}`,
        );
        expect([r.rank, r.points, r.total], `${username} ${period}`).toEqual([rank, points, want.length]);
      }
    }
    for (const username of hidden) {
      const r = await getJson<{ rank: number | null }>(merit, `/api/leaderboard/rank?user=${username}`);
      expect(r.rank).toBeNull();
    }
    // The CSV export is the concatenated pages.
    for (const query of ["board=global", "board=global&period=week", range]) {
      const r = await merit.app.inject({ url: `/api/leaderboard/export.csv?${query}` });
      expectStatus(r, 200);
      const [header, ...records] = parseCsv(r.body);
      expect(header).toEqual(["rank", "username", "display_name", "user_id", "points", "contributions"]);
      const pages = await pagesOf(query, 7);
      expect(
        records.map((x) => [Number(x[0]), x[3], x[4], Number(x[5])]),
        query,
      ).toEqual(pages.items.map((i) => [i.rank, i.userId, i.points, i.contributions]));
    }
  }

  it("orders ties deterministically and keeps ranks, totals and order across every page size and search", async () => {
    // The model has real ties, both kinds.
    const want = expected(new Set());
    expect(want.filter(([r]) => r === 2).length).toBeGreaterThan(2);
    await expectEverythingAgrees(new Set());
  });

  it("closes ranks up, on pages, searches, rank lookups and exports, after hiding participants above others", async () => {
    const hide = (username: string, hidden: boolean) =>
      call(merit, "PATCH", `/api/admin/users/${users.find((u) => u.username === username)!.id}`, {
        token: admin,
        body: { hidden },
      });
    // The leader, one of a tie at 50 and one of a tie at 30.
    const top = expected(new Set())[0][1];
    const tied50 = expected(new Set()).filter(([, , p]) => p === "50")[1][1];
    const tied30 = expected(new Set()).filter(([, , p]) => p === "30")[0][1];
    const hidden = new Set([top, tied50, tied30]);
    for (const u of hidden) expectStatus(await hide(u, true), 200);
    await expectEverythingAgrees(hidden);
    for (const u of hidden) expectStatus(await hide(u, false), 200);
    await expectEverythingAgrees(new Set());
  });

  it("quotes commas, quotes and newlines in CSV and defuses names a spreadsheet would run as formulas", async () => {
    const r = await merit.app.inject({ url: "/api/leaderboard/export.csv?board=global" });
    const records = parseCsv(r.body).slice(1);
    expect(records.every((x) => x.length === 6)).toBe(true);
    const byUser = new Map(records.map((x) => [x[1], x]));
    const shown = (username: string) => byUser.get(username)?.[2];
    expect(shown("t00")).toBe('Smith, "Bob"');
    expect(shown("t01")).toBe("two\nlines");
    expect(shown("t02")).toBe(`'=HYPERLINK("http://evil.example","click")`);
    expect(shown("t03")).toBe("'+1+2");
    expect(shown("t04")).toBe("'-2+3");
    expect(shown("t05")).toBe("'@SUM(A1:A9)");
    expect(shown("t06")).toBe("-7"); // a plain number is not a formula
    expect(shown("t07")).toBe("plain name");
    expect(byUser.get("'-dash")?.[2]).toBe("Dash"); // usernames may start with '-' too
    // No cell of the export starts with a formula character unless it is a plain number.
    for (const x of records)
      for (const cell of x) expect(/^[=+\-@]/.test(cell) && !/^-?\d+(\.\d+)?$/.test(cell), cell).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("what revocations and corrections change", () => {
  const clock = new ManualClock("2026-03-18T12:00:00Z"); // a Wednesday: week of March 16
  let merit: TestMerit;
  let admin: string;
  let typeId: string;
  const made: Record<string, Contribution> = {};

  beforeAll(async () => {
    merit = await createTestMerit({ clock });
    admin = (await signedInUser(merit, "revboss", ["admin", "member"])).accessToken;
    const ids = await makeUsers(merit, ["root", "ra", "rb", "rc"]);
    typeId = (await makeType(merit, adminActor(ids.root), { slug: "rev-work", category: "revs", max: 1000 }))
      .id;
    const r = await call(merit, "POST", "/api/campaigns", {
      token: admin,
      body: {
        slug: "rev-camp",
        name: "Rev",
        startsAt: "2026-03-01T00:00:00Z",
        endsAt: "2026-04-01T00:00:00Z",
        pool: { amount: "100", token: "VTX", decimals: 0 },
      },
    });
    expectStatus(r, 201);
    for (const [key, username, points, date] of [
      ["raNow", "ra", 30, "2026-03-17T10:00:00Z"],
      ["rbNow", "rb", 20, "2026-03-16T10:00:00Z"],
      ["rcPast", "rc", 10, "2026-03-10T10:00:00Z"],
      ["raPast", "ra", 5, "2026-03-09T10:00:00Z"],
      ["rbFeb", "rb", 7, "2026-02-27T10:00:00Z"],
    ] as const) {
      const a = await call(merit, "POST", "/api/contributions", {
        token: admin,
        body: { username, contributionTypeId: typeId, points, contributionDate: date },
      });
      expectStatus(a, 201);
      made[key] = a.json();
    }
  }, 60_000);
  afterAll(() => merit?.destroy());

  const BOARDS = [
    "board=global",
    "board=global&period=week",
    "board=global&period=month",
    "board=category:revs",
    "board=category:revs&period=week",
    "board=campaign:rev-camp",
    "board=campaign:rev-camp&period=week",
    "board=global&period=custom&from=2026-03-09&to=2026-03-15",
  ];
  const snapshot = async () => {
    const out: Record<string, Array<[string, string, number, string | null]>> = {};
    for (const q of BOARDS)
      out[q] = (await fullBoard(merit, q)).items.map((i) => [i.username, i.points, i.rank, i.share ?? null]);
    return out;
  };

  it("takes a revoked contribution off every board it counted on, pool shares included", async () => {
    const before = await snapshot();
    expect(before["board=campaign:rev-camp"]).toEqual([
      ["ra", "35", 1, "54"],
      ["rb", "20", 2, "31"],
      ["rc", "10", 3, "15"],
    ]);
    const r = await call(merit, "DELETE", `/api/contributions/${made.raNow.id}`, {
      token: admin,
      body: { reason: "duplicate" },
    });
    expectStatus(r, 200);
    const after = await snapshot();
    expect(after["board=global"]).toEqual([
      ["rb", "27", 1, null],
      ["rc", "10", 2, null],
      ["ra", "5", 3, null],
    ]);
    expect(after["board=global&period=week"]).toEqual([["rb", "20", 1, null]]);
    expect(after["board=category:revs&period=week"]).toEqual([["rb", "20", 1, null]]);
    expect(after["board=global&period=month"]).toEqual([
      ["rb", "20", 1, null],
      ["rc", "10", 2, null],
      ["ra", "5", 3, null],
    ]);
    // 100 VTX over 35 points: 57.14 / 28.57 / 14.28 -> 57, 29, 14 by largest remainder.
    expect(after["board=campaign:rev-camp"]).toEqual([
      ["rb", "20", 1, "57"],
      ["rc", "10", 2, "29"],
      ["ra", "5", 3, "14"],
    ]);
    expect(after["board=campaign:rev-camp&period=week"]).toEqual([["rb", "20", 1, null]]);
    // The past week's range never had it.
    expect(after["board=global&period=custom&from=2026-03-09&to=2026-03-15"]).toEqual(
      before["board=global&period=custom&from=2026-03-09&to=2026-03-15"],
    );
    const week = await getJson<{ rank: number | null; points: string }>(
      merit,
      "/api/leaderboard/rank?user=ra&period=week",
    );
    expect([week.rank, week.points]).toEqual([null, "0"]);
    const share = await getJson<{ share?: string }>(
      merit,
      "/api/leaderboard/rank?user=ra&board=campaign:rev-camp",
    );
    expect(share.share).toBe("14");
    // The campaign export carries the same shares as the pages.
    const csv = parseCsv(
      (await merit.app.inject({ url: "/api/leaderboard/export.csv?board=campaign:rev-camp" })).body,
    );
    expect(csv[0].at(-1)).toBe("share");
    expect(csv.slice(1).map((x) => [x[1], x[4], Number(x[0]), x[6]])).toEqual(
      after["board=campaign:rev-camp"],
    );
    await expectLedgerClean(merit);
  });

  it("changes only the boards of a past week's contribution when it is corrected", async () => {
    const before = await snapshot();
    const r = await call(merit, "POST", `/api/contributions/${made.rcPast.id}/corrections`, {
      token: admin,
      body: { points: 25, reason: "recount" },
    });
    expectStatus(r, 200);
    const after = await snapshot();
    // This week's boards do not move.
    for (const q of BOARDS.filter((x) => x.includes("period=week"))) expect(after[q], q).toEqual(before[q]);
    expect(after["board=global&period=custom&from=2026-03-09&to=2026-03-15"]).toEqual([
      ["rc", "25", 1, null],
      ["ra", "5", 2, null],
    ]);
    expect(after["board=global"]).toEqual([
      ["rb", "27", 1, null],
      ["rc", "25", 2, null],
      ["ra", "5", 3, null],
    ]);
    expect(after["board=global&period=month"]).toEqual([
      ["rc", "25", 1, null],
      ["rb", "20", 2, null],
      ["ra", "5", 3, null],
    ]);
    // 100 over 50: exactly 50 / 40 / 10.
    expect(after["board=campaign:rev-camp"]).toEqual([
      ["rc", "25", 1, "50"],
      ["rb", "20", 2, "40"],
      ["ra", "5", 3, "10"],
    ]);
    // A February contribution corrected leaves every March board alone.
    const beforeFeb = await snapshot();
    expectStatus(
      await call(merit, "POST", `/api/contributions/${made.rbFeb.id}/corrections`, {
        token: admin,
        body: { points: 3, reason: "recount" },
      }),
      200,
    );
    const afterFeb = await snapshot();
    const allTime = ["board=global", "board=category:revs"];
    for (const q of BOARDS.filter((x) => !allTime.includes(x))) expect(afterFeb[q], q).toEqual(beforeFeb[q]);
    for (const q of allTime)
      expect(afterFeb[q], q).toEqual([
        ["rc", "25", 1, null],
        ["rb", "23", 2, null],
        ["ra", "5", 3, null],
      ]);
    await expectLedgerClean(merit);
  });

  it("refuses to correct (or revoke again) a revoked contribution with 409, changing nothing", async () => {
    const before = await snapshot();
    const ledgerBefore = await getJson<{ total: number }>(merit, "/api/admin/ledger?limit=1", admin);
    const corr = await call(merit, "POST", `/api/contributions/${made.raNow.id}/corrections`, {
      token: admin,
      body: { points: 50, reason: "too late" },
    });
    expectStatus(corr, 409);
    expect(corr.json().error.code).toBe("ALREADY_REVOKED");
    const again = await call(merit, "DELETE", `/api/contributions/${made.raNow.id}`, {
      token: admin,
      body: { reason: "again" },
    });
    expectStatus(again, 409);
    expect(await snapshot()).toEqual(before);
    expect((await getJson<{ total: number }>(merit, "/api/admin/ledger?limit=1", admin)).total).toBe(
      ledgerBefore.total,
    );
    const c = await getJson<Contribution>(merit, `/api/contributions/${made.raNow.id}`);
    expect([c.points, c.revokedAt !== null]).toEqual([30, true]);
    await expectLedgerClean(merit);
  });

  it("exports revoked contributions only on request, a formula-like revoke reason defused", async () => {
    const a = await call(merit, "POST", "/api/contributions", {
      token: admin,
      body: {
        username: "rb",
        contributionTypeId: typeId,
        points: 1,
        contributionDate: "2026-03-18T09:00:00Z",
      },
    });
    expectStatus(a, 201);
    const reason = '=HYPERLINK("http://evil.example","refund")';
    expectStatus(
      await call(merit, "DELETE", `/api/contributions/${a.json().id}`, { token: admin, body: { reason } }),
      200,
    );
    const exported = async (query: string) =>
      parseCsv((await merit.app.inject({ url: `/api/contributions/export.csv?${query}` })).body);
    const [header, ...all] = await exported("user=rb&includeRevoked=true");
    const row = all.find((x) => x[0] === a.json().id);
    expect(row?.[header.indexOf("revoke_reason")]).toBe(`'${reason}`);
    expect(row?.[header.indexOf("revoked_at")]).toBe("2026-03-18T12:00:00.000Z");
    expect((await exported("user=rb")).slice(1).map((x) => x[0])).not.toContain(a.json().id);
  });
});

// ---------------------------------------------------------------------------------------------------
describe("board CSV beyond one export page", () => {
  let merit: TestMerit;
  beforeAll(async () => {
    merit = await createTestMerit({ clock: new ManualClock("2026-03-18T12:00:00Z") });
    const ids = await makeUsers(merit, ["root"]);
    const type = await makeType(merit, adminActor(ids.root), { slug: "many", max: 100 });
    await merit.core.db.orm.execute(sql`INSERT INTO users (email, username, display_name, referral_code, roles)
      SELECT 'm' || i || '@test.local', 'm' || i, 'M ' || i, 'ref-m' || i, ARRAY['member']::text[]
      FROM generate_series(1, 5003) i`);
    const people = await rows<{ id: string }>(
      merit.core.db.orm,
      sql`SELECT id FROM users WHERE username LIKE 'm%' ORDER BY username`,
    );
    // Seven point values: thousands of ties, all reached at the same instant (user id decides).
    await merit.composition.points.contributions.awardMany(
      adminActor(ids.root),
      people.map((p, i) => ({
        userId: p.id,
        contributionTypeId: type.id,
        points: 1 + (i % 7),
        contributionDate: "2026-03-10T00:00:00Z",
      })),
    );
  }, 60_000);
  afterAll(() => merit?.destroy());

  it("exports every participant once, in page order with page ranks, across the 5,000-row export page", async () => {
    const r = await merit.app.inject({ url: "/api/leaderboard/export.csv?board=global" });
    expectStatus(r, 200);
    const records = parseCsv(r.body).slice(1);
    const pages = await fullBoard(merit, "board=global");
    expect(pages.total).toBe(5003);
    expect(new Set(records.map((x) => x[3])).size).toBe(5003);
    expect(records.map((x) => [Number(x[0]), x[3], x[4], Number(x[5])])).toEqual(
      pages.items.map((i) => [i.rank, i.userId, i.points, i.contributions]),
    );
    expect(pages.items.map((i) => i.rank)).toEqual(competitionRanks(pages.items.map((i) => i.points)));
  }, 60_000);

  it("exports every contribution once across the 5,000-row export page (the cursor once broke there)", async () => {
    const r = await merit.app.inject({ url: "/api/contributions/export.csv" });
    expectStatus(r, 200);
    const records = parseCsv(r.body).slice(1);
    expect(records).toHaveLength(5003);
    expect(new Set(records.map((x) => x[0])).size).toBe(5003);
  }, 60_000);
});

// ---------------------------------------------------------------------------------------------------
describe("restart", () => {
  const info = inject("templateDb");
  const clock = new ManualClock("2026-05-13T12:00:00Z"); // a Wednesday
  let dataDir = "";
  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), "merit-restart-"));
  });
  const pgName = `merit_test_restart_${randomBytes(5).toString("hex")}`;

  const pgUrl = (database: string) => {
    if (info.kind !== "postgres") throw new Error("not PostgreSQL");
    const u = new URL(info.url);
    u.pathname = `/${database}`;
    return u.toString();
  };
  async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: info.kind === "postgres" ? info.url : "" });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  /** Opens the same database again (a file-backed PGlite data dir, or a PostgreSQL database of our own). */
  async function open(first: boolean): Promise<Database> {
    if (info.kind === "postgres") {
      if (first) await admin((c) => c.query(`CREATE DATABASE ${pgName} TEMPLATE ${info.template}`));
      return openDatabase({ databaseUrl: pgUrl(pgName), dataDir, poolSize: 3 });
    }
    return openDatabase({
      databaseUrl: null,
      dataDir,
      loadDataDir: first ? new Blob([readFileSync(info.dumpFile)]) : undefined,
    });
  }
  async function start(db: Database, c: Clock): Promise<Merit> {
    const config = loadConfig({
      NODE_ENV: "test",
      LOG_LEVEL: "silent",
      DATA_DIR: dataDir,
      SEED_DEMO: "false",
      SECRET_KEY: "test-secret-key-that-is-long-enough-0123456789",
      PUBLIC_URL: "http://merit.test",
    });
    return createMerit({ config, db, clock: c, startJobs: false });
  }

  afterAll(async () => {
    if (info.kind === "postgres") {
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${pgName} WITH (FORCE)`));
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps totals, ranks, shares and the ledger across a restart of the server and the database", async () => {
    let db = await open(true);
    let m = await start(db, clock);
    const QUERIES = [
      "board=global",
      "board=global&period=week",
      "board=global&period=month",
      "board=campaign:may",
      "board=category:durable",
    ];
    const before: Record<string, Page> = {};
    let ledgerBefore: unknown;
    const ids: Record<string, string> = {};
    try {
      const users = ["da", "db", "dc", "dd", "de"];
      for (const u of users) {
        const r = await rows<{ id: string }>(
          m.core.db.orm,
          sql`INSERT INTO users (email, username, display_name, referral_code, roles)
              VALUES (${`${u}@test.local`}, ${u}, ${u.toUpperCase()}, ${`ref-${u}`}, ARRAY['member']::text[]) RETURNING id`,
        );
        ids[u] = r[0].id;
      }
      const root = (
        await rows<{ id: string }>(
          m.core.db.orm,
          sql`INSERT INTO users (email, username, referral_code, roles)
              VALUES ('droot@test.local', 'droot', 'ref-droot', ARRAY['admin','member']::text[]) RETURNING id`,
        )
      )[0].id;
      const actor = adminActor(root);
      const svc = m.composition.points;
      await svc.catalog.createCategory(actor, { name: "Durable", slug: "durable" });
      const type = await svc.catalog.createType(actor, {
        name: "Durable",
        slug: "durable",
        category: "durable",
        minPoints: 1,
        maxPoints: 100,
      });
      await svc.catalog.createMultiplier(actor, {
        contributionTypeId: type.id,
        value: "1.25",
        validFrom: "2026-05-01T00:00:00Z",
      });
      await svc.campaigns.create(actor, {
        slug: "may",
        name: "May",
        startsAt: "2026-05-01T00:00:00Z",
        endsAt: "2026-06-01T00:00:00Z",
        pool: { amount: "99.99", token: "VTX", decimals: 2 },
      });
      const made = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          svc.contributions.award(actor, {
            username: users[i % users.length],
            contributionTypeId: type.id,
            points: 1 + ((i * 17) % 100),
            contributionDate: new Date(clock.now().getTime() - ((i * 29) % 500) * 3_600_000).toISOString(),
          }),
        ),
      );
      await svc.contributions.revoke(actor, made[3].id, "dup");
      await svc.contributions.correct(actor, made[4].id, 99, "recount");
      for (const q of QUERIES) before[q] = await fullBoard(m, q);
      expect(before["board=campaign:may"].items.length).toBeGreaterThan(0);
      ledgerBefore = await svc.queries.ledger(actor, { limit: 100 });
      await expectLedgerClean(m);
    } finally {
      await m.close();
      await db.close();
    }

    db = await open(false);
    m = await start(db, clock);
    try {
      for (const q of QUERIES) expect(await fullBoard(m, q), q).toEqual(before[q]);
      const root = (
        await rows<{ id: string }>(m.core.db.orm, sql`SELECT id FROM users WHERE username = 'droot'`)
      )[0].id;
      const actor = adminActor(root);
      expect(await m.composition.points.queries.ledger(actor, { limit: 100 })).toEqual(ledgerBefore);
      for (const i of before["board=global"].items) {
        const r = await getJson<{ rank: number; points: string }>(
          m,
          `/api/leaderboard/rank?user=${i.username}`,
        );
        expect([r.rank, r.points]).toEqual([i.rank, i.points]);
      }
      await expectLedgerClean(m);
      // The restarted server keeps writing on top of what survived.
      const type = (
        await rows<{ id: string }>(
          m.core.db.orm,
          sql`SELECT id FROM contribution_types WHERE slug = 'durable'`,
        )
      )[0].id;
      await m.composition.points.contributions.award(actor, {
        userId: ids.de,
        contributionTypeId: type,
        points: 100,
        contributionDate: "2026-05-13T11:00:00Z",
      });
      const global = await expectBoardIsLive(m, "board=global");
      const de = before["board=global"].items.find((i) => i.username === "de")!;
      expect(global.items.find((i) => i.username === "de")?.points).toBe(
        new Decimal(de.points).plus(125).toFixed(),
      );
      await expectLedgerClean(m);
    } finally {
      await m.close();
      await db.close();
    }
  });
});
