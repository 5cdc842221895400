// Deleting a Merit account releases its forum claim: the forum id and name are forgotten with the
// scrape log, pending posts end as ACCOUNT_DELETED, and the forum account can be claimed again by a
// new Merit account without any post being credited twice.
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { firstRow, rows } from "../../core/db/client.ts";
import { call, STRONG_PASSWORD, signedInUser } from "../accounts/accounts.test-support.ts";
import {
  DESIGN_CODE,
  designFor,
  makeCampaign,
  makeUsers,
  memberActor,
  useForumTestEnv,
  verifiedParticipant,
} from "./forum.test-support.ts";
import * as tracking from "./forum-tracking.repo.ts";

const clock = new ManualClock("2026-05-04T10:00:00Z");
const env = useForumTestEnv(clock);

/** Scheduler rounds every 5 s for `seconds`. */
async function rounds(seconds: number) {
  for (let s = 0; s < seconds; s += 5) {
    clock.advance(5000);
    await env.merit.composition.forum.scheduler.tick("inline");
  }
}

it("forgets a deleted account's forum claim, ends its pending posts, and lets the forum account be claimed again", async () => {
  const forum = env.merit.composition.forum;
  const db = env.merit.core.db.orm;
  await makeCampaign(env, { slug: "leavers", maturationMinutes: 1, scrapeIntervalSeconds: 5 });
  const leaver = await signedInUser(env.merit, "forumleaver");
  const p = await verifiedParticipant(env, "leavers", { userId: leaver.user.id, name: "LeaverOnForum" });
  const text = "A long enough post about nodes, written while the campaign runs.";
  env.sim.addPost({ memberId: p.forumUserId, topicId: 910, text });
  await rounds(90); // found, matured and credited
  env.sim.addPost({ memberId: p.forumUserId, topicId: 911, text: `${text} Again.` });
  await rounds(15); // found, pending
  const before = await forum.profiles.posts(p.actor, p.profileId);
  expect(before.map((x) => x.status).sort()).toEqual(["credited", "pending"]);

  const gone = await call(env.merit, "DELETE", "/api/users/me", {
    token: leaver.accessToken,
    body: { password: STRONG_PASSWORD },
  });
  expect(gone.statusCode, gone.body).toBe(204);

  const profile = await firstRow<Record<string, unknown>>(
    db,
    sql`SELECT forum_user_id, forum_username, status, owner_verified_at FROM forum_profiles WHERE id = ${p.profileId}`,
  );
  expect(profile).toMatchObject({ forum_user_id: 0, status: "unverified", owner_verified_at: null });
  expect(profile?.forum_username).toMatch(/^deleted-[0-9a-f]{12}$/);
  const scrapes = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM forum_scrapes WHERE profile_id = ${p.profileId} OR forum_user_id = ${p.forumUserId}`,
  );
  expect(scrapes?.n).toBe(0);
  const posts = await rows<{ status: string; reason: string | null; decided_at: unknown }>(
    db,
    sql`SELECT status, reason, decided_at FROM forum_posts WHERE profile_id = ${p.profileId} ORDER BY topic_id`,
  );
  expect(posts.map((x) => [x.status, x.reason])).toEqual([
    ["credited", null],
    ["uncredited", "ACCOUNT_DELETED"],
  ]);
  expect(posts[1].decided_at).not.toBeNull();
  // The credited post's points stay in the ledger; its evidence (the post's address) is forgotten.
  const credited = await rows<{ evidence: unknown[]; points: number }>(
    db,
    sql`SELECT evidence, points FROM contributions WHERE user_id = ${leaver.user.id}`,
  );
  expect(credited).toEqual([{ evidence: [], points: 100 }]);

  // The forum account's owner comes back with a new Merit account and claims it again.
  const back = (await makeUsers(env.merit, ["forumreturner"])).forumreturner;
  const actor = memberActor(back);
  const claim = await forum.profiles.claim(actor, {
    site: "bitcointalk",
    forumUser: String(p.forumUserId),
    campaign: "leavers",
  });
  await forum.profiles.chooseSignature(actor, claim.id, await designFor(env));
  env.sim.updateMember(p.forumUserId, { signature: `${DESIGN_CODE} ${claim.verificationCode}` });
  expect(await forum.profiles.verify(actor, claim.id)).toEqual({ verified: true });
  env.sim.updateMember(p.forumUserId, { signature: DESIGN_CODE });
  await rounds(90);
  // Neither old post is credited a second time, to anyone.
  const forumAwards = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM contributions WHERE source = 'forum-post'`,
  );
  expect(forumAwards?.n).toBe(1);
  expect((await env.merit.composition.points.ledger.verify()).differences).toBe(0);
});

it("drops what a check that read the forum before the deletion writes after it", async () => {
  const db = env.merit.core.db.orm;
  await makeCampaign(env, { slug: "racers", maturationMinutes: 1, scrapeIntervalSeconds: 5 });
  const racer = await signedInUser(env.merit, "forumracer");
  const p = await verifiedParticipant(env, "racers", { userId: racer.user.id, name: "RacerOnForum" });
  // The check has read the profile row and is waiting for the forum when the account is deleted.
  const read = await tracking.findProfile(db, p.profileId);
  if (!read) throw new Error("no profile");
  const gone = await call(env.merit, "DELETE", "/api/users/me", {
    token: racer.accessToken,
    body: { password: STRONG_PASSWORD },
  });
  expect(gone.statusCode, gone.body).toBe(204);
  // What it then writes does not bring the forum account back.
  await tracking.insertScrape(db, {
    profileId: read.id,
    campaignId: read.campaign_id,
    siteId: read.site_id,
    forumUserId: read.forum_user_id,
    kind: "profile",
    outcome: "ok",
    httpStatus: 200,
    attempts: 1,
    pages: 1,
    signatureFound: true,
    links: null,
    missingLinks: null,
    newPosts: null,
    error: null,
    durationMs: 5,
    at: clock.now(),
  });
  await tracking.recordCheck(db, read, {
    at: clock.now(),
    outcome: "ok",
    success: true,
    signatureFound: true,
    username: "RacerOnForum",
    position: "Full Member",
  });
  expect(await env.merit.core.db.transaction((tx) => tracking.holdsForumAccount(tx, read))).toBe(false);
  const after = await firstRow<{ forum_username: string; checks: number }>(
    db,
    sql`SELECT forum_username, checks FROM forum_profiles WHERE id = ${p.profileId}`,
  );
  expect(after?.forum_username).toMatch(/^deleted-/);
  const scrapes = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM forum_scrapes WHERE forum_user_id = ${p.forumUserId}`,
  );
  expect(scrapes?.n).toBe(0);
});
