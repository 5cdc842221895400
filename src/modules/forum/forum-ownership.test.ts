// Forum account ownership is proven by the claim's own verification code on the forum profile, not
// by the campaign design every participant wears: squatters cannot lock out the owner, and nobody can
// take over the account of a member already wearing the design.
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { firstRow, rows } from "../../core/db/client.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { readScraperSettings } from "./forum.settings.ts";
import {
  DESIGN_CODE,
  designFor,
  LONG_POST,
  MINUTE,
  makeCampaign,
  memberActor,
  useForumTestEnv,
} from "./forum.test-support.ts";
import { createProfilesService } from "./forum-profiles.service.ts";
import { createBitcointalkSite } from "./scraper/bitcointalk-site.ts";
import { createForumClient } from "./scraper/forum-client.ts";

const env = useForumTestEnv(new ManualClock("2026-03-02T12:00:00Z"));
type User = Awaited<ReturnType<typeof signedInUser>>;
let owner: User;
let squatter: User;
let other: User;
let admin: User;
let design: string;
const SLUG = "own";

beforeAll(async () => {
  owner = await signedInUser(env.merit, "owner");
  squatter = await signedInUser(env.merit, "squatter");
  other = await signedInUser(env.merit, "other");
  admin = await signedInUser(env.merit, "ownadmin", ["admin", "member"]);
  await makeCampaign(env, { slug: SLUG, maturationMinutes: 1 });
  design = await designFor(env);
});

const claim = (u: User, forumUser: number) =>
  call(env.merit, "POST", "/api/forum/profiles", {
    token: u.accessToken,
    body: { site: "bitcointalk", forumUser: String(forumUser), campaign: SLUG },
  });
const choose = (u: User, id: string) =>
  call(env.merit, "POST", `/api/forum/profiles/${id}/signature`, {
    token: u.accessToken,
    body: { signatureId: design },
  });
const verify = (u: User, id: string) =>
  call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, { token: u.accessToken });
const check = (u: User, forumUser: number) =>
  call(env.merit, "POST", "/api/forum/profiles/check", {
    token: u.accessToken,
    body: { site: "bitcointalk", forumUser: String(forumUser) },
  });
const mine = async (u: User) =>
  (await call(env.merit, "GET", "/api/forum/profiles/mine", { token: u.accessToken })).json().items as Array<{
    id: string;
    forumUserId: number;
    status: string;
    ownerVerifiedAt: string | null;
    verificationCode: string;
  }>;
const claimsOf = (forumUserId: number) =>
  rows<{ user_id: string; status: string; owner_verified_at: Date | null }>(
    env.merit.core.db.orm,
    sql`SELECT user_id, status, owner_verified_at FROM forum_profiles
        WHERE site_id = 'bitcointalk' AND forum_user_id = ${forumUserId} ORDER BY created_at`,
  );

