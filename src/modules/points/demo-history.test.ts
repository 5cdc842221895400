// The demo starts with three weeks of daily snapshots, so a new demo's profiles show a rank history:
// each is the board as it stood at that midnight by contribution date (the custom range up to it),
// written after every module's demo data (the forum's credited posts are in it too).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { call } from "../accounts/accounts.test-support.ts";
import { seedRankHistory } from "./points.seed.ts";

const DAY = 86_400_000;
let merit: TestMerit;
let today: number;

beforeAll(async () => {
  merit = await createTestMerit({ env: { SEED_DEMO: "true" } });
  const now = merit.clock.now();
  today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
}, 180_000);
afterAll(() => merit?.destroy());

interface Summary {
  id: string;
  board: string;
  period: string;
  label: string;
  trigger: string;
  takenAt: string;
  total: number;
}

async function allSnapshots(): Promise<Summary[]> {
  const out: Summary[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = (await call(merit, "GET", `/api/leaderboard/snapshots?limit=100&offset=${offset}`)).json();
    out.push(...page.items);
    if (out.length >= page.total) return out;
  }
}

describe("the demo's rank history", () => {
  it("holds a daily run for each of the last 21 midnights, of the global board and every category", async () => {
    const categories = (await call(merit, "GET", "/api/categories")).json().items as { slug: string }[];
    expect(categories.map((c) => c.slug)).toContain("forum");
    const boards = ["global", ...categories.map((c) => `category:${c.slug}`)].sort();
    const snapshots = await allSnapshots();
    expect(snapshots).toHaveLength(21 * boards.length);
    const days = new Map<string, string[]>();
    for (const s of snapshots) {
      expect(s).toMatchObject({ period: "all", trigger: "daily", label: `daily ${s.takenAt.slice(0, 10)}` });
      days.set(s.takenAt, [...(days.get(s.takenAt) ?? []), s.board]);
    }
    const expected = Array.from({ length: 21 }, (_, i) => new Date(today - i * DAY).toISOString());
    expect([...days.keys()].sort()).toEqual(expected.sort());
    for (const b of days.values()) expect(b.sort()).toEqual(boards);
  });

  it("freezes each board as the custom range up to that midnight ranks it, forum points included", async () => {
    const snapshots = await allSnapshots();
    const checked = snapshots.filter((s) =>
      [today, today - 3 * DAY, today - 20 * DAY].includes(Date.parse(s.takenAt)),
    );
    expect(checked).toHaveLength(3 * (snapshots.length / 21));
    for (const s of checked) {
      const frozen = (await call(merit, "GET", `/api/leaderboard/snapshots/${s.id}?limit=100`)).json();
      const range = new URLSearchParams({
        board: s.board,
        period: "custom",
        from: "1970-01-01T00:00:00.000Z",
        to: s.takenAt,
        limit: "100",
      });
      const board = (await call(merit, "GET", `/api/leaderboard?${range}`)).json();
      expect(frozen.items, `${s.board} at ${s.takenAt}`).toEqual(board.items);
      expect(frozen.total).toBe(board.total);
    }
    // Today's forum board holds the posts the forum demo credited over the last days.
    const forumToday = checked.find((s) => s.board === "category:forum" && Date.parse(s.takenAt) === today)!;
    expect(forumToday.total).toBeGreaterThan(0);
    // Points only grow from one midnight to the next (the demo revokes nothing).
    const global = snapshots
      .filter((s) => s.board === "global")
      .sort((a, b) => a.takenAt.localeCompare(b.takenAt));
    const pointsOf = async (s: Summary) => {
      const items = (await call(merit, "GET", `/api/leaderboard/snapshots/${s.id}?limit=100`)).json().items;
      return new Map<string, number>(
        items.map((i: { username: string; points: string }) => [i.username, Number(i.points)]),
      );
    };
    const [first, last] = [await pointsOf(global[0]), await pointsOf(global[20])];
    for (const [user, points] of first) expect(last.get(user)).toBeGreaterThanOrEqual(points);
    expect([...last.values()].reduce((a, b) => a + b)).toBeGreaterThan(
      [...first.values()].reduce((a, b) => a + b),
    );
  });

  it("gives a demo member's profile a rank history over those weeks", async () => {
    const profile = (await call(merit, "GET", "/api/participants/alice")).json();
    const global = profile.rankHistory.filter((h: { board: string }) => h.board === "global");
    expect(global.length).toBeGreaterThan(10);
    const times = global.map((h: { takenAt: string }) => Date.parse(h.takenAt));
    expect(Math.max(...times) - Math.min(...times)).toBeGreaterThanOrEqual(10 * DAY);
  });

  it("has the demo members join before their first contribution, not on the day of the seed", async () => {
    const first = (await call(merit, "GET", "/api/contributions?user=alice&limit=100")).json();
    const dates = first.items.map((c: { contributionDate: string }) => Date.parse(c.contributionDate));
    const profile = (await call(merit, "GET", "/api/participants/alice")).json();
    expect(Date.parse(profile.joinedAt)).toBeLessThan(Math.min(...dates));
  });

  it("is written once: seeding again adds no snapshot", async () => {
    const before = (await allSnapshots()).length;
    await seedRankHistory(merit.core, merit.composition.points);
    expect(await allSnapshots()).toHaveLength(before);
  });
});
