// Crediting rules end to end against the simulator, time moved with a ManualClock.
import { describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import {
  DESIGN_CODE,
  LONG_POST,
  makeCampaign,
  useForumTestEnv,
  verifiedParticipant,
} from "./forum.test-support.ts";

const clock = new ManualClock("2026-03-02T12:00:00Z");
const env = useForumTestEnv(clock);

const check = (profileId: string) => env.merit.composition.forum.tracking.checkProfile(profileId);
const postsOf = async (p: {
  actor: Parameters<typeof env.merit.composition.forum.profiles.posts>[0];
  profileId: string;
}) => env.merit.composition.forum.profiles.posts(p.actor, p.profileId);
const at = (iso: string) => clock.set(iso);

describe("maturation and uptime", () => {
  it("credits postPoints x (1 + rank bonus) once the post matured with the signature in place", async () => {
    at("2026-03-02T12:00:00Z");
    await makeCampaign(env, { slug: "basic", maturationMinutes: 60 });
    const p = await verifiedParticipant(env, "basic", { position: "Full Member" });
    at("2026-03-02T12:10:00Z");
    env.sim.addPost({ memberId: p.forumUserId, topicId: 11, text: LONG_POST });
    at("2026-03-02T12:11:00Z");
    expect(await check(p.profileId)).toMatchObject({ newPosts: 1, signatureFound: true });
    let [post] = await postsOf(p);
    expect(post).toMatchObject({
      status: "pending",
      points: "101",
      rank: "Full Member",
      bonusPercent: "1",
      maturesAt: "2026-03-02T13:10:00.000Z",
    });

    at("2026-03-02T13:09:59Z");
    await check(p.profileId);
    expect((await postsOf(p))[0].status).toBe("pending");
    at("2026-03-02T13:10:00Z");
    expect(await check(p.profileId)).toMatchObject({ credited: 1 });
    [post] = await postsOf(p);
    expect(post).toMatchObject({
      status: "credited",
      points: "101",
      uptimePercent: "100.00",
      missingSeconds: 0,
      reason: null,
    });
  });

  it("credits at exactly the uptime threshold (90.00%) and uncredits one second below it", async () => {
    at("2026-03-03T00:00:00Z");
    await makeCampaign(env, { slug: "threshold", maturationMinutes: 100, uptimeThresholdPercent: "90" });
    const a = await verifiedParticipant(env, "threshold", { position: "Member" });
    const b = await verifiedParticipant(env, "threshold", { position: "Member" });
    env.sim.addPost({ memberId: a.forumUserId, topicId: 21, text: LONG_POST });
    env.sim.addPost({ memberId: b.forumUserId, topicId: 21, text: LONG_POST });
    at("2026-03-03T00:10:00Z");
    await check(a.profileId);
    await check(b.profileId);
    env.sim.updateMember(a.forumUserId, { signature: "gone" });
    env.sim.updateMember(b.forumUserId, { signature: "gone" });
    // Absent at the next check: the whole gap since the last good check counts, to the second.
    at("2026-03-03T00:20:00Z");
    await check(a.profileId);
    at("2026-03-03T00:20:01Z");
    await check(b.profileId);
    env.sim.updateMember(a.forumUserId, { signature: DESIGN_CODE });
    env.sim.updateMember(b.forumUserId, { signature: DESIGN_CODE });
    at("2026-03-03T01:40:00Z");
    await check(a.profileId);
    await check(b.profileId);
    expect((await postsOf(a))[0]).toMatchObject({
      status: "credited",
      uptimePercent: "90.00",
      missingSeconds: 600,
    });
    expect((await postsOf(b))[0]).toMatchObject({
      status: "uncredited",
      reason: "LOW_UPTIME",
      missingSeconds: 601,
      uptimePercent: "89.98",
    });
  });

  it("uncredits a post deleted during maturation (two complete scans without it)", async () => {
    at("2026-03-04T00:00:00Z");
    await makeCampaign(env, { slug: "deleted", maturationMinutes: 60 });
    const p = await verifiedParticipant(env, "deleted");
    const kept = env.sim.addPost({ memberId: p.forumUserId, topicId: 31, text: LONG_POST });
    const gone = env.sim.addPost({ memberId: p.forumUserId, topicId: 31, text: LONG_POST });
    at("2026-03-04T00:05:00Z");
    await check(p.profileId);
    env.sim.deletePost(gone.messageId);
    at("2026-03-04T00:10:00Z");
    await check(p.profileId);
    expect((await postsOf(p)).every((x) => x.status === "pending")).toBe(true);
    at("2026-03-04T00:15:00Z");
    await check(p.profileId);
    const byId = new Map((await postsOf(p)).map((x) => [x.messageId, x]));
    expect(byId.get(gone.messageId)).toMatchObject({ status: "uncredited", reason: "DELETED" });
    expect(byId.get(kept.messageId)?.status).toBe("pending");
    // Deleting after maturation changes nothing.
    at("2026-03-04T01:00:00Z");
    await check(p.profileId);
    env.sim.deletePost(kept.messageId);
    at("2026-03-04T01:05:00Z");
    await check(p.profileId);
    at("2026-03-04T01:10:00Z");
    await check(p.profileId);
    expect((await postsOf(p)).find((x) => x.messageId === kept.messageId)?.status).toBe("credited");
  });

  it("applies a rank change to new posts only", async () => {
    at("2026-03-05T00:00:00Z");
    await makeCampaign(env, { slug: "rank", maturationMinutes: 60, postPoints: "150" });
    const p = await verifiedParticipant(env, "rank", { position: "Full Member" });
    const before = env.sim.addPost({ memberId: p.forumUserId, topicId: 41, text: LONG_POST });
    at("2026-03-05T00:05:00Z");
    await check(p.profileId);
    env.sim.updateMember(p.forumUserId, { position: "Hero Member" });
    at("2026-03-05T00:06:00Z");
    const after = env.sim.addPost({ memberId: p.forumUserId, topicId: 41, text: LONG_POST });
    at("2026-03-05T00:07:00Z");
    await check(p.profileId);
    const byId = new Map((await postsOf(p)).map((x) => [x.messageId, x]));
    expect(byId.get(before.messageId)).toMatchObject({ rank: "Full Member", points: "151.5" });
    expect(byId.get(after.messageId)).toMatchObject({ rank: "Hero Member", points: "157.5" });
  });
});

describe("campaign rules", () => {
  it("counts only posts inside the window [startsAt, endsAt)", async () => {
    at("2026-03-06T00:00:00Z");
    await makeCampaign(env, {
      slug: "window",
      startsAt: "2026-03-06T01:00:00Z",
      endsAt: "2026-03-06T02:00:00Z",
      maturationMinutes: 30,
    });
    const p = await verifiedParticipant(env, "window");
    const m = p.forumUserId;
    const early = env.sim.addPost({
      memberId: m,
      topicId: 51,
      text: LONG_POST,
      postedAt: new Date("2026-03-06T00:59:59Z"),
    });
    const first = env.sim.addPost({
      memberId: m,
      topicId: 51,
      text: LONG_POST,
      postedAt: new Date("2026-03-06T01:00:00Z"),
    });
    const last = env.sim.addPost({
      memberId: m,
      topicId: 51,
      text: LONG_POST,
      postedAt: new Date("2026-03-06T01:59:59Z"),
    });
    const late = env.sim.addPost({
      memberId: m,
      topicId: 51,
      text: LONG_POST,
      postedAt: new Date("2026-03-06T02:00:00Z"),
    });
    at("2026-03-06T02:00:30Z");
    await check(p.profileId);
    const byId = new Map((await postsOf(p)).map((x) => [x.messageId, x]));
    expect(byId.has(early.messageId)).toBe(false);
    // Already past its 30-minute maturation when first seen, with the signature in place.
    expect(byId.get(first.messageId)?.status).toBe("credited");
    expect(byId.get(last.messageId)?.status).toBe("pending");
    expect(byId.get(late.messageId)).toMatchObject({ status: "uncredited", reason: "OUTSIDE_WINDOW" });
  });

  it("applies the minimum length outside quotes and excluded boards", async () => {
    at("2026-03-07T00:00:00Z");
    await makeCampaign(env, {
      slug: "rules",
      maturationMinutes: 60,
      minPostLength: 40,
      excludedBoards: ["off-topic"],
    });
    const p = await verifiedParticipant(env, "rules");
    const m = p.forumUserId;
    const short = env.sim.addPost({ memberId: m, topicId: 61, text: "Too short to count." });
    const quoted = env.sim.addPost({
      memberId: m,
      topicId: 61,
      text: `[quote author=someone]${LONG_POST} ${LONG_POST}[/quote]Agreed, nice.`,
    });
    const offTopic = env.sim.addPost({ memberId: m, topicId: 62, boardName: "Off-topic", text: LONG_POST });
    const fine = env.sim.addPost({ memberId: m, topicId: 61, text: LONG_POST });
    at("2026-03-07T00:01:00Z");
    await check(p.profileId);
    const byId = new Map((await postsOf(p)).map((x) => [x.messageId, x]));
    expect(byId.get(short.messageId)).toMatchObject({ status: "uncredited", reason: "TOO_SHORT" });
    expect(byId.get(quoted.messageId)).toMatchObject({ status: "uncredited", reason: "TOO_SHORT" });
    expect(byId.get(offTopic.messageId)).toMatchObject({ status: "uncredited", reason: "EXCLUDED_BOARD" });
    expect(byId.get(fine.messageId)?.status).toBe("pending");
  });

  it("caps posts per week, weeks starting on the configured weekday (UTC)", async () => {
    at("2026-03-09T12:00:00Z"); // a Monday
    await makeCampaign(env, { slug: "cap", maturationMinutes: 60, weeklyPostCap: 2, weekResetDay: 3 });
    const p = await verifiedParticipant(env, "cap");
    const m = p.forumUserId;
    at("2026-03-13T12:00:00Z");
    const tue = env.sim.addPost({
      memberId: m,
      topicId: 71,
      text: LONG_POST,
      postedAt: new Date("2026-03-10T10:00:00Z"),
    });
    const wed1 = env.sim.addPost({
      memberId: m,
      topicId: 71,
      text: LONG_POST,
      postedAt: new Date("2026-03-11T00:00:00Z"),
    });
    const wed2 = env.sim.addPost({
      memberId: m,
      topicId: 71,
      text: LONG_POST,
      postedAt: new Date("2026-03-11T10:00:00Z"),
    });
    const thu = env.sim.addPost({
      memberId: m,
      topicId: 71,
      text: LONG_POST,
      postedAt: new Date("2026-03-12T10:00:00Z"),
    });
    await check(p.profileId);
    const byId = new Map((await postsOf(p)).map((x) => [x.messageId, x]));
    expect(byId.get(tue.messageId)?.reason).toBeNull();
    expect(byId.get(wed1.messageId)?.reason).toBeNull();
    expect(byId.get(wed2.messageId)?.reason).toBeNull();
    expect(byId.get(thu.messageId)).toMatchObject({ status: "uncredited", reason: "WEEKLY_CAP" });
  });

  it("gives a week's capped post the slot of a post deleted during maturation, once", async () => {
    at("2026-03-16T00:00:00Z"); // a Monday
    await makeCampaign(env, { slug: "cap-freed", maturationMinutes: 60, weeklyPostCap: 2 });
    const p = await verifiedParticipant(env, "cap-freed");
    const post = (minute: string) =>
      env.sim.addPost({
        memberId: p.forumUserId,
        topicId: 72,
        text: LONG_POST,
        postedAt: new Date(`2026-03-16T03:${minute}:00Z`),
      });
    const [first, gone, capped, later] = [post("00"), post("01"), post("02"), post("03")];
    at("2026-03-16T03:05:00Z");
    await check(p.profileId);
    const status = async () =>
      new Map((await postsOf(p)).map((x) => [x.messageId, [x.status, x.reason]] as const));
    expect(await status()).toEqual(
      new Map([
        [first.messageId, ["pending", null]],
        [gone.messageId, ["pending", null]],
        [capped.messageId, ["uncredited", "WEEKLY_CAP"]],
        [later.messageId, ["uncredited", "WEEKLY_CAP"]],
      ]),
    );
    // Two complete scans without it: the deleted post is uncredited and its slot goes to the week's
    // earliest capped post, which then matures like any other; the other capped post stays capped.
    env.sim.deletePost(gone.messageId);
    at("2026-03-16T03:10:00Z");
    await check(p.profileId);
    at("2026-03-16T03:15:00Z");
    await check(p.profileId);
    expect(await status()).toEqual(
      new Map([
        [first.messageId, ["pending", null]],
        [gone.messageId, ["uncredited", "DELETED"]],
        [capped.messageId, ["pending", null]],
        [later.messageId, ["uncredited", "WEEKLY_CAP"]],
      ]),
    );
    at("2026-03-16T04:05:00Z");
    await check(p.profileId);
    at("2026-03-16T04:10:00Z");
    await check(p.profileId);
    const credited = (await postsOf(p)).filter((x) => x.status === "credited");
    expect(credited.map((x) => x.messageId).sort()).toEqual([first.messageId, capped.messageId].sort());
  });
});

describe("forum outages never uncredit", () => {
  for (const mode of ["error500", "cloudflare", "too-fast", "timeout", "not-found"] as const) {
    it(`keeps the post's uptime through ${mode} pages and credits after recovery`, async () => {
      const day = { error500: 10, cloudflare: 11, "too-fast": 12, timeout: 13, "not-found": 14 }[mode];
      at(`2026-04-${day}T00:00:00Z`);
      await makeCampaign(env, { slug: `fault-${mode}`, maturationMinutes: 60 });
      const p = await verifiedParticipant(env, `fault-${mode}`);
      env.sim.addPost({ memberId: p.forumUserId, topicId: 81, text: LONG_POST });
      at(`2026-04-${day}T00:05:00Z`);
      await check(p.profileId);
      env.sim.setFault(mode, 1000);
      for (const minute of [20, 40, 60, 70]) {
        at(`2026-04-${day}T00:${String(minute % 60).padStart(2, "0")}:00Z`);
        if (minute >= 60) at(`2026-04-${day}T01:${String(minute - 60).padStart(2, "0")}:00Z`);
        const r = await check(p.profileId);
        expect(r.signatureFound).toBeNull();
      }
      expect((await postsOf(p))[0]).toMatchObject({ status: "pending", missingSeconds: 0 });
      env.sim.setFault("none");
      at(`2026-04-${day}T01:15:00Z`);
      await check(p.profileId);
      expect((await postsOf(p))[0]).toMatchObject({ status: "credited", uptimePercent: "100.00" });
    });
  }

  it("keeps the post through post lists cut off before their end and credits after recovery", async () => {
    at("2026-04-15T00:00:00Z");
    await makeCampaign(env, { slug: "fault-truncated", maturationMinutes: 60 });
    const p = await verifiedParticipant(env, "fault-truncated");
    env.sim.addPost({ memberId: p.forumUserId, topicId: 82, text: LONG_POST });
    at("2026-04-15T00:05:00Z");
    await check(p.profileId);
    // Every history page now stops before its last post: the post must not look deleted.
    env.sim.setFault("truncated", 1000);
    for (const time of ["00:20", "00:40", "01:00"]) {
      at(`2026-04-15T${time}:00Z`);
      expect(await check(p.profileId)).toMatchObject({ signatureFound: true, outcome: "ok" });
    }
    expect((await postsOf(p))[0]).toMatchObject({ status: "pending", missingSeconds: 0 });
    env.sim.setFault("none");
    at("2026-04-15T01:15:00Z");
    await check(p.profileId);
    expect((await postsOf(p))[0]).toMatchObject({ status: "credited", uptimePercent: "100.00" });
  });
});

describe("what members write is not forum trouble", () => {
  it("credits a post quoting the forum's throttle and missing-member messages", async () => {
    at("2026-04-16T00:00:00Z");
    await makeCampaign(env, { slug: "quoting", maturationMinutes: 60 });
    const p = await verifiedParticipant(env, "quoting");
    env.sim.addPost({
      memberId: p.forumUserId,
      topicId: 83,
      text: `${LONG_POST} The forum said "You are requesting too fast" and then "The user whose profile you are trying to view does not exist."`,
    });
    at("2026-04-16T00:05:00Z");
    expect(await check(p.profileId)).toMatchObject({ newPosts: 1 });
    at("2026-04-16T01:05:00Z");
    expect(await check(p.profileId)).toMatchObject({ credited: 1 });
  });
});
