// The admin and Venue endpoints answer with every field their services compute. Responses are
// serialized through their schemas, which drop any property a schema does not declare: each HTTP
// answer is compared with the service's own result, and the fields the admin pages read are named.
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import {
  LONG_POST,
  MINUTE,
  makeCampaign,
  makeUsers,
  memberActor,
  useForumTestEnv,
  verifiedParticipant,
} from "./forum.test-support.ts";

const clock = new ManualClock("2026-05-04T10:00:00Z");
const env = useForumTestEnv(clock);
const slug = "resp";
let adminToken: string;
let carol: Awaited<ReturnType<typeof signedInUser>>;
let a: Awaited<ReturnType<typeof verifiedParticipant>>;
let b: Awaited<ReturnType<typeof verifiedParticipant>>;
let unverifiedId: string;
/** Answers of "check now" (POST .../rescrape), made in the setup. */
const checks: Record<"a" | "b" | "aMatured" | "unverified", unknown> = {
  a: null,
  b: null,
  aMatured: null,
  unverified: null,
};

/** The service result as it reads once sent as JSON (dates become strings, undefined goes away). */
const asJson = (v: unknown) => JSON.parse(JSON.stringify(v));
const keysOf = (o: object) => Object.keys(o).sort();
const get = (url: string, token?: string) => call(env.merit, "GET", url, { token });
const post = (url: string, body?: unknown) => call(env.merit, "POST", url, { token: adminToken, body });

const PROFILE_KEYS = [
  "id",
  "userId",
  "site",
  "campaign",
  "forumUserId",
  "username",
  "position",
  "signatureId",
  "status",
  "verifiedAt",
  "ownerVerifiedAt",
  "lastCheckedAt",
  "lastAttemptAt",
  "lastOutcome",
  "signatureFound",
];
const POST_KEYS = [
  "id",
  "messageId",
  "topicId",
  "boardName",
  "postedAt",
  "maturesAt",
  "contentLength",
  "rank",
  "bonusPercent",
  "points",
  "status",
  "reason",
  "uptimePercent",
  "missingSeconds",
  "decidedAt",
];

beforeAll(async () => {
  adminToken = (await signedInUser(env.merit, "respadmin", ["admin", "member"])).accessToken;
  carol = await signedInUser(env.merit, "carol");
  await makeCampaign(env, {
    slug,
    startsAt: "2026-05-04T09:00:00Z",
    pool: "1000",
    poolToken: "VTX",
    maturationMinutes: 1,
    scrapeIntervalSeconds: 5,
    minPostLength: 20,
  });
  a = await verifiedParticipant(env, slug, { position: "Hero Member", userId: carol.user.id });
  b = await verifiedParticipant(env, slug, { position: "Member" });
  // A round right after verification checks nobody, but leaves a plan for the coverage view.
  expect(await env.merit.composition.forum.scheduler.tick("inline")).toEqual([slug]);
  clock.advance(1000);
  env.sim.addPost({ memberId: a.forumUserId, topicId: 900, text: LONG_POST });
  env.sim.addPost({ memberId: b.forumUserId, topicId: 900, text: LONG_POST });
  env.sim.addPost({ memberId: b.forumUserId, topicId: 901, text: "Too short." });

  // The posts are found and decided through "check now"; the tests below read what it left.
  const rescrape = async (id: string) => {
    const r = await post(`/api/admin/forum/profiles/${id}/rescrape`);
    if (r.statusCode !== 200) throw new Error(`rescrape: ${r.statusCode} ${r.body}`);
    return r.json();
  };
  checks.a = await rescrape(a.profileId);
  checks.b = await rescrape(b.profileId);
  // After maturation a's post is credited; b's long post stays pending (b is not checked again).
  clock.advance(2 * MINUTE);
  checks.aMatured = await rescrape(a.profileId);
  env.sim.addMember({ id: 7001, name: "Unverified", position: "Member" });
  const { dave } = await makeUsers(env.merit, ["dave"]);
  const { id } = await env.merit.composition.forum.profiles.claim(memberActor(dave), {
    site: "bitcointalk",
    forumUser: "7001",
    campaign: slug,
  });
  unverifiedId = id;
  checks.unverified = await rescrape(id);
});

