import { beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { call, signedInUser } from "../accounts/accounts.test-support.ts";
import { DESIGN_CODE, designFor, makeCampaign, useForumTestEnv } from "./forum.test-support.ts";

const env = useForumTestEnv(new ManualClock("2026-03-02T12:00:00Z"));
let alice: Awaited<ReturnType<typeof signedInUser>>;
let bob: Awaited<ReturnType<typeof signedInUser>>;
let adminUser: Awaited<ReturnType<typeof signedInUser>>;
let design: string;

beforeAll(async () => {
  alice = await signedInUser(env.merit, "alice");
  bob = await signedInUser(env.merit, "bob");
  adminUser = await signedInUser(env.merit, "boss", ["admin", "member"]);
  await makeCampaign(env, { slug: "sig" });
  design = await designFor(env);
  env.sim.addMember({ id: 101, name: "Satoshi Fan", position: "Sr. Member", signature: null });
  env.sim.addMember({ id: 102, name: "Newcomer", position: "Newbie" });
  env.sim.addMember({ id: 103, name: "Other One", position: "Member" });
});

describe("forum profiles: check, claim, choose signature, verify", () => {
  it("checks a forum account by id or profile URL and tells rank admission", async () => {
    const byUrl = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: alice.accessToken,
      body: { site: "bitcointalk", forumUser: "https://bitcointalk.org/index.php?action=profile;u=101" },
    });
    expect(byUrl.statusCode).toBe(200);
    expect(byUrl.json()).toMatchObject({
      found: true,
      forumUserId: 101,
      username: "Satoshi Fan",
      position: "Sr. Member",
      allowed: true,
      claimed: false,
    });
    // The site may be left out (documented optional, bitcointalk by default).
    const newbie = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: alice.accessToken,
      body: { forumUser: "102" },
    });
    expect(newbie.json()).toMatchObject({ found: true, position: "Newbie", allowed: false });
    const missing = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: alice.accessToken,
      body: { site: "bitcointalk", forumUser: "999" },
    });
    expect(missing.json()).toMatchObject({ found: false, forumUserId: 999 });
    const bad = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: alice.accessToken,
      body: { site: "bitcointalk", forumUser: "hello" },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.code).toBe("INVALID_FORUM_USER");
  });

  it("claims once per Merit user and site, unverified claims reserving nothing; refuses disallowed ranks and unknown users", async () => {
    const post = (token: string, forumUser: string) =>
      call(env.merit, "POST", "/api/forum/profiles", {
        token,
        body: { site: "bitcointalk", forumUser, campaign: "sig" },
      });
    expect((await post(alice.accessToken, "102")).json().error.code).toBe("RANK_NOT_ALLOWED");
    expect((await post(alice.accessToken, "102")).statusCode).toBe(403);
    const unknown = await post(alice.accessToken, "777");
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe("FORUM_USER_NOT_FOUND");
    const created = await post(alice.accessToken, "101");
    expect(created.statusCode).toBe(201);
    expect(created.json().verificationCode).toMatch(/^merit-[0-9A-HJKMNP-TV-Z]{8}$/);
    const again = await post(alice.accessToken, "101");
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(created.json());
    // Alice has not proven she owns 101: Bob may claim it too, with a code of his own.
    const rival = await post(bob.accessToken, "101");
    expect(rival.statusCode).toBe(201);
    expect(rival.json().verificationCode).not.toBe(created.json().verificationCode);
    const second = await post(alice.accessToken, "103");
    expect(second.statusCode).toBe(409);
    expect(second.json().error.code).toBe("ALREADY_CLAIMED");
    const check = (token: string) =>
      call(env.merit, "POST", "/api/forum/profiles/check", {
        token,
        body: { site: "bitcointalk", forumUser: "101" },
      });
    expect((await check(bob.accessToken)).json()).toMatchObject({ claimed: false, claimedByMe: true });
    expect((await check(adminUser.accessToken)).json()).toMatchObject({ claimed: false, claimedByMe: false });
  });

  it("lets only the owner choose a design and verifies every link, naming the missing ones", async () => {
    const mine = await call(env.merit, "GET", "/api/forum/profiles/mine", { token: alice.accessToken });
    const id = mine.json().items[0].id as string;
    const theft = await call(env.merit, "POST", `/api/forum/profiles/${id}/signature`, {
      token: bob.accessToken,
      body: { signatureId: design },
    });
    expect(theft.statusCode).toBe(403);
    expect(theft.json().error.code).toBe("NOT_PROFILE_OWNER");
    const early = await call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, {
      token: alice.accessToken,
    });
    expect(early.json().error.code).toBe("SIGNATURE_NOT_CHOSEN");
    const chosen = await call(env.merit, "POST", `/api/forum/profiles/${id}/signature`, {
      token: alice.accessToken,
      body: { signatureId: design },
    });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json().code).toBe(DESIGN_CODE);

    env.sim.updateMember(101, {
      signature: "[url=https://merit.example/campaign]Merit[/url] [url=https://elsewhere.example/]x[/url]",
    });
    const partial = await call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, {
      token: alice.accessToken,
    });
    expect(partial.statusCode).toBe(422);
    expect(partial.json().error.code).toBe("SIGNATURE_NOT_FOUND");
    expect(partial.json().error.details.missing).toEqual(["https://merit.example/join"]);
    expect(partial.json().error.details.unexpected).toEqual(["https://elsewhere.example/"]);
    expect(
      (await call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, { token: bob.accessToken }))
        .statusCode,
    ).toBe(403);

    expect(partial.json().error.details.verificationCodeFound).toBe(false);

    // The design alone is what every participant wears: it proves nothing about who owns 101.
    env.sim.updateMember(101, { signature: DESIGN_CODE });
    const noCode = await call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, {
      token: alice.accessToken,
    });
    expect(noCode.statusCode).toBe(422);
    expect(noCode.json().error.code).toBe("VERIFICATION_CODE_NOT_FOUND");
    const code = mine.json().items[0].verificationCode as string;
    expect(noCode.json().error.message).toContain(code);
    expect(noCode.json().error.message).toMatch(/signature/);

    env.sim.updateMember(101, { signature: `${DESIGN_CODE} ${code.toLowerCase()}` });
    const ok = await call(env.merit, "POST", `/api/forum/profiles/${id}/verify`, {
      token: alice.accessToken,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ verified: true });
    // Bob's unverified claim of 101 went with Alice's proof; 101 now shows as claimed.
    expect(
      (await call(env.merit, "GET", "/api/forum/profiles/mine", { token: bob.accessToken })).json(),
    ).toEqual({
      items: [],
      total: 0,
    });
    const seen = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: bob.accessToken,
      body: { site: "bitcointalk", forumUser: "101" },
    });
    expect(seen.json()).toMatchObject({ claimed: true, claimedByMe: false });
    const after = await call(env.merit, "GET", "/api/forum/profiles/mine", { token: alice.accessToken });
    expect(after.json().items[0]).toMatchObject({
      status: "verified",
      username: "Satoshi Fan",
      campaign: "sig",
      signatureFound: true,
    });
    const posts = await call(env.merit, "GET", `/api/forum/profiles/${id}/posts`, { token: bob.accessToken });
    expect(posts.statusCode).toBe(403);
  });

  it("reports the forum being down as 503 and stores every scrape for audit", async () => {
    env.sim.setFault("cloudflare", 10);
    const r = await call(env.merit, "POST", "/api/forum/profiles/check", {
      token: alice.accessToken,
      body: { site: "bitcointalk", forumUser: "103" },
    });
    expect(r.statusCode).toBe(503);
    expect(r.json().error.code).toBe("FORUM_UNAVAILABLE");
    env.sim.setFault("none");
    const id = (await call(env.merit, "GET", "/api/forum/profiles/mine", { token: alice.accessToken })).json()
      .items[0].id;
    const scrapes = await call(env.merit, "GET", `/api/admin/forum/profiles/${id}/scrapes`, {
      token: adminUser.accessToken,
    });
    expect(scrapes.statusCode).toBe(200);
    const kinds = scrapes
      .json()
      .items.map((s: { kind: string; outcome: string; signatureFound: boolean | null }) => [
        s.kind,
        s.outcome,
        s.signatureFound,
      ]);
    expect(kinds).toEqual([
      ["verify", "ok", true],
      ["verify", "ok", true],
      ["verify", "ok", false],
    ]);
    expect(
      (await call(env.merit, "GET", `/api/admin/forum/profiles/${id}/scrapes`, { token: alice.accessToken }))
        .statusCode,
    ).toBe(403);
  });

  it("serves sites, ranks with defaults and admin edits, signatures by rank", async () => {
    const ranks = (await call(env.merit, "GET", "/api/forum/ranks?site=bitcointalk")).json().items as Array<{
      id: string;
      name: string;
      bonusPercent: string;
      allowed: boolean;
    }>;
    expect(ranks.map((r) => [r.name, r.allowed, r.bonusPercent])).toEqual(
      expect.arrayContaining([
        ["Newbie", false, "0"],
        ["Member", true, "0"],
        ["Full Member", true, "1"],
        ["Sr. Member", true, "2"],
        ["Hero Member", true, "5"],
        ["Legendary", true, "5"],
      ]),
    );
    const jr = ranks.find((r) => r.name === "Jr. Member")!;
    expect(
      (
        await call(env.merit, "PATCH", `/api/forum/ranks/${jr.id}`, {
          token: alice.accessToken,
          body: { allowed: true },
        })
      ).statusCode,
    ).toBe(403);
    const patched = await call(env.merit, "PATCH", `/api/forum/ranks/${jr.id}`, {
      token: adminUser.accessToken,
      body: { allowed: true, bonusPercent: "0.5" },
    });
    expect(patched.json()).toMatchObject({ allowed: true, bonusPercent: "0.5" });
    const sigs = await call(env.merit, "GET", "/api/forum/signatures?site=bitcointalk&rank=Newbie");
    expect(sigs.json().total).toBe(0);
    expect((await call(env.merit, "GET", "/api/forum/signatures?rank=sr.%20member")).json().total).toBe(1);
    // A forum campaign's window follows the points campaigns' rules: same dates, same error code.
    const window = (startsAt: string, endsAt: string) =>
      call(env.merit, "POST", "/api/forum/campaigns", {
        token: adminUser.accessToken,
        body: { slug: `w-${startsAt.slice(11, 13)}`, name: "Window", startsAt, endsAt },
      });
    const empty = await window("2026-06-01T10:00:00Z", "2026-06-01T10:00:00Z");
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error).toMatchObject({
      code: "INVALID_CAMPAIGN_WINDOW",
      details: { field: "endsAt" },
    });
    const zoned = await window("2026-06-01T11:00:00+0100", "2026-07-01T00:00:00Z");
    expect(zoned.statusCode, zoned.body).toBe(201);
    expect(zoned.json().startsAt).toBe("2026-06-01T10:00:00.000Z");
    // A misspelt site is a 404 naming the filter, not an empty list of designs.
    const noSite = await call(env.merit, "GET", "/api/forum/signatures?site=bitcointolk");
    expect(noSite.statusCode).toBe(404);
    expect(noSite.json().error).toMatchObject({ code: "FORUM_SITE_NOT_FOUND", details: { field: "site" } });
    expect((await call(env.merit, "GET", "/api/forum/sites")).json().items[0]).toMatchObject({
      id: "bitcointalk",
    });
    const noLinks = await call(env.merit, "POST", "/api/forum/signatures", {
      token: adminUser.accessToken,
      body: { name: "Plain", code: "just text", allowedRanks: ["Member"] },
    });
    expect(noLinks.statusCode).toBe(422);
    expect(
      (await call(env.merit, "DELETE", `/api/forum/signatures/${design}`, { token: adminUser.accessToken }))
        .statusCode,
    ).toBe(409);
  });
});
