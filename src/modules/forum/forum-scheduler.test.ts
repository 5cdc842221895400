// Scheduler planning, and an end-to-end campaign with short timings (1-minute maturation, 5-second
// rounds) driven by the clock: rounds, crediting into the points ledger, standings, Venue endpoint,
// coverage, metrics and the confirmed reset.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { firstRow } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";
import { planRound } from "./forum-scheduler.plan.ts";

describe("round planning", () => {
  const now = 1_000_000_000;
  const maturing = (id: string, lastCheckedAt: number | null, nextMaturesAt = now + 60_000) => ({
    id,
    pending: 1,
    nextMaturesAt,
    lastCheckedAt,
  });
  const idle = (id: string, lastCheckedAt: number | null) => ({
    id,
    pending: 0,
    nextMaturesAt: null,
    lastCheckedAt,
  });

  it("checks maturing profiles first (matured ones before all), idle ones only every few rounds", () => {
    const plan = planRound(
      [
        idle("never", null),
        idle("recent", now - 60_000),
        maturing("old", now - 600_000),
        maturing("due", now - 10_000, now - 1),
        maturing("fresh", now - 5_000),
      ],
      { now, intervalMs: 300_000, requestsPerSecond: 1 },
    );
    expect(plan.selected).toEqual(["due", "old", "fresh", "never"]);
    expect(plan).toMatchObject({ budget: 300, maturing: 3, budgetTooSmall: false, warning: null });
  });

  it("stays within the request budget and warns when maturing profiles need more", () => {
    const many = [...Array(10)].map((_, i) => maturing(`m${i}`, now - i * 1000));
    const plan = planRound(many, { now, intervalMs: 10_000, requestsPerSecond: 1, targetGapMs: 10_000 });
    expect(plan.budget).toBe(10);
    expect(plan.planned).toBeLessThanOrEqual(10);
    expect(plan.selected).toEqual(["m9", "m8", "m7", "m6", "m5"]);
    expect(plan.budgetTooSmall).toBe(true);
    expect(plan.warning).toMatch(/budget too small/i);
    // Two rounds within the target gap can serve them all: no warning.
    expect(
      planRound(many, { now, intervalMs: 10_000, requestsPerSecond: 1, targetGapMs: 20_000 }).budgetTooSmall,
    ).toBe(false);
  });
});

