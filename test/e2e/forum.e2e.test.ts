// Joining a forum signature campaign in a real browser against the real server and a forum simulator
// of our own: check the forum account, pick a design, fail verification before the signature is in
// place (the missing links are named) and while the claim's verification code is not in it, place
// both on the forum, verify, land on the dashboard, and see a new forum post tracked there.
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import {
  type ApiCall,
  DEMO_ADMIN,
  poll,
  requestJson,
  type Session,
  screenshot,
  sidewaysOverflow,
  textOf,
  useForumSuite,
} from "./journeys.ts";

/** Seeded by the demo: the forum campaign (vtx-signature) and the member account we join with. */
const MEMBER = { login: "dave", password: "Merit-demo-2026!" };
const FORUM_MEMBER = { id: 424_242, name: "e2e_signer", position: "Sr. Member" };
const DESIGN_CODE =
  "[center][url=https://merit-e2e.example/vtx]VTX ▸ Earn with every post[/url] | [url=https://merit-e2e.example/join]Join now[/url][/center]";
const BANNER = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60"><defs><linearGradient id="g"><stop offset="0" stop-color="#6d4aff"/><stop offset="1" stop-color="#2bb5a0"/></linearGradient></defs><rect width="480" height="60" rx="8" fill="url(#g)"/><text x="20" y="38" font-family="sans-serif" font-size="22" font-weight="700" fill="#fff">VTX ▸ Earn with every post</text></svg>',
)}`;

describe.skipIf(isBrowserUnavailable)("forum campaign onboarding", () => {
  const suite = useForumSuite();
  let member: Session;
  let admin: Session;
  let asMember: ApiCall;
  let asAdmin: ApiCall;
  /** The simulator's control API (`/_sim/...`). */
  const simCall = (method: string, url: string, body: unknown) =>
    requestJson(suite.simUrl, method, url, body);

  beforeAll(async () => {
    member = await suite.login(MEMBER);
    admin = await suite.login(DEMO_ADMIN);
    asMember = suite.as(member);
    asAdmin = suite.as(admin);
    await asAdmin("POST", "/api/forum/signatures", {
      name: "E2E banner",
      code: DESIGN_CODE,
      imageUrl: BANNER,
      allowedRanks: ["Sr. Member", "Hero Member"],
    });
    await simCall("POST", "/_sim/members", {
      ...FORUM_MEMBER,
      signature: "[b]My own little signature[/b] [url=https://example.org/me]my blog[/url]",
    });
  });

  const shot = (page: Page, name: string) => screenshot(page, `forum-${name}`);

  it("sends the forum campaign's board page to the forum pages: joining for members, editing for admins", async () => {
    // Before dave joins: no points on the board, so the page offers the join steps.
    const page = await suite.openSignedIn(member);
    await page.goto(`${suite.url}/campaigns/vtx-signature`);
    const join = page.getByTestId("join-forum-campaign");
    await join.waitFor();
    await expect(join.getAttribute("href")).resolves.toBe("/forum/join?campaign=vtx-signature");
    // Without a description of its own, the page says what earns points.
    await expect(page.locator("main").textContent()).resolves.toContain("A forum signature campaign");
    await shot(page, "campaign-board-member");

    const adminPage = await suite.openSignedIn(admin);
    await adminPage.goto(`${suite.url}/campaigns/vtx-signature`);
    const edit = adminPage.getByTestId("edit-forum-campaign");
    await edit.waitFor();
    // No editor of its own: the points API refuses edits of the forum's campaign (CAMPAIGN_MANAGED).
    await expect(adminPage.getByTestId("edit-campaign").count()).resolves.toBe(0);
    await edit.click();
    await adminPage.waitForURL(/\/admin\/forum\/vtx-signature$/);
    await poll(() => adminPage.locator("h1").first().textContent()).toBe("VTX signature campaign (demo)");

    // Its posts type is scored by the campaign too (TYPE_MANAGED): no editor, no multipliers.
    await adminPage.goto(`${suite.url}/admin/types`);
    const row = adminPage.locator('[data-testid="type-row"][data-slug="forum-vtx-signature"]');
    await row.getByTestId("type-managed").waitFor();
    await expect(row.getByTestId("edit-type").count()).resolves.toBe(0);
    await expect(adminPage.getByTestId("edit-type").count()).resolves.toBeGreaterThan(0);
    await adminPage.goto(`${suite.url}/admin/multipliers`);
    await adminPage.getByTestId("managed-types-hint").waitFor();
    const options = await adminPage.getByTestId("multiplier-type").locator("option").allTextContents();
    expect(options.length).toBeGreaterThan(1);
    expect(options.filter((o) => o.includes("VTX signature campaign"))).toEqual([]);
  });

  it("checks the account, rejects verification until the signature is placed, then verifies and tracks posts", async () => {
    const page = await suite.openSignedIn(member);
    await page.goto(`${suite.url}/forum`);
    await page.getByTestId("forum-join").click();
    await page.waitForURL(/\/forum\/join/);

    // Step 1: the profile URL is looked up on the (simulated) forum.
    await page
      .getByLabel("Bitcointalk user id or profile URL")
      .fill(`${suite.simUrl}/index.php?action=profile;u=${FORUM_MEMBER.id}`);
    await page.getByTestId("forum-check").click();
    await poll(() => textOf(page, "forum-check-name")).toBe(FORUM_MEMBER.name);
    await expect(textOf(page, "forum-check-rank")).resolves.toBe("Sr. Member");
    await expect(textOf(page, "forum-check-bonus")).resolves.toBe("+2%");
    await expect(textOf(page, "forum-check-message")).resolves.toMatch(/can join/);
    await shot(page, "join-check");
    await page.getByTestId("forum-claim").click();

    // A claim whose ownership is unproven can be withdrawn (a mistyped account, say): back to step 1,
    // nothing claimed, and the same or another account can be claimed again.
    await page.getByTestId("forum-step-2").waitFor();
    const withdraw = page.getByTestId("withdraw-claim");
    await withdraw.getByRole("button", { name: "Not your account? Withdraw this claim" }).click();
    await withdraw.getByRole("button", { name: "Withdraw claim" }).click();
    await page.getByTestId("forum-step-1").waitFor();
    await expect(asMember<{ total: number }>("GET", "/api/forum/profiles/mine")).resolves.toMatchObject({
      total: 0,
    });
    await page.getByLabel("Bitcointalk user id or profile URL").fill(String(FORUM_MEMBER.id));
    await page.getByTestId("forum-check").click();
    await poll(() => textOf(page, "forum-check-name")).toBe(FORUM_MEMBER.name);
    await page.getByTestId("forum-claim").click();

    // Step 2: our design (with its image preview) is offered to Sr. Members; choosing it shows the BBCode.
    await page.getByTestId("forum-step-2").waitFor();
    const design = page.getByTestId("signature-design").filter({ hasText: "E2E banner" });
    await expect(design.locator("img").count()).resolves.toBe(1);
    await design.click();
    await poll(() => page.getByTestId("signature-code").inputValue()).toBe(DESIGN_CODE);
    // The claim's own verification code is shown beside the BBCode, and it is the one the API holds.
    const code = await textOf(page, "verification-code");
    expect(code).toMatch(/^merit-[0-9A-HJKMNP-TV-Z]{8}$/);
    const claimed = await asMember<{ items: Array<{ verificationCode: string }> }>(
      "GET",
      "/api/forum/profiles/mine",
    );
    expect(claimed.items[0].verificationCode).toBe(code);
    await shot(page, "join-signature");
    await page.getByTestId("signature-placed").click();

    // Step 3: the forum signature is still the old one, so verification names the missing links.
    await page.getByTestId("forum-verify").click();
    await page.getByTestId("verify-mismatch").waitFor();
    const missing = await textOf(page, "verify-missing");
    expect(missing).toContain("https://merit-e2e.example/vtx");
    expect(missing).toContain("https://merit-e2e.example/join");
    await expect(textOf(page, "verify-unexpected")).resolves.toContain("https://example.org/me");
    await expect(textOf(page, "verify-code-missing")).resolves.toMatch(/verification code/);
    await expect(textOf(page, "forum-verify")).resolves.toBe("Retry verification");
    await expect(textOf(page, "verification-code")).resolves.toBe(code);
    await shot(page, "join-mismatch");

    // The participant pastes the BBCode alone: the design is what everyone wears, so the code is asked for.
    await simCall("PATCH", `/_sim/members/${FORUM_MEMBER.id}`, { signature: DESIGN_CODE });
    await page.getByTestId("forum-verify").click();
    await poll(() => textOf(page, "verify-error")).toContain(`not your verification code ${code}`);
    await expect(textOf(page, "verify-error")).resolves.toMatch(/anywhere in your Bitcointalk signature/);
    await shot(page, "join-code-missing");

    // With the code in the signature too, verification succeeds.
    await simCall("PATCH", `/_sim/members/${FORUM_MEMBER.id}`, { signature: `${DESIGN_CODE}\n${code}` });
    await page.getByTestId("forum-verify").click();
    await page.getByTestId("forum-join-done").waitFor();
    await shot(page, "join-done");

    await page.getByTestId("forum-go-dashboard").click();
    await page.waitForURL(/\/forum\/dashboard/);
    await poll(() => textOf(page, "forum-profile-name")).toBe(FORUM_MEMBER.name);
    await expect(textOf(page, "forum-profile-status")).resolves.toBe("Verified");

    // A new forum post is found on the next check of the profile (an admin's "check now" instead of
    // waiting for the scheduler's next round for idle profiles) and shows as pending.
    await simCall("POST", "/_sim/posts", {
      memberId: FORUM_MEMBER.id,
      topicId: 5_123_456,
      boardName: "Bitcoin Discussion",
      text: "A thoughtful post that is long enough to count towards the campaign, well over twenty characters.",
    });
    const mine = await asMember<{ items: Array<{ id: string }> }>("GET", "/api/forum/profiles/mine");
    await asAdmin("POST", `/api/admin/forum/profiles/${mine.items[0].id}/rescrape`);
    await page.reload();
    await poll(() => page.locator('[data-testid="forum-post-row"][data-status="pending"]').count()).toBe(1);
    await expect(textOf(page, "forum-posts")).resolves.toContain("Bitcoin Discussion");
    // The daily chart (the profile's daily series) counts it on today's bar, the last one; its days
    // start at the campaign's first day (the demo's started 6 days before its seed), not 30 days back.
    const { startsAt } = await asMember<{ startsAt: string }>("GET", "/api/forum/campaigns/vtx-signature");
    const dayOf = (iso: string) => Math.floor(Date.parse(iso) / 86_400_000);
    const days = dayOf(new Date().toISOString()) - dayOf(startsAt) + 1;
    await poll(() => textOf(page, "daily-chart")).toContain(
      `Last ${days} days: 1 post found · 0 credited · 1 maturing · 0 uncredited`,
    );
    await expect(page.getByTestId("daily-bar").count()).resolves.toBe(days);
    await expect(page.getByTestId("daily-bar").last().getAttribute("data-day")).resolves.toBe(
      new Date().toISOString().slice(0, 10),
    );
    await shot(page, "dashboard");

    // The campaign page lists the new participant.
    await page.goto(`${suite.url}/forum`);
    const row = page.locator(`[data-testid="forum-standing-row"][data-username="${MEMBER.login}"]`);
    await poll(() => row.count()).toBe(1);
    // Named by display name (the demo's "Dave"), as on the leaderboard, not by username.
    await expect(row.getByRole("link").textContent()).resolves.toBe("Dave");
    await expect(page.getByTestId("forum-dashboard-link").isVisible()).resolves.toBe(true);
    await shot(page, "campaign");
  }, 180_000);

  it("shows admins the switched-off signature designs and lets them re-activate one", async () => {
    const retired = await asAdmin<{ id: string }>("POST", "/api/forum/signatures", {
      name: "Retired banner",
      code: DESIGN_CODE,
      allowedRanks: ["Sr. Member"],
      active: false,
    });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/forum`);
    const card = page.locator(`[data-testid="admin-signature"]`).filter({ hasText: "Retired banner" });
    await expect(card.getAttribute("data-active")).resolves.toBe("false");
    await expect(card.textContent()).resolves.toContain("inactive");
    await card.getByRole("button", { name: "Re-activate" }).click();
    await poll(() => card.getAttribute("data-active")).toBe("true");
    await expect(card.getByRole("button", { name: "Switch off" }).isVisible()).resolves.toBe(true);
    // Offered to members again.
    const offered = await suite.api<{ items: Array<{ id: string }> }>("GET", "/api/forum/signatures");
    expect(offered.items.map((d) => d.id)).toContain(retired.id);
  });

  it("lays the forum pages out on a 390px phone", async () => {
    const page = await suite.openSignedIn(member, { viewport: { width: 390, height: 844 } });
    for (const [route, name, ready] of [
      ["/forum", "campaign-mobile", "forum-standings"],
      ["/forum/dashboard", "dashboard-mobile", "forum-posts"],
      ["/forum/join", "join-mobile", "forum-join-done"],
    ] as const) {
      await page.goto(`${suite.url}${route}`);
      await page.getByTestId(ready).waitFor();
      // Nothing but tables may scroll sideways.
      expect(await sidewaysOverflow(page), route).toBeLessThanOrEqual(0);
      await shot(page, name);
    }
  });
});
