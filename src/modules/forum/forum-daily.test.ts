// Daily series of tracked posts (participant dashboard, campaign admin): who may read them, zero-filled
// windows, and UTC day boundaries both for posts and for "today", time moved with a ManualClock.
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser, signIn } from "../accounts/accounts.test-support.ts";
import { LONG_POST, makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";

const clock = new ManualClock("2026-03-08T12:00:00Z");
const env = useForumTestEnv(clock);
let profileId: string;
/** A fresh access token at the clock's current time (moving the clock expires earlier ones). */
const tokenOf = async (username: string) => (await signIn(env.merit, username)).accessToken;

const zero = { found: 0, pending: 0, credited: 0, uncredited: 0, creditedPoints: "0", pendingPoints: "0" };

beforeAll(async () => {
  const owner = await signedInUser(env.merit, "dora");
  await signedInUser(env.merit, "otto");
  await signedInUser(env.merit, "stew", ["steward", "member"]);
  await signedInUser(env.merit, "dadmin", ["admin", "member"]);
  await makeCampaign(env, {
    slug: "daily",
    startsAt: "2026-03-01T00:00:00Z",
    maturationMinutes: 60,
    minPostLength: 40,
  });
  const p = await verifiedParticipant(env, "daily", { position: "Member", userId: owner.user.id });
  const q = await verifiedParticipant(env, "daily", { position: "Full Member" });
  profileId = p.profileId;
  clock.set("2026-03-10T12:00:00Z");
  const add = (memberId: number, postedAt: string, text = LONG_POST) =>
    env.sim.addPost({ memberId, topicId: 90, text, postedAt: new Date(postedAt) });
  add(p.forumUserId, "2026-03-08T23:59:59Z"); // last second of the 8th: credited
  add(p.forumUserId, "2026-03-09T00:00:00Z"); // first second of the 9th: credited
  add(p.forumUserId, "2026-03-09T10:00:00Z", "Too short to count."); // uncredited
  add(p.forumUserId, "2026-03-10T11:30:00Z"); // still maturing
  add(q.forumUserId, "2026-03-09T12:00:00Z"); // another participant: credited, 101 points
  for (const id of [p.profileId, q.profileId]) await env.merit.composition.forum.tracking.checkProfile(id);
});

const daily = (query: string, token?: string, id = profileId) =>
  call(env.merit, "GET", `/api/forum/profiles/${id}/daily${query}`, { token });

describe("a profile's daily series", () => {
  it("counts posts per UTC day of writing, with points, zero-filled days and totals", async () => {
    const r = await daily("?days=5", await tokenOf("dora"));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      profileId,
      from: "2026-03-06",
      to: "2026-03-10",
      days: 5,
      items: [
        { day: "2026-03-06", ...zero },
        { day: "2026-03-07", ...zero },
        { day: "2026-03-08", ...zero, found: 1, credited: 1, creditedPoints: "100" },
        { day: "2026-03-09", ...zero, found: 2, credited: 1, uncredited: 1, creditedPoints: "100" },
        { day: "2026-03-10", ...zero, found: 1, pending: 1, pendingPoints: "100" },
      ],
      totals: {
        found: 4,
        pending: 1,
        credited: 2,
        uncredited: 1,
        creditedPoints: "200",
        pendingPoints: "100",
      },
    });
  });

  it("covers 30 days by default, ending today", async () => {
    const body = (await daily("", await tokenOf("dora"))).json();
    expect(body).toMatchObject({ from: "2026-02-09", to: "2026-03-10", days: 30 });
    expect(body.items).toHaveLength(30);
    expect(body.items[0]).toEqual({ day: "2026-02-09", ...zero });
    expect(body.totals.found).toBe(4);
  });

  it("moves its window at UTC midnight", async () => {
    clock.set("2026-03-10T23:59:59Z");
    expect((await daily("?days=3", await tokenOf("dora"))).json()).toMatchObject({
      from: "2026-03-08",
      to: "2026-03-10",
    });
    clock.set("2026-03-11T00:00:00Z");
    const body = (await daily("?days=3", await tokenOf("dora"))).json();
    expect(body.items.map((d: { day: string; found: number }) => [d.day, d.found])).toEqual([
      ["2026-03-09", 2],
      ["2026-03-10", 1],
      ["2026-03-11", 0],
    ]);
    expect(body.totals.creditedPoints).toBe("100");
    clock.set("2026-03-10T12:00:00Z");
  });

  it("is for the owner and admins only", async () => {
    expect((await daily("")).statusCode).toBe(401);
    const foreign = await daily("", await tokenOf("otto"));
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().error.code).toBe("NOT_PROFILE_OWNER");
    expect((await daily("", await tokenOf("stew"))).statusCode).toBe(403);
    expect((await daily("?days=3", await tokenOf("dadmin"))).json().totals.found).toBe(4);
    const missing = await daily("", await tokenOf("dora"), "00000000-0000-4000-8000-000000000000");
    expect(missing.statusCode).toBe(404);
  });

  it("refuses a window outside 1 to 366 days", async () => {
    const token = await tokenOf("dora");
    for (const days of ["0", "367", "many"]) {
      const r = await daily(`?days=${days}`, token);
      expect(r.statusCode).toBe(400);
    }
  });
});

describe("a campaign's daily series", () => {
  const campaignDaily = (slug: string, token?: string) =>
    call(env.merit, "GET", `/api/admin/forum/campaigns/${slug}/daily?days=3`, { token });

  it("adds up every participant for admins", async () => {
    const r = await campaignDaily("daily", await tokenOf("dadmin"));
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ campaign: "daily", from: "2026-03-08", to: "2026-03-10" });
    expect(r.json().items[1]).toEqual({
      day: "2026-03-09",
      ...zero,
      found: 3,
      credited: 2,
      uncredited: 1,
      creditedPoints: "201",
    });
    expect(r.json().totals).toMatchObject({ found: 5, creditedPoints: "301", pendingPoints: "100" });
  });

  it("is for admins only and answers 404 for an unknown campaign", async () => {
    expect((await campaignDaily("daily")).statusCode).toBe(401);
    expect((await campaignDaily("daily", await tokenOf("dora"))).statusCode).toBe(403);
    expect((await campaignDaily("daily", await tokenOf("stew"))).statusCode).toBe(403);
    expect((await campaignDaily("nope", await tokenOf("dadmin"))).statusCode).toBe(404);
  });
});
