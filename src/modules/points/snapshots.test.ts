// Scheduled snapshots: every board the settings ask for, once per run (retries, late ticks and
// concurrent workers included), new categories picked up, and rank history read per board.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { ManualClock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { cronMatches, cronProblem, latestMatch, nextMatch } from "./cron.ts";
import { adminActor, makeType, makeUsers } from "./points.test-support.ts";
import { SNAPSHOT_TICK_JOB } from "./snapshots.service.ts";

let merit: TestMerit;
let ids: Record<string, string>;
let token = "";
let admins = 0;
const types: Record<string, string> = {};
const clock = new ManualClock("2026-01-28T12:00:00Z"); // a Wednesday

beforeAll(async () => {
  merit = await createTestMerit({ clock });
  ids = await makeUsers(merit, ["root", "ann", "ben", "cat"]);
  types.build = (await makeType(merit, adminActor(ids.root), { slug: "build", category: "builder" })).id;
  const campaigns = merit.composition.points.campaigns;
  const campaign = (slug: string, startsAt: string, endsAt: string) =>
    campaigns.create(adminActor(ids.root), { slug, name: slug, startsAt, endsAt });
  await campaign("spring", "2026-01-20T00:00:00Z", "2026-02-01T12:00:00Z"); // ends Sunday noon
  await campaign("old", "2025-11-01T00:00:00Z", "2025-12-01T00:00:00Z");
  await campaign("later", "2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z");
});
afterAll(() => merit?.destroy());

const svc = () => merit.composition.points;
const award = (username: string, type: string, points: number, date: string) =>
  svc().contributions.award(adminActor(ids.root), {
    username,
    contributionTypeId: types[type],
    points,
    contributionDate: date,
  });

/** Runs the scheduled job's handler as pg-boss would (a retry is simply another call). */
const runJob = (retryCount = 0) =>
  merit.core.registry.get(SNAPSHOT_TICK_JOB)!.handler(
    {},
    {
      id: "job",
      name: SNAPSHOT_TICK_JOB,
      retryCount,
      signal: new AbortController().signal,
    },
  );

interface Snap {
  id: string;
  board: string;
  period: string;
  bucket: string;
  trigger: string;
  slot: string | null;
}
const snapshotsOfSlot = (slot: string) =>
  rows<Snap>(
    merit.core.db.orm,
    sql`SELECT id, board, period, bucket, trigger, slot FROM leaderboard_snapshots WHERE slot = ${slot} ORDER BY trigger, board`,
  );
const boardsOf = (snaps: Snap[]) => snaps.map((s) => `${s.trigger} ${s.board} ${s.period} ${s.bucket}`);
const items = async (id: string) =>
  (await svc().snapshots.get(id)).items.map((i) => [i.rank, i.username, i.points]);
const patchSettings = async (body: Record<string, unknown>) => {
  // Tokens expire as the clock moves on by days.
  token = (await signedInUser(merit, `settings${++admins}`, ["admin"])).accessToken;
  return call(merit, "PATCH", "/api/admin/settings", { token, body });
};