describe("forum admin and Venue responses keep every field", () => {
  it("rescrape answers what the check did, and why it skipped", () => {
    expect(checks.a).toEqual({
      profileId: a.profileId,
      outcome: "ok",
      signatureFound: true,
      newPosts: 1,
      credited: 0,
      uncredited: 0,
    });
    expect(checks.b).toMatchObject({ newPosts: 2, uncredited: 0 });
    expect(checks.aMatured).toMatchObject({ newPosts: 0, credited: 1, uncredited: 0 });
    expect(checks.unverified).toEqual({ profileId: unverifiedId, skipped: "NOT_VERIFIED" });
  });

  it("lists profiles with their Merit user, check count and largest gap", async () => {
    const r = await get(`/api/admin/forum/campaigns/${slug}/profiles`, adminToken);
    expect(r.statusCode).toBe(200);
    const expected = await env.merit.composition.forum.admin.profiles(env.admin, slug);
    expect(r.json()).toEqual({ items: asJson(expected), total: 3 });
    const mine = r.json().items.find((p: { id: string }) => p.id === a.profileId);
    expect(keysOf(mine)).toEqual([...PROFILE_KEYS, "meritUsername", "checks", "maxGapSeconds"].sort());
    expect(mine).toMatchObject({ meritUsername: "carol", campaign: slug, status: "verified", checks: 2 });
    expect(mine.maxGapSeconds).toBeGreaterThan(0);
  });

  it("lists a profile's scrapes with outcome, links and new posts", async () => {
    const r = await get(`/api/admin/forum/profiles/${a.profileId}/scrapes?limit=10`, adminToken);
    expect(r.statusCode).toBe(200);
    const expected = await env.merit.composition.forum.admin.scrapes(env.admin, a.profileId, 10);
    expect(r.json()).toEqual({ items: asJson(expected), total: 5 });
    const items = r.json().items;
    expect(items.map((s: { kind: string }) => s.kind)).toEqual([
      "history",
      "profile",
      "history",
      "profile",
      "verify",
    ]);
    const keys = [
      "id",
      "kind",
      "outcome",
      "httpStatus",
      "attempts",
      "pages",
      "signatureFound",
      "links",
      "missingLinks",
      "newPosts",
      "error",
      "durationMs",
      "at",
    ];
    for (const s of items) expect(keysOf(s)).toEqual([...keys].sort());
    expect(items[2]).toMatchObject({ outcome: "ok", newPosts: 1, signatureFound: null, links: null });
    expect(items[3]).toMatchObject({
      outcome: "ok",
      httpStatus: 200,
      signatureFound: true,
      missingLinks: [],
    });
    expect(items[3].links.length).toBeGreaterThan(0);
  });

  it("pages a campaign's posts with their profile, counting every match", async () => {
    const r = await get(`/api/admin/forum/campaigns/${slug}/posts`, adminToken);
    expect(r.statusCode).toBe(200);
    const all = await env.merit.composition.forum.admin.posts(env.admin, slug, { limit: 50, offset: 0 });
    expect(r.json()).toEqual(asJson(all));
    expect(r.json().total).toBe(3);
    for (const p of r.json().items)
      expect(keysOf(p)).toEqual([...POST_KEYS, "profileId", "forumUsername"].sort());
    const byStatus = Object.fromEntries(
      r.json().items.map((p: { status: string; reason: string | null }) => [p.status, p.reason]),
    );
    expect(byStatus).toEqual({ credited: null, pending: null, uncredited: "TOO_SHORT" });

    const page = (await get(`/api/admin/forum/campaigns/${slug}/posts?limit=1&offset=1`, adminToken)).json();
    expect(page.items).toHaveLength(1);
    expect(page.total).toBe(3);
    const credited = (
      await get(`/api/admin/forum/campaigns/${slug}/posts?status=credited`, adminToken)
    ).json();
    expect(credited.total).toBe(1);
    expect(credited.items[0]).toMatchObject({ profileId: a.profileId, points: "105", status: "credited" });
    expect(credited.items[0].forumUsername).toBeTruthy();
  });

  it("reports coverage with the last round's whole plan", async () => {
    const r = await get(`/api/admin/forum/campaigns/${slug}/coverage`, adminToken);
    expect(r.statusCode).toBe(200);
    const expected = await env.merit.composition.forum.admin.coverage(env.admin, slug);
    expect(r.json()).toEqual(asJson(expected));
    const c = r.json();
    expect(c).toMatchObject({
      campaign: slug,
      scrapeIntervalSeconds: 5,
      requestsPerSecond: 100,
      budgetTooSmall: false,
      warning: null,
      verifiedProfiles: 2,
      maturingProfiles: 1,
    });
    expect(c.lastRoundAt).toBe("2026-05-04T10:00:00.000Z");
    expect(c.nextRoundAt).toBe("2026-05-04T10:00:05.000Z");
    expect(keysOf(c.lastPlan)).toEqual(
      [
        "budget",
        "neededForMaturing",
        "needed",
        "maturing",
        "selected",
        "selectedMaturing",
        "skippedMaturing",
        "planned",
        "budgetTooSmall",
        "warning",
        "at",
      ].sort(),
    );
    expect(c.lastPlan).toMatchObject({ budget: 500, selected: 0, at: "2026-05-04T10:00:00.000Z" });
    const profile = c.profiles.find((p: { id: string }) => p.id === b.profileId);
    expect(keysOf(profile)).toEqual(
      [
        "id",
        "username",
        "forumUserId",
        "status",
        "checks",
        "lastCheckedAt",
        "lastAttemptAt",
        "lastOutcome",
        "maxGapSeconds",
        "secondsSinceCheck",
        "pendingPosts",
      ].sort(),
    );
    expect(profile).toMatchObject({ forumUserId: b.forumUserId, pendingPosts: 1, lastOutcome: "ok" });
    expect(profile.secondsSinceCheck).toBe(120);
    expect(c.maxGapSecondsMaturing).toBe(profile.maxGapSeconds);
    expect(c.oldestCheckSecondsMaturing).toBe(120);
  });

  it("answers Venue's leaderboard data with the caller's standing", async () => {
    const r = await get("/api/retrieve/leaderboard-data/", carol.accessToken);
    expect(r.statusCode).toBe(200);
    const expected = await env.merit.composition.forum.standings.venueLeaderboard(memberActor(carol.user.id));
    expect(r.json()).toEqual(asJson(expected));
    expect(r.json()).toEqual({
      success: true,
      rankings: [
        { username: "carol", rank: 1, total_posts: 1, total_points: 105, total_tokens: 1000 },
        { username: expect.any(String), rank: 2, total_posts: 0, total_points: 0, total_tokens: 0 },
      ],
      sitewide: { available_tokens: "1,000", total_users: 2, total_posts: 1, total_points: 105 },
      userstats: { overall_rank: 1, total_tokens: 1000 },
      forumstats: {
        posts: [{ forumSite: "Bitcointalk", value: 1, color: "#2a96b6" }],
        users: [{ forumSite: "Bitcointalk", value: 2, color: "#2a96b6" }],
      },
    });
    expect((await get("/api/retrieve/leaderboard-data/")).json().userstats).toEqual({});
  });

  it("resets a campaign and counts what it removed", async () => {
    const r = await post(`/api/admin/forum/campaigns/${slug}/reset`, { confirm: slug });
    expect(r.statusCode).toBe(200);
    // Scrapes: verify + 2 checks (profile, history) of a, verify + 1 check of b; claiming stores none.
    expect(r.json()).toEqual({ deletedPosts: 3, deletedScrapes: 8, revokedContributions: 1 });
  });
});
