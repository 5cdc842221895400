// Custom date-range boards, page by page, against a reference computed here from the awards: sums in
// the range, hidden participants left out, standard competition ranks, ties by the earlier latest
// contribution in the range and then user id. The searched and unsearched paths must agree.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { signedInUser } from "../accounts/accounts.test-support.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";

const NAMES = Array.from({ length: 14 }, (_, i) => `r${String(i).padStart(2, "0")}`);
const FROM = "2026-03-02T00:00:00.000Z";
const TO = "2026-03-16T00:00:00.000Z";

let merit: TestMerit;
let ids: Record<string, string>;
const reference: Array<{ username: string; points: number; reached: number; id: string }> = [];

beforeAll(async () => {
  merit = await createTestMerit({ clock: new ManualClock("2026-03-20T12:00:00Z") });
  ids = await makeUsers(merit, ["root", ...NAMES]);
  const admin = adminActor(ids.root);
  const type = await makeType(merit, admin, { slug: "range-work", max: 100 });
  // A deterministic mix with many ties, some awards outside the range, one hidden participant.
  const sums = new Map<string, { points: number; reached: number }>();
  for (let i = 0; i < 60; i++) {
    const username = NAMES[(i * 5) % NAMES.length];
    const points = [5, 10, 15][i % 3];
    const day = (i * 7) % 24; // days from 2026-02-24: some before FROM
    const date = new Date(Date.parse("2026-02-24T10:00:00Z") + day * 86_400_000).toISOString();
    await merit.composition.points.contributions.award(admin, {
      username,
      contributionTypeId: type.id,
      points,
      contributionDate: date,
    });
    if (date >= FROM && date < TO) {
      const s = sums.get(username) ?? { points: 0, reached: 0 };
      sums.set(username, { points: s.points + points, reached: Math.max(s.reached, Date.parse(date)) });
    }
  }
  await merit.core.db.orm.execute(sql`UPDATE users SET hidden = true WHERE username = 'r03'`);
  sums.delete("r03");
  for (const [username, s] of sums) reference.push({ username, ...s, id: ids[username] });
  reference.sort(
    (a, b) => b.points - a.points || a.reached - b.reached || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}, 60_000);
afterAll(() => merit?.destroy());

const expected = () =>
  reference.map((r) => [
    1 + reference.filter((o) => o.points > r.points).length,
    r.username,
    String(r.points),
  ]);

async function page(limit: number, offset: number, search?: string) {
  const q = `board=global&period=custom&from=${FROM}&to=${TO}&limit=${limit}&offset=${offset}${search ? `&search=${search}` : ""}`;
  const r = await merit.app.inject({ url: `/api/leaderboard?${q}` });
  expect(r.statusCode).toBe(200);
  const body = r.json() as {
    items: Array<{ rank: number; username: string; points: string }>;
    total: number;
  };
  return { rows: body.items.map((i) => [i.rank, i.username, i.points]), total: body.total };
}

describe("custom range boards", () => {
  it("has ties worth testing", () => {
    const points = reference.map((r) => r.points);
    expect(new Set(points).size).toBeLessThan(points.length);
    expect(reference.length).toBeGreaterThan(8);
  });

  it("ranks every page like the reference, ties across page boundaries included", async () => {
    const want = expected();
    for (const limit of [1, 2, 3, 5, 100]) {
      const got: unknown[] = [];
      for (let offset = 0; offset < want.length; offset += limit) {
        const p = await page(limit, offset);
        expect(p.total).toBe(want.length);
        got.push(...p.rows);
      }
      expect(got).toEqual(want);
    }
    const past = await page(5, want.length + 3);
    expect(past).toEqual({ rows: [], total: want.length });
  });

  it("gives the same ranks through a search that matches everyone, and board ranks for a narrow one", async () => {
    const want = expected();
    expect((await page(100, 0, "r")).rows).toEqual(want);
    const one = await page(100, 0, want[4][1] as string);
    expect(one.rows).toEqual([want[4]]);
    expect(one.total).toBe(1);
  });

  it("looks up one participant's rank over the range like the reference, hidden and absent ones unranked", async () => {
    const want = expected();
    const rank = async (user: string, token?: string) => {
      const r = await merit.app.inject({
        url: `/api/leaderboard/rank?board=global&period=custom&from=${FROM}&to=${TO}&user=${user}`,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return { status: r.statusCode, body: r.json() };
    };
    for (const [place, username, points] of want) {
      const r = await rank(username as string);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({
        period: "custom",
        bucket: null,
        username,
        rank: place,
        points,
        total: want.length,
      });
    }
    // In no award of the range: listed nowhere, no rank.
    const absent = NAMES.find((n) => n !== "r03" && !want.some((w) => w[1] === n));
    if (absent)
      expect((await rank(absent)).body).toMatchObject({ rank: null, points: "0", contributions: 0 });
    // Hidden: unknown to the public, unranked for staff.
    expect((await rank("r03")).status).toBe(404);
    const staff = await signedInUser(merit, "range-staff", ["admin", "member"]);
    expect((await rank("r03", staff.accessToken)).body).toMatchObject({ username: "r03", rank: null });
    // A custom period needs its range.
    const missing = await merit.app.inject({ url: "/api/leaderboard/rank?period=custom&user=r00" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({ code: "RANGE_REQUIRED", details: { field: "from" } });
  });
});