describe("cron expressions", () => {
  it("explains what is wrong with an expression and finds the latest due minute", () => {
    expect(cronProblem("0 0 * * *")).toBeNull();
    expect(cronProblem("")).toBeNull();
    expect(cronProblem("*/15 8-18 * * 1-5")).toBeNull();
    expect(cronProblem("0 0 * *")).toMatch(/five fields/);
    expect(cronProblem("61 0 * * *")).toMatch(/minute must be within 0-59/);
    expect(cronProblem("0 25 * * *")).toMatch(/hour must be within 0-23/);
    expect(cronProblem("0 0 * * mon")).toMatch(/day of week "mon"/);
    expect(cronProblem("0 5-2 * * *")).toMatch(/runs backwards/);
    expect(cronProblem("*/0 * * * *")).toMatch(/step must be at least 1/);
    expect(cronMatches("0 0 * * 7", new Date("2026-02-01T00:00:00Z"))).toBe(true); // Sunday as 7
    const now = new Date("2026-01-29T00:42:30Z");
    expect(latestMatch("0 0 * * *", now, 60)?.toISOString()).toBe("2026-01-29T00:00:00.000Z");
    expect(latestMatch("0 0 * * *", now, 30)).toBeNull();
    expect(latestMatch("", now, 60)).toBeNull();
  });

  it("finds the next due minute after an instant, never the instant's own minute", () => {
    const next = (expr: string, after: string) => nextMatch(expr, new Date(after))?.toISOString() ?? null;
    expect(next("0 0 * * *", "2026-01-29T00:00:00Z")).toBe("2026-01-30T00:00:00.000Z");
    expect(next("0 0 * * *", "2026-01-29T23:59:59Z")).toBe("2026-01-30T00:00:00.000Z");
    expect(next("*/15 8-18 * * 1-5", "2026-01-30T18:50:00Z")).toBe("2026-02-02T08:00:00.000Z"); // Fri -> Mon
    expect(next("30 12 * * 7", "2026-01-29T00:00:00Z")).toBe("2026-02-01T12:30:00.000Z"); // Sunday as 7
    expect(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
    expect(next("0 0 30 2 *", "2026-03-01T00:00:00Z")).toBeNull();
    expect(next("", "2026-03-01T00:00:00Z")).toBeNull();
    // Every answer is a minute the matcher agrees with, and none is skipped before it.
    for (const expr of ["5 4 * * 2", "0 */6 1,15 * *", "45 23 31 12 *"]) {
      const at = nextMatch(expr, new Date("2026-06-10T10:10:10Z"))!;
      expect(cronMatches(expr, at)).toBe(true);
      expect(latestMatch(expr, new Date(at.getTime() - 60_000), 24 * 60)?.getTime() ?? 0).toBeLessThan(
        Date.parse("2026-06-10T10:11:00Z"),
      );
    }
  });
});

describe("scheduled snapshots", () => {
  it("refuses invalid schedule settings with a message naming the problem, and changes nothing", async () => {
    token = (await signedInUser(merit, "settings-admin", ["admin"])).accessToken;
    const before = (await call(merit, "GET", "/api/admin/settings", { token })).json().items;
    const bad = await patchSettings({
      "leaderboard.snapshotDailyCron": "0 0 * * *",
      "leaderboard.snapshotWeeklyCron": "0 24 * * 1",
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe("INVALID_SETTING");
    expect(bad.json().error.message).toMatch(/^leaderboard.snapshotWeeklyCron .*hour must be within 0-23/);
    const board = await patchSettings({ "leaderboard.snapshotBoards": ["global", "team:red"] });
    expect(board.statusCode).toBe(422);
    expect(board.json().error.message).toContain('"team:red", which is not a board');
    const shape = await patchSettings({ "leaderboard.snapshotWeekBoards": "global" });
    expect(shape.statusCode).toBe(422);
    expect((await call(merit, "GET", "/api/admin/settings", { token })).json().items).toEqual(before);
    const defaults = Object.fromEntries(before.map((s: { key: string; value: unknown }) => [s.key, s.value]));
    expect(defaults["leaderboard.snapshotBoards"]).toEqual(["global", "category:*", "campaign:*"]);
    expect(defaults["leaderboard.snapshotWeekBoards"]).toEqual(["global"]);
  });

  it("freezes global, every category and every running campaign once per daily run, retries included", async () => {
    await award("ann", "build", 50, "2026-01-27T10:00:00Z");
    await award("ben", "build", 30, "2026-01-28T10:00:00Z");
    clock.set("2026-01-28T23:59:30Z");
    await runJob();
    expect(await snapshotsOfSlot("2026-01-29T00:00:00.000Z")).toEqual([]);

    clock.set("2026-01-29T00:00:05Z"); // Thursday: the daily run only
    await runJob();
    const slot = "2026-01-29T00:00:00.000Z";
    const snaps = await snapshotsOfSlot(slot);
    expect(boardsOf(snaps)).toEqual([
      "daily campaign:spring all all",
      "daily category:builder all all",
      "daily global all all",
    ]);
    const global = snaps.find((s) => s.board === "global")!;
    expect(await items(global.id)).toEqual([
      [1, "ann", "50"],
      [2, "ben", "30"],
    ]);

    // A retry in the same minute, another one a few minutes later: nothing new.
    await runJob(1);
    clock.set("2026-01-29T00:04:00Z");
    await runJob(2);
    expect(await svc().snapshots.tick()).toBe(0);
    expect((await snapshotsOfSlot(slot)).map((s) => s.id).sort()).toEqual(snaps.map((s) => s.id).sort());
  });

  it("finishes a run that stopped half-way without duplicating the boards it already froze", async () => {
    // As if the worker died after freezing two of the three boards of Friday's run.
    clock.set("2026-01-30T00:00:10Z");
    await runJob();
    const slot = "2026-01-30T00:00:00.000Z";
    const [campaign] = (await snapshotsOfSlot(slot)).filter((s) => s.board === "campaign:spring");
    await merit.core.db.orm.execute(
      sql`DELETE FROM leaderboard_snapshot_entries WHERE snapshot_id = ${campaign.id}`,
    );
    await merit.core.db.orm.execute(sql`DELETE FROM leaderboard_snapshots WHERE id = ${campaign.id}`);
    await merit.core.db.orm.execute(
      sql`UPDATE leaderboard_snapshot_runs SET finished_at = NULL WHERE run_key = ${`daily:${slot}`}`,
    );
    clock.set("2026-01-30T00:02:00Z");
    expect(await svc().snapshots.tick()).toBe(1);
    expect(boardsOf(await snapshotsOfSlot(slot))).toEqual([
      "daily campaign:spring all all",
      "daily category:builder all all",
      "daily global all all",
    ]);
    // Two workers on the same due run at once still freeze each board once.
    await merit.core.db.orm.execute(
      sql`UPDATE leaderboard_snapshot_runs SET finished_at = NULL WHERE run_key = ${`daily:${slot}`}`,
    );
    const counts = await Promise.all([svc().snapshots.tick(), svc().snapshots.tick()]);
    expect(counts).toEqual([0, 0]);
    expect(await snapshotsOfSlot(slot)).toHaveLength(3);
  });

  it("takes a run the tick missed when it comes late, and picks up a category created since", async () => {
    const writer = await makeType(merit, adminActor(ids.root), { slug: "write", category: "writer" });
    types.write = writer.id;
    await award("cat", "write", 90, "2026-01-30T00:01:00Z");
    clock.set("2026-01-31T00:25:00Z"); // the worker was down at midnight
    expect(await svc().snapshots.tick()).toBe(4);
    const snaps = await snapshotsOfSlot("2026-01-31T00:00:00.000Z");
    expect(boardsOf(snaps)).toEqual([
      "daily campaign:spring all all",
      "daily category:builder all all",
      "daily category:writer all all",
      "daily global all all",
    ]);
    expect(await items(snaps.find((s) => s.board === "category:writer")!.id)).toEqual([[1, "cat", "90"]]);
    // Past the catch-up window the slot is given up rather than taken hours late.
    clock.set("2026-02-01T01:30:00Z");
    expect(await svc().snapshots.tick()).toBe(0);
    expect(await snapshotsOfSlot("2026-02-01T00:00:00.000Z")).toEqual([]);
  });

  it("freezes the week just finished at the weekly run, and a campaign that ended since the last run once more", async () => {
    clock.set("2026-02-01T21:00:00Z");
    await award("ann", "build", 5, "2026-02-01T20:00:00Z"); // Sunday: still last week
    clock.set("2026-02-02T00:00:30Z"); // Monday: daily and weekly runs
    await runJob();
    const snaps = await snapshotsOfSlot("2026-02-02T00:00:00.000Z");
    // spring ended on Sunday noon, after the previous finished daily run (Saturday): frozen once more.
    expect(boardsOf(snaps)).toEqual([
      "daily campaign:spring all all",
      "daily category:builder all all",
      "daily category:writer all all",
      "daily global all all",
      "weekly global week w:2026-01-26",
    ]);
    const week = snaps.find((s) => s.trigger === "weekly")!;
    expect(await items(week.id)).toEqual([
      [1, "cat", "90"],
      [2, "ann", "55"],
      [3, "ben", "30"],
    ]);
    clock.set("2026-02-03T00:00:30Z"); // Tuesday: spring is over
    await runJob();
    expect(boardsOf(await snapshotsOfSlot("2026-02-03T00:00:00.000Z"))).toEqual([
      "daily category:builder all all",
      "daily category:writer all all",
      "daily global all all",
    ]);
  });

  it("follows changed settings: another time, fewer boards, unknown boards skipped and reported", async () => {
    const ok = await patchSettings({
      "leaderboard.snapshotDailyCron": "30 6 * * *",
      "leaderboard.snapshotBoards": ["global", "category:nope", "global"],
      "leaderboard.snapshotWeeklyCron": "",
    });
    expect(ok.statusCode).toBe(200);
    clock.set("2026-02-04T00:00:30Z");
    expect(await svc().snapshots.runScheduled()).toEqual([]);
    clock.set("2026-02-04T06:31:00Z");
    const [report] = await svc().snapshots.runScheduled();
    expect(report).toEqual({
      runKey: "daily:2026-02-04T06:30:00.000Z",
      boards: ["global", "category:nope"],
      taken: 1,
      unknown: ["category:nope"],
    });
    expect(await svc().snapshots.runScheduled()).toEqual([]); // finished despite the unknown board
    clock.set("2026-02-09T00:00:30Z"); // a Monday, weekly disabled
    expect(await svc().snapshots.runScheduled()).toEqual([]);

    // The admin page reads the schedule with its next run and how the last one went.
    token = (await signedInUser(merit, `settings${++admins}`, ["admin"])).accessToken;
    const schedule = await call(merit, "GET", "/api/leaderboard/snapshots/schedule", { token });
    expect(schedule.statusCode).toBe(200);
    expect(schedule.json()).toEqual({
      total: 2,
      items: [
        {
          trigger: "daily",
          cron: "30 6 * * *",
          period: "all",
          boards: ["global", "category:nope", "global"],
          nextRunAt: "2026-02-09T06:30:00.000Z",
          lastRun: {
            dueAt: "2026-02-04T06:30:00.000Z",
            startedAt: "2026-02-04T06:31:00.000Z",
            finishedAt: "2026-02-04T06:31:00.000Z",
          },
        },
        {
          trigger: "weekly",
          cron: "",
          period: "week",
          boards: ["global"],
          nextRunAt: null,
          lastRun: expect.objectContaining({ dueAt: "2026-02-02T00:00:00.000Z" }),
        },
      ],
    });
    const member = (await signedInUser(merit, "schedule-reader")).accessToken;
    expect(
      (await call(merit, "GET", "/api/leaderboard/snapshots/schedule", { token: member })).statusCode,
    ).toBe(403);
  });

  it("reads each board's rank history from that board's snapshots only", async () => {
    // A busy board: 250 snapshots of category:builder newer than everything else.
    await merit.core.db.orm.execute(sql`
      WITH s AS (
        INSERT INTO leaderboard_snapshots (board, period, bucket, trigger, taken_at, total)
        SELECT 'category:builder', 'all', 'all', 'manual', timestamptz '2026-02-10T00:00:00Z' + g * interval '1 minute', 1
        FROM generate_series(1, 250) g RETURNING id)
      INSERT INTO leaderboard_snapshot_entries (snapshot_id, position, rank, user_id, username, points, contributions)
      SELECT id, 1, 1, ${ids.ann}::uuid, 'ann', 55, 2 FROM s`);
    const profile = (await merit.app.inject({ url: "/api/participants/ann" })).json();
    const history = profile.rankHistory as Array<{
      board: string;
      period: string;
      rank: number;
      points: string;
      snapshotId: string;
    }>;
    const series = (board: string, period: string) =>
      history.filter((h) => h.board === board && h.period === period).map((h) => [h.rank, h.points]);
    // Global, newest first: Feb 4, 3, 2 (cat ahead since Jan 30), Jan 31, then Jan 30 and 29 at the top.
    expect(series("global", "all")).toEqual([
      [2, "55"],
      [2, "55"],
      [2, "55"],
      [2, "50"],
      [1, "50"],
      [1, "50"],
    ]);
    expect(series("global", "week")).toEqual([[2, "55"]]);
    expect(series("campaign:spring", "all")).toEqual([
      [2, "50"],
      [2, "50"],
      [1, "50"],
      [1, "50"],
    ]);
    expect(series("category:builder", "all")).toHaveLength(100);
    const boardOf = new Map(
      (
        await rows<{ id: string; board: string; period: string }>(
          merit.core.db.orm,
          sql`SELECT id, board, period FROM leaderboard_snapshots`,
        )
      ).map((r) => [r.id, `${r.board}|${r.period}`]),
    );
    for (const h of history) expect(boardOf.get(h.snapshotId)).toBe(`${h.board}|${h.period}`);
  });
});