describe("forum account ownership", () => {
  it("squatting: an earlier claim by someone else does not lock the real owner out", async () => {
    env.sim.addMember({ id: 201, name: "Real Owner", position: "Full Member", signature: null });
    const squat = await claim(squatter, 201);
    expect(squat.statusCode).toBe(201);
    expect((await choose(squatter, squat.json().id)).statusCode).toBe(200);

    const mineClaim = await claim(owner, 201);
    expect(mineClaim.statusCode).toBe(201);
    expect(mineClaim.json().verificationCode).not.toBe(squat.json().verificationCode);
    const id = mineClaim.json().id as string;
    expect((await choose(owner, id)).statusCode).toBe(200);
    env.sim.updateMember(201, { signature: `${DESIGN_CODE}\n${mineClaim.json().verificationCode}` });
    // The squatter cannot verify: the code on the forum profile is the owner's, not theirs.
    const theirs = await verify(squatter, squat.json().id);
    expect(theirs.statusCode).toBe(422);
    expect(theirs.json().error.code).toBe("VERIFICATION_CODE_NOT_FOUND");
    expect(await claimsOf(201)).toHaveLength(2);

    const ok = await verify(owner, id);
    expect(ok.statusCode).toBe(200);
    // The squatter's claim is gone with its verify attempt detached; the account is now taken.
    expect(await claimsOf(201)).toEqual([
      expect.objectContaining({ user_id: owner.user.id, status: "verified" }),
    ]);
    expect(await mine(squatter)).toEqual([]);
    expect((await verify(squatter, squat.json().id)).statusCode).toBe(404);
    expect((await check(squatter, 201)).json()).toMatchObject({ claimed: true, claimedByMe: false });
    expect((await check(owner, 201)).json()).toMatchObject({ claimed: true, claimedByMe: true });
    const again = await claim(squatter, 201);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe("ALREADY_CLAIMED");
    // The squatter is free to claim an account of their own.
    env.sim.addMember({ id: 202, name: "Squatter Self", position: "Member", signature: null });
    expect((await claim(squatter, 202)).statusCode).toBe(201);
  });

  it("hijack: wearing the campaign design is not enough, the claimant's code must be there too", async () => {
    // 203 already wears the design (copied from the campaign thread) and posts; someone else claims it.
    env.sim.addMember({ id: 203, name: "Design Wearer", position: "Sr. Member", signature: DESIGN_CODE });
    env.sim.addPost({ memberId: 203, topicId: 950, text: LONG_POST });
    const hijack = await claim(other, 203);
    expect(hijack.statusCode).toBe(201);
    const id = hijack.json().id as string;
    expect((await choose(other, id)).statusCode).toBe(200);
    const r = await verify(other, id);
    expect(r.statusCode).toBe(422);
    expect(r.json().error.code).toBe("VERIFICATION_CODE_NOT_FOUND");
    expect(r.json().error.message).toContain(hijack.json().verificationCode);
    expect(r.json().error.message).toMatch(/signature/);

    // Nothing verified, nothing tracked, nothing credited, not on the standings.
    expect(await claimsOf(203)).toEqual([
      expect.objectContaining({ user_id: other.user.id, status: "unverified", owner_verified_at: null }),
    ]);
    expect((await check(admin, 203)).json()).toMatchObject({ claimed: false });
    const rescrape = await call(env.merit, "POST", `/api/admin/forum/profiles/${id}/rescrape`, {
      token: admin.accessToken,
    });
    expect(rescrape.json()).toEqual({ profileId: id, skipped: "NOT_VERIFIED" });
    env.clock.advance(2 * MINUTE);
    const round = await env.merit.composition.forum.scheduler.runRoundNow(SLUG);
    expect(round.plan.selected).not.toContain(id);
    const posts = await firstRow<{ n: number }>(
      env.merit.core.db.orm,
      sql`SELECT count(*)::int AS n FROM forum_posts WHERE profile_id = ${id}`,
    );
    expect(posts?.n).toBe(0);
    const standings = await call(env.merit, "GET", `/api/forum/campaigns/${SLUG}/standings`);
    expect(standings.json().items.map((s: { forumUsername: string }) => s.forumUsername)).not.toContain(
      "Design Wearer",
    );
  });

  it("the code is needed once: a new design is verified on its links alone, and the account stays held", async () => {
    const [p] = await mine(owner);
    expect(p).toMatchObject({ forumUserId: 201, status: "verified" });
    expect(p.ownerVerifiedAt).not.toBeNull();
    const NEW_DESIGN = "[url=https://merit.example/season-2]Merit season 2[/url]";
    const next = await env.merit.composition.forum.catalog.createSignature(env.admin, {
      name: "Season 2",
      code: NEW_DESIGN,
      allowedRanks: ["Full Member"],
    });
    const chosen = await call(env.merit, "POST", `/api/forum/profiles/${p.id}/signature`, {
      token: owner.accessToken,
      body: { signatureId: next.id },
    });
    expect(chosen.statusCode).toBe(200);
    // A new design sends the profile back to unverified; no one may claim the account meanwhile.
    expect((await mine(owner))[0].status).toBe("unverified");
    env.sim.updateMember(201, { signature: NEW_DESIGN });
    expect((await claim(other, 201)).statusCode).toBe(409);
    expect((await check(other, 201)).json()).toMatchObject({ claimed: true });
    const r = await verify(owner, p.id);
    expect(r.statusCode).toBe(200);
  });

  it("lets exactly one of two simultaneous verifications win", async () => {
    const a = await signedInUser(env.merit, "racer-a");
    const b = await signedInUser(env.merit, "racer-b");
    env.sim.addMember({ id: 204, name: "Contested", position: "Full Member", signature: null });
    const ca = (await claim(a, 204)).json();
    const cb = (await claim(b, 204)).json();
    await choose(a, ca.id);
    await choose(b, cb.id);
    // Both codes on the profile: only the database can break the tie.
    env.sim.updateMember(204, { signature: `${DESIGN_CODE} ${ca.verificationCode} ${cb.verificationCode}` });
    // A profiles service whose forum reads wait for each other, so both verifications have read
    // their claim and the forum before either writes (over HTTP one may finish before the other starts).
    const { db, logger } = env.merit.core;
    const client = createForumClient({
      db,
      clock: env.clock,
      logger,
      settings: () => readScraperSettings(env.merit.composition.settings),
    });
    const real = createBitcointalkSite(client, () => env.simUrl, "https://bitcointalk.org");
    let arrived = 0;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const site = () => ({
      ...real,
      async fetchProfile(id: number, signal?: AbortSignal) {
        const page = await real.fetchProfile(id, signal);
        arrived += 1;
        if (arrived === 2) release();
        await gate;
        return page;
      },
    });
    const profiles = createProfilesService({ db, clock: env.clock, site });
    const results = await Promise.allSettled([
      profiles.verify(memberActor(a.user.id), ca.id),
      profiles.verify(memberActor(b.user.id), cb.id),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const lost = results.find((r) => r.status === "rejected");
    expect(lost?.reason).toMatchObject({ status: 409, code: "ALREADY_CLAIMED" });
    const left = await claimsOf(204);
    expect(left).toHaveLength(1);
    expect(left[0].status).toBe("verified");
  });

  it("keeps the code to its claimant and one proven claim per forum account in the database", async () => {
    env.sim.addMember({ id: 205, name: "Private", position: "Member", signature: null });
    const c = (await claim(other, 205)).json();
    const adminList = await call(env.merit, "GET", `/api/admin/forum/campaigns/${SLUG}/profiles`, {
      token: admin.accessToken,
    });
    expect(adminList.body).not.toContain(c.verificationCode);
    const own = (await mine(other)).find((p) => p.id === c.id);
    expect(own?.verificationCode).toBe(c.verificationCode);
    // A second proven claim of 201 is refused by the partial unique index, whatever the code path.
    const [ownerProfile] = await mine(owner);
    const squatterProfile = (await mine(squatter))[0];
    await expect(
      env.merit.core.db.orm.execute(
        sql`UPDATE forum_profiles SET forum_user_id = 201, owner_verified_at = now(), status = 'verified'
            WHERE id = ${squatterProfile.id}`,
      ),
    ).rejects.toThrow();
    // Status verified without a proven owner is refused too.
    await expect(
      env.merit.core.db.orm.execute(sql`UPDATE forum_profiles SET status = 'verified' WHERE id = ${c.id}`),
    ).rejects.toThrow();
    expect(ownerProfile.status).toBe("verified");
  });

  it("lets a claimant withdraw an unproven claim (a wrong account) and claim another, never a verified or someone else's", async () => {
    const wrong = await signedInUser(env.merit, "wrongclaim");
    const withdraw = (u: User, id: string) =>
      call(env.merit, "DELETE", `/api/forum/profiles/${id}`, { token: u.accessToken });
    env.sim.addMember({ id: 206, name: "Not Me", position: "Member", signature: null });
    env.sim.addMember({ id: 207, name: "Really Me", position: "Member", signature: null });
    const c = (await claim(wrong, 206)).json();
    expect((await choose(wrong, c.id)).statusCode).toBe(200);
    expect((await verify(wrong, c.id)).json().error.code).toBe("SIGNATURE_NOT_FOUND");
    // One profile per site: the wrong claim blocks the right one until it is withdrawn.
    expect((await claim(wrong, 207)).json().error.code).toBe("ALREADY_CLAIMED");
    expect((await withdraw(other, c.id)).statusCode).toBe(403);
    expect(await claimsOf(206)).toHaveLength(1);

    expect((await withdraw(wrong, c.id)).statusCode).toBe(204);
    expect(await claimsOf(206)).toEqual([]);
    expect((await withdraw(wrong, c.id)).statusCode).toBe(404);
    const right = await claim(wrong, 207);
    expect(right.statusCode).toBe(201);
    const id = right.json().id as string;
    expect((await choose(wrong, id)).statusCode).toBe(200);
    env.sim.updateMember(207, { signature: `${DESIGN_CODE}\n${right.json().verificationCode}` });
    expect((await verify(wrong, id)).statusCode).toBe(200);
    const refused = await withdraw(wrong, id);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.code).toBe("CLAIM_VERIFIED");
    expect(await claimsOf(207)).toEqual([
      expect.objectContaining({ user_id: wrong.user.id, status: "verified" }),
    ]);
  });
});
