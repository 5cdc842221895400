import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows, sql } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";
import {
  competitionRanks,
  expectStatus,
  fullBoard,
  getJson,
  type Item,
  makeNamedUser,
  type Page,
  parseCsv,
} from "./robustness.test-support.ts";

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
      // Staff see them without a rank; anyone else does not see them at all.
      const r = await getJson<{ rank: number | null }>(
        merit,
        `/api/leaderboard/rank?user=${username}`,
        admin,
      );
      expect(r.rank).toBeNull();
      const anonymous = await merit.app.inject({ url: `/api/leaderboard/rank?user=${username}` });
      expectStatus(anonymous, 404);
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