describe("end to end with short timings", () => {
  const clock = new ManualClock("2026-05-04T10:00:00Z");
  const env = useForumTestEnv(clock);
  let adminToken: string;
  beforeAll(async () => {
    adminToken = (await signedInUser(env.merit, "e2eadmin", ["admin", "member"])).accessToken;
  });

  it("finds posts every round, credits them after one minute into the ledger and shares the pool", async () => {
    const forum = env.merit.composition.forum;
    const campaign = await makeCampaign(env, {
      slug: "e2e",
      startsAt: "2026-05-04T09:00:00Z",
      endsAt: "2026-06-04T00:00:00Z",
      pool: "120000",
      poolToken: "VTX",
      maturationMinutes: 1,
      scrapeIntervalSeconds: 5,
    });
    expect(campaign.pointsCampaignId).not.toBeNull();
    const a = await verifiedParticipant(env, "e2e", { position: "Hero Member" });
    const b = await verifiedParticipant(env, "e2e", { position: "Member" });
    clock.advance(1000);
    env.sim.addPost({
      memberId: a.forumUserId,
      topicId: 900,
      text: "Posting during the end to end test, long enough.",
    });
    env.sim.addPost({
      memberId: b.forumUserId,
      topicId: 900,
      text: "Another post during the end to end test, long enough.",
    });

    expect(await forum.scheduler.tick("inline")).toEqual(["e2e"]);
    // A second tick within the interval claims nothing (several workers may tick).
    expect(await forum.scheduler.tick("inline")).toEqual([]);
    // Profiles with nothing maturing are checked every third round: the posts show up within 15 s.
    for (let s = 0; s < 15; s += 5) {
      clock.advance(5000);
      await forum.scheduler.tick("inline");
    }
    expect((await forum.profiles.posts(a.actor, a.profileId))[0]).toMatchObject({
      status: "pending",
      points: "105",
    });
    for (let s = 0; s < 60; s += 5) {
      clock.advance(5000);
      await forum.scheduler.tick("inline");
    }
    expect((await forum.profiles.posts(a.actor, a.profileId))[0]).toMatchObject({
      status: "credited",
      points: "105",
    });
    expect((await forum.profiles.posts(b.actor, b.profileId))[0]).toMatchObject({
      status: "credited",
      points: "100",
    });
    const ledger = await firstRow<{ n: number; total: string }>(
      env.merit.core.db.orm,
      sql`SELECT count(*)::int AS n, sum(global_points)::text AS total FROM contributions WHERE source = 'forum-post' AND revoked_at IS NULL`,
    );
    expect(ledger).toEqual({ n: 2, total: "205" });

    const standings = await call(env.merit, "GET", "/api/forum/campaigns/e2e/standings");
    expect(standings.json()).toMatchObject({ totalPoints: "205", pool: "120000" });
    expect(standings.json().items[0]).toMatchObject({
      rank: 1,
      points: "105",
      estimatedTokens: "61463.41463414",
    });

    const venue = await call(env.merit, "GET", "/api/retrieve/leaderboard-data/", { token: adminToken });
    expect(venue.json()).toMatchObject({
      success: true,
      sitewide: { total_users: 2, total_posts: 2, total_points: 205, available_tokens: "120,000" },
      userstats: { overall_rank: null, total_tokens: 0 },
      forumstats: { posts: [{ forumSite: "Bitcointalk", value: 2 }] },
    });
    expect(venue.json().rankings[0]).toMatchObject({
      rank: 1,
      total_posts: 1,
      total_points: 105,
      total_tokens: 61463.41,
    });

    const coverage = await call(env.merit, "GET", "/api/admin/forum/campaigns/e2e/coverage", {
      token: adminToken,
    });
    expect(coverage.statusCode).toBe(200);
    expect(coverage.json()).toMatchObject({ budgetTooSmall: false, verifiedProfiles: 2 });
    const profile = coverage.json().profiles.find((p: { id: string }) => p.id === a.profileId);
    expect(profile.checks).toBeGreaterThanOrEqual(10);
    // The largest gap is the wait before the first idle check (verified at 10:00:00, idle profiles every 15 s).
    expect(profile.maxGapSeconds).toBeLessThanOrEqual(20);
    const metrics = await call(env.merit, "GET", "/metrics");
    expect(metrics.body).toContain('merit_forum_profiles{campaign="e2e",state="verified"} 2');

    const wrong = await call(env.merit, "POST", "/api/admin/forum/campaigns/e2e/reset", {
      token: adminToken,
      body: { confirm: "nope" },
    });
    expect(wrong.statusCode).toBe(422);
    const reset = await call(env.merit, "POST", "/api/admin/forum/campaigns/e2e/reset", {
      token: adminToken,
      body: { confirm: "e2e" },
    });
    expect(reset.json()).toMatchObject({ deletedPosts: 2, revokedContributions: 2 });
    const after = await firstRow<{ n: number }>(
      env.merit.core.db.orm,
      sql`SELECT count(*)::int AS n FROM contributions WHERE source = 'forum-post' AND revoked_at IS NULL`,
    );
    expect(after?.n).toBe(0);
  });

  it("keeps checking an ended campaign while an outage holds its last posts pending", async () => {
    const forum = env.merit.composition.forum;
    const start = clock.now().getTime();
    await makeCampaign(env, {
      slug: "ends-in-outage",
      startsAt: new Date(start - 3_600_000).toISOString(),
      endsAt: new Date(start + 10 * 60_000).toISOString(),
      maturationMinutes: 30,
      scrapeIntervalSeconds: 60,
    });
    const c = await verifiedParticipant(env, "ends-in-outage");
    clock.advance(60_000);
    env.sim.addPost({ memberId: c.forumUserId, topicId: 901, text: "A last post before the campaign ends." });
    // Idle profiles are checked every third round.
    clock.advance(3 * 60_000);
    await forum.scheduler.tick("inline");
    expect((await forum.profiles.posts(c.actor, c.profileId))[0]?.status).toBe("pending");

    // The forum is down from before the end until well past the end plus maturation plus an hour.
    env.sim.setFault("error500", 1_000_000);
    for (let minute = 0; minute < 150; minute += 10) {
      clock.advance(10 * 60_000);
      await forum.scheduler.tick("inline");
    }
    env.sim.setFault("none");
    clock.advance(60_000);
    expect(await forum.scheduler.tick("inline")).toContain("ends-in-outage");
    expect((await forum.profiles.posts(c.actor, c.profileId))[0]).toMatchObject({
      status: "credited",
      uptimePercent: "100.00",
    });
    // Decided: the ended campaign is no longer checked.
    clock.advance(60_000);
    expect(await forum.scheduler.tick("inline")).not.toContain("ends-in-outage");
  });

  it("stops checking the forum profile of a deleted Merit account", async () => {
    const forum = env.merit.composition.forum;
    const db = env.merit.core.db.orm;
    await makeCampaign(env, { slug: "gone-user", maturationMinutes: 1, scrapeIntervalSeconds: 5 });
    const kept = await verifiedParticipant(env, "gone-user");
    const gone = await verifiedParticipant(env, "gone-user");
    const scrapes = async (profileId: string) =>
      (
        await firstRow<{ n: number }>(
          db,
          sql`SELECT count(*)::int AS n FROM forum_scrapes WHERE profile_id = ${profileId} AND kind <> 'verify'`,
        )
      )?.n ?? 0;
    await db.execute(sql`UPDATE users SET deleted_at = now() WHERE id = ${gone.actor.userId}`);
    for (let s = 0; s < 60; s += 5) {
      clock.advance(5000);
      await forum.scheduler.tick("inline");
    }
    // The other member is checked as usual; the deleted account's profile costs the forum nothing.
    expect(await scrapes(kept.profileId)).toBeGreaterThan(0);
    expect(await scrapes(gone.profileId)).toBe(0);
  });
});
