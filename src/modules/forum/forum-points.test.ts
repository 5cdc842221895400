// The ledger sink: exact post points (rank bonus in the multiplier), open-ended forum campaigns with a
// points campaign, and forum campaign edits mirrored on the points side.
import { sql } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { rows } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { LONG_POST, makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";
import { createLedgerSink } from "./forum-points.ledger.ts";
import { nullPointsSink } from "./forum-points.ts";

const clock = new ManualClock("2026-03-02T12:00:00Z");
const env = useForumTestEnv(clock);

const forum = () => env.merit.composition.forum;
const pointsCampaign = async (slug: string) =>
  (await call(env.merit, "GET", `/api/campaigns/${slug}`)).json();

describe("exact forum post points", () => {
  it("credits a Hero Member post at postPoints 50 with exactly 52.5 on the campaign board", async () => {
    clock.set("2026-03-02T12:00:00Z");
    const c = await makeCampaign(env, { slug: "hero", maturationMinutes: 60, postPoints: "50" });
    // Open-ended forum campaigns get a points campaign (board and pool split) too.
    expect(c.pointsCampaignId).not.toBeNull();
    expect(await pointsCampaign("hero")).toMatchObject({ id: c.pointsCampaignId, endsAt: null });
    const p = await verifiedParticipant(env, "hero", { position: "Hero Member" });
    clock.set("2026-03-02T12:10:00Z");
    env.sim.addPost({ memberId: p.forumUserId, topicId: 61, text: LONG_POST });
    clock.set("2026-03-02T12:11:00Z");
    await forum().tracking.checkProfile(p.profileId);
    clock.set("2026-03-02T13:10:00Z");
    expect(await forum().tracking.checkProfile(p.profileId)).toMatchObject({ credited: 1 });
    expect((await forum().profiles.posts(p.actor, p.profileId))[0]).toMatchObject({
      status: "credited",
      points: "52.5",
      bonusPercent: "5",
    });

    const board = (await call(env.merit, "GET", "/api/leaderboard?board=campaign:hero")).json();
    expect(board.items).toHaveLength(1);
    expect(board.items[0]).toMatchObject({ userId: p.userId, points: "52.5", contributions: 1 });
    const contributions = (await call(env.merit, "GET", "/api/contributions?campaign=hero")).json();
    expect(contributions.items[0]).toMatchObject({
      points: 50,
      multiplierAtCreation: "1.05",
      globalPoints: "52.5",
      notes: null,
      source: "forum-post",
      // The evidence is the post on the forum itself (the scraper's address here is the simulator's).
      evidence: [
        {
          url: expect.stringMatching(/^https:\/\/bitcointalk\.org\/index\.php\?topic=61\.msg(\d+)#msg\1$/),
          description: "Forum post",
        },
      ],
    });
    expect((await env.merit.composition.points.ledger.verify()).differences).toBe(0);
  });

  it("refuses fractional postPoints (422) and changes nothing", async () => {
    const r = forum().catalog.updateCampaign(env.admin, "hero", { postPoints: "50.5" });
    await expect(r).rejects.toMatchObject({ status: 422, code: "INVALID_POST_POINTS" });
    const created = forum().catalog.createCampaign(env.admin, {
      slug: "fraction",
      name: "Fraction",
      startsAt: "2026-03-01T00:00:00Z",
      postPoints: "12.5",
    });
    await expect(created).rejects.toMatchObject({ status: 422, code: "INVALID_POST_POINTS" });
    expect((await forum().catalog.getCampaign("hero")).postPoints).toBe("50");
    expect((await forum().catalog.listCampaigns()).map((x) => x.slug)).not.toContain("fraction");
  });

  it("refuses a slug a points campaign already has, and leaves no forum campaign behind", async () => {
    const points = env.merit.composition.points.campaigns;
    await points.create(env.admin, {
      slug: "taken-by-points",
      name: "Points only",
      startsAt: "2026-03-01T00:00:00Z",
      endsAt: "2026-04-01T00:00:00Z",
    });
    const created = forum().catalog.createCampaign(env.admin, {
      slug: "taken-by-points",
      name: "Forum twin",
      startsAt: "2026-03-01T00:00:00Z",
    });
    await expect(created).rejects.toMatchObject({ status: 409 });
    expect((await forum().catalog.listCampaigns()).map((x) => x.slug)).not.toContain("taken-by-points");
  });
});

describe("forum campaign edits reach the points campaign", () => {
  it("mirrors a new window and pool; the board follows the window", async () => {
    const updated = await forum().catalog.updateCampaign(env.admin, "hero", {
      endsAt: "2026-03-02T12:05:00Z",
      pool: "1000",
      poolToken: "VTX",
    });
    expect(updated).toMatchObject({ endsAt: "2026-03-02T12:05:00.000Z", pool: "1000" });
    expect(await pointsCampaign("hero")).toMatchObject({
      endsAt: "2026-03-02T12:05:00.000Z",
      pool: { amount: "1000", token: "VTX", decimals: 8 },
      participants: 0,
    });
    const audit = await rows<{ actor_id: string; details: { campaign: string; changes: object } }>(
      env.merit.core.db.orm,
      sql`SELECT actor_id, details FROM audit_log WHERE type = 'campaign.updated'`,
    );
    expect(audit).toEqual([
      {
        actor_id: env.admin.userId,
        details: expect.objectContaining({
          campaign: "hero",
          changes: expect.objectContaining({ endsAt: expect.anything(), pool: expect.anything() }),
        }),
      },
    ]);
    // The post (12:10) is outside the shorter window: off the points board, still credited on the forum.
    expect((await call(env.merit, "GET", "/api/leaderboard?board=campaign:hero")).json().items).toEqual([]);

    await forum().catalog.updateCampaign(env.admin, "hero", { endsAt: null });
    expect(await pointsCampaign("hero")).toMatchObject({ endsAt: null, participants: 1, points: "52.5" });
    const board = (await call(env.merit, "GET", "/api/leaderboard?board=campaign:hero")).json();
    expect(board.items[0]).toMatchObject({ points: "52.5", share: "1000.00000000" });
    expect((await env.merit.composition.points.ledger.verify()).differences).toBe(0);
  });

  it("changes nothing on either side when the points side refuses the values", async () => {
    const before = await forum().catalog.getCampaign("hero");
    const pointsBefore = await pointsCampaign("hero");
    const r = forum().catalog.updateCampaign(env.admin, "hero", {
      pool: "1.123456789",
      endsAt: "2026-04-01T00:00:00Z",
    });
    await expect(r).rejects.toMatchObject({ status: 422, code: "INVALID_POOL" });
    expect(await forum().catalog.getCampaign("hero")).toEqual(before);
    expect(await pointsCampaign("hero")).toEqual(pointsBefore);
  });

  it("refuses edits of the points campaign through the points API (409), which the forum campaign owns", async () => {
    const before = await pointsCampaign("hero");
    expect(before.managedBy).toBe("forum");
    const r = await call(env.merit, "PATCH", "/api/campaigns/hero", {
      token: (await signedInUser(env.merit, "pointsadmin", ["admin", "member"])).accessToken,
      body: { pool: { amount: "5", token: "XYZ", decimals: 2 } },
    });
    expect(r.statusCode).toBe(409);
    expect(r.json().error).toMatchObject({
      code: "CAMPAIGN_MANAGED",
      message: 'Campaign "hero" follows its forum campaign: edit that one instead',
    });
    expect(await pointsCampaign("hero")).toEqual(before);
    // The forum's own edits still reach it.
    await forum().catalog.updateCampaign(env.admin, "hero", { name: "Hero, renamed" });
    expect(await pointsCampaign("hero")).toMatchObject({ name: "Hero, renamed", managedBy: "forum" });
    await forum().catalog.updateCampaign(env.admin, "hero", { name: before.name });
    // A campaign of the points pages is not the forum's to edit.
    const own = await env.merit.composition.points.campaigns.create(env.admin, {
      slug: "points-own",
      name: "Points own",
      startsAt: "2026-03-01T00:00:00Z",
    });
    expect(own.managedBy).toBeNull();
    await expect(
      env.merit.composition.points.campaigns.update(
        env.admin,
        "points-own",
        { name: "x" },
        { managedBy: "forum" },
      ),
    ).rejects.toMatchObject({ status: 409, code: "CAMPAIGN_MANAGED" });
  });

  it("refuses edits and multipliers of the posts type through the points API (409): the forum scores it", async () => {
    const [{ typeId }] = await rows<{ typeId: string }>(
      env.merit.core.db.orm,
      sql`SELECT contribution_type_id AS "typeId" FROM forum_campaigns WHERE slug = 'hero'`,
    );
    const catalog = env.merit.composition.points.catalog;
    const before = await catalog.getType(typeId);
    expect(before).toMatchObject({ managedBy: "forum", submittable: false, currentMultiplier: "1.00" });
    const token = (await signedInUser(env.merit, "typesadmin", ["admin", "member"])).accessToken;
    const patch = await call(env.merit, "PATCH", `/api/contributions/types/${typeId}`, {
      token,
      body: { maxPoints: 1, submittable: true },
    });
    expect(patch.statusCode).toBe(409);
    expect(patch.json().error).toMatchObject({
      code: "TYPE_MANAGED",
      message: `Contribution type "${before.slug}" is scored by its forum campaign, so its fields cannot change here: edit that campaign instead`,
    });
    const multiplier = await call(env.merit, "POST", "/api/leaderboard/multipliers", {
      token,
      body: { contributionTypeId: typeId, value: "2.00", validFrom: "2026-03-01T00:00:00Z" },
    });
    expect(multiplier.statusCode).toBe(409);
    expect(multiplier.json().error.code).toBe("TYPE_MANAGED");
    expect(await catalog.getType(typeId)).toEqual(before);
    expect(await catalog.listMultipliers(typeId)).toHaveLength(1);
    // The forum keeps the type's name in step with the campaign's.
    await forum().catalog.updateCampaign(env.admin, "hero", { name: "Heroes" });
    expect(await catalog.getType(typeId)).toMatchObject({ name: "Heroes posts", managedBy: "forum" });
    await forum().catalog.updateCampaign(env.admin, "hero", { name: before.name.replace(/ posts$/, "") });
    // A type of the types page is not the forum's to edit.
    await catalog.createCategory(env.admin, { name: "Builders", slug: "builders-own" });
    const own = await catalog.createType(env.admin, {
      name: "Own",
      slug: "own-type",
      category: "builders-own",
      minPoints: 1,
      maxPoints: 10,
    });
    expect(own.managedBy).toBeNull();
    await expect(
      catalog.updateType(env.admin, own.id, { name: "x" }, { managedBy: "forum" }),
    ).rejects.toMatchObject({ status: 409, code: "TYPE_MANAGED" });
  });

  it("gives an older forum campaign without a points campaign one on its next edit", async () => {
    forum().setPointsSink(nullPointsSink);
    const legacy = await makeCampaign(env, { slug: "legacy" });
    forum().setPointsSink(createLedgerSink(env.merit.composition.points, env.merit.core.logger));
    expect(legacy.pointsCampaignId).toBeNull();
    const edited = await forum().catalog.updateCampaign(env.admin, "legacy", { name: "Legacy, renamed" });
    expect(edited.pointsCampaignId).not.toBeNull();
    expect(await pointsCampaign("legacy")).toMatchObject({
      id: edited.pointsCampaignId,
      name: "Legacy, renamed",
      endsAt: null,
    });
    expect((await forum().catalog.getCampaign("legacy")).pointsCampaignId).toBe(edited.pointsCampaignId);
  });
});

describe("awards survive a crash or a lost answer around the ledger write", () => {
  const ledgerSink = () => createLedgerSink(env.merit.composition.points, env.merit.core.logger);
  const awardsOf = (userId: string) =>
    rows<{ source_ref: string; global_points: string }>(
      env.merit.core.db.orm,
      sql`SELECT source_ref, global_points::text FROM contributions
          WHERE user_id = ${userId} AND source = 'forum-post' AND revoked_at IS NULL`,
    );

  /** A participant with one post that matures at `maturedAt`, checked once before. */
  async function maturingPost(slug: string, day: string) {
    clock.set(`${day}T00:00:00Z`);
    await makeCampaign(env, { slug, maturationMinutes: 60, postPoints: "50" });
    const p = await verifiedParticipant(env, slug, { position: "Hero Member" });
    env.sim.addPost({ memberId: p.forumUserId, topicId: 71, text: LONG_POST });
    clock.set(`${day}T00:01:00Z`);
    await forum().tracking.checkProfile(p.profileId);
    clock.set(`${day}T01:05:00Z`);
    return p;
  }

  it("awards a post whose decision was stored but whose award never ran, on the next check, once", async () => {
    const p = await maturingPost("crash-decided", "2026-03-10");
    // Stands in for a process killed between the decision's commit and the ledger write: the post is
    // stored credited and nothing reaches the ledger.
    forum().setPointsSink({ ...ledgerSink(), award: async () => null });
    expect(await forum().tracking.checkProfile(p.profileId)).toMatchObject({ credited: 1 });
    forum().setPointsSink(ledgerSink());
    expect(await awardsOf(p.userId)).toEqual([]);

    clock.set("2026-03-10T01:10:00Z");
    await forum().tracking.checkProfile(p.profileId);
    clock.set("2026-03-10T01:15:00Z");
    await forum().tracking.checkProfile(p.profileId);
    const [post] = await forum().profiles.posts(p.actor, p.profileId);
    expect(post.status).toBe("credited");
    expect(await awardsOf(p.userId)).toEqual([
      { source_ref: `forum-post:${post.id}`, global_points: "52.5" },
    ]);
  });

  it("does not award twice when the ledger wrote the award but its answer was lost", async () => {
    const p = await maturingPost("lost-answer", "2026-03-11");
    const real = ledgerSink();
    forum().setPointsSink({
      ...real,
      award: async (input) => {
        await real.award(input);
        throw new Error("connection reset after commit");
      },
    });
    await forum().tracking.checkProfile(p.profileId);
    forum().setPointsSink(ledgerSink());

    clock.set("2026-03-11T01:10:00Z");
    await forum().tracking.checkProfile(p.profileId);
    clock.set("2026-03-11T01:15:00Z");
    await forum().tracking.checkProfile(p.profileId);
    const [post] = await forum().profiles.posts(p.actor, p.profileId);
    expect(post.status).toBe("credited");
    expect(await awardsOf(p.userId)).toEqual([
      { source_ref: `forum-post:${post.id}`, global_points: "52.5" },
    ]);
  });
});

describe("a matured post the points rules refuse", () => {
  it("stays pending with the refusal, is logged once, and is awarded once the rule allows it", async () => {
    clock.set("2026-03-14T00:00:00Z");
    await makeCampaign(env, { slug: "refused", maturationMinutes: 60, postPoints: "50" });
    const [{ type }] = await rows<{ type: string }>(
      env.merit.core.db.orm,
      sql`SELECT contribution_type_id AS type FROM forum_campaigns WHERE slug = 'refused'`,
    );
    const p = await verifiedParticipant(env, "refused", { position: "Hero Member" });
    env.sim.addPost({ memberId: p.forumUserId, topicId: 81, text: LONG_POST });
    clock.set("2026-03-14T00:01:00Z");
    await forum().tracking.checkProfile(p.profileId);
    const points = env.merit.composition.points.catalog;
    // Only the forum may change its type (an admin's edit answers 409 TYPE_MANAGED).
    await points.updateType(env.admin, type, { active: false }, { managedBy: "forum" });
    const warn = vi.spyOn(env.merit.core.logger, "warn");
    const error = vi.spyOn(env.merit.core.logger, "error");
    try {
      for (const at of ["2026-03-14T01:05:00Z", "2026-03-14T01:10:00Z", "2026-03-14T01:15:00Z"]) {
        clock.set(at);
        await forum().tracking.checkProfile(p.profileId);
        const [post] = await forum().profiles.posts(p.actor, p.profileId);
        expect(post).toMatchObject({
          status: "pending",
          reason: "POINTS_REFUSED:CONTRIBUTION_TYPE_INACTIVE",
        });
      }
      const refusals = warn.mock.calls.filter(([, msg]) => String(msg).startsWith("points refused"));
      expect(refusals).toHaveLength(1);
      expect(error).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
      error.mockRestore();
    }
    expect((await call(env.merit, "GET", "/api/contributions?campaign=refused")).json().total).toBe(0);

    await points.updateType(env.admin, type, { active: true }, { managedBy: "forum" });
    clock.set("2026-03-14T01:20:00Z");
    expect(await forum().tracking.checkProfile(p.profileId)).toMatchObject({ credited: 1 });
    const [post] = await forum().profiles.posts(p.actor, p.profileId);
    expect(post).toMatchObject({ status: "credited", reason: null, points: "52.5" });
    expect((await call(env.merit, "GET", "/api/contributions?campaign=refused")).json().total).toBe(1);
    expect((await env.merit.composition.points.ledger.verify()).differences).toBe(0);
  });
});

describe("campaign reset through the ledger", () => {
  it("resets a campaign one of whose awards an admin already revoked", async () => {
    clock.set("2026-03-12T00:00:00Z");
    await makeCampaign(env, { slug: "revoked-first", maturationMinutes: 60, postPoints: "50" });
    const p = await verifiedParticipant(env, "revoked-first", { position: "Hero Member" });
    env.sim.addPost({ memberId: p.forumUserId, topicId: 72, text: LONG_POST });
    clock.set("2026-03-12T00:01:00Z");
    await forum().tracking.checkProfile(p.profileId);
    clock.set("2026-03-12T01:05:00Z");
    expect(await forum().tracking.checkProfile(p.profileId)).toMatchObject({ credited: 1 });
    const [award] = await rows<{ id: string }>(
      env.merit.core.db.orm,
      sql`SELECT id FROM contributions WHERE user_id = ${p.userId} AND source = 'forum-post'`,
    );
    await env.merit.composition.points.contributions.revoke(env.admin, award.id, "spam posts");

    const reset = await forum().admin.reset(env.admin, "revoked-first", "revoked-first");
    expect(reset).toMatchObject({ deletedPosts: 1 });
    expect(await forum().profiles.posts(p.actor, p.profileId)).toEqual([]);
    expect((await env.merit.composition.points.ledger.verify()).differences).toBe(0);
  });
});
