// Joining a forum signature campaign in a real browser against the real server and a forum simulator
// of our own: check the forum account, pick a design, fail verification before the signature is in
// place (the missing links are named), place it on the forum, verify, land on the dashboard, and see
// a new forum post tracked there.
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createForumSim, type ForumSim } from "../../src/modules/forum/sim/forum-sim.server.ts";
import { isBrowserUnavailable, launchBrowser, newContext } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

const poll = <T>(fn: () => T | Promise<T>, timeout = 15_000) => expect.poll(fn, { timeout, interval: 200 });

const screenshotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.cache/screenshots");

/** Seeded by the demo: the forum campaign (vtx-signature) and the member account we join with. */
const MEMBER = { login: "dave", password: "Merit-demo-2026!" };
const FORUM_MEMBER = { id: 424_242, name: "e2e_signer", position: "Sr. Member" };
const DESIGN_CODE =
  "[center][url=https://merit-e2e.example/vtx]VTX ▸ Earn with every post[/url] | [url=https://merit-e2e.example/join]Join now[/url][/center]";
const BANNER = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="480" height="60"><defs><linearGradient id="g"><stop offset="0" stop-color="#6d4aff"/><stop offset="1" stop-color="#2bb5a0"/></linearGradient></defs><rect width="480" height="60" rx="8" fill="url(#g)"/><text x="20" y="38" font-family="sans-serif" font-size="22" font-weight="700" fill="#fff">VTX ▸ Earn with every post</text></svg>',
)}`;

interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string; roles: string[] };
}

describe.skipIf(isBrowserUnavailable)("forum campaign onboarding", () => {
  let sim: ForumSim;
  let simUrl: string;
  let server: TestServer;
  let browser: Browser;
  let member: Session;
  let admin: Session;
  let context: BrowserContext | undefined;

  async function call<T>(
    base: string,
    method: string,
    url: string,
    body?: unknown,
    token?: string,
  ): Promise<T> {
    const response = await fetch(`${base}${url}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} -> ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const login = (who: { login: string; password: string }) =>
    call<Session>(server.url, "POST", "/api/auth/login", who);

  beforeAll(async () => {
    sim = createForumSim();
    simUrl = (await sim.listen(0, "127.0.0.1")).url.replace(/\/$/, "");
    [server, browser] = await Promise.all([startTestServer({ BITCOINTALK_URL: simUrl }), launchBrowser()]);
    await mkdir(screenshotDir, { recursive: true });
    member = await login(MEMBER);
    admin = await login({ login: "admin", password: "admin" });
    await call(
      server.url,
      "POST",
      "/api/forum/signatures",
      {
        name: "E2E banner",
        code: DESIGN_CODE,
        imageUrl: BANNER,
        allowedRanks: ["Sr. Member", "Hero Member"],
      },
      admin.accessToken,
    );
    await call(simUrl, "POST", "/_sim/members", {
      ...FORUM_MEMBER,
      signature: "[b]My own little signature[/b] [url=https://example.org/me]my blog[/url]",
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await sim?.close();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** A page signed in as the member: the session store reads its tokens from localStorage at start. */
  async function openSignedIn(options: Parameters<typeof newContext>[1] = {}, who = member): Promise<Page> {
    context = await newContext(browser, options);
    await context.addInitScript((value) => localStorage.setItem("merit.session", value), JSON.stringify(who));
    return context.newPage();
  }

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(screenshotDir, `forum-${name}.png`), fullPage: true });
  const text = async (page: Page, testId: string) =>
    ((await page.getByTestId(testId).textContent()) ?? "").replace(/\s+/g, " ").trim();

  it("checks the account, rejects verification until the signature is placed, then verifies and tracks posts", async () => {
    const page = await openSignedIn();
    await page.goto(`${server.url}/forum`);
    await page.getByTestId("forum-join").click();
    await page.waitForURL(/\/forum\/join/);

    // Step 1: the profile URL is looked up on the (simulated) forum.
    await page
      .getByLabel("Bitcointalk user id or profile URL")
      .fill(`${simUrl}/index.php?action=profile;u=${FORUM_MEMBER.id}`);
    await page.getByTestId("forum-check").click();
    await poll(() => text(page, "forum-check-name")).toBe(FORUM_MEMBER.name);
    await expect(text(page, "forum-check-rank")).resolves.toBe("Sr. Member");
    await expect(text(page, "forum-check-bonus")).resolves.toBe("+2%");
    await expect(text(page, "forum-check-message")).resolves.toMatch(/can join/);
    await shot(page, "join-check");
    await page.getByTestId("forum-claim").click();

    // Step 2: our design (with its image preview) is offered to Sr. Members; choosing it shows the BBCode.
    await page.getByTestId("forum-step-2").waitFor();
    const design = page.getByTestId("signature-design").filter({ hasText: "E2E banner" });
    await expect(design.locator("img").count()).resolves.toBe(1);
    await design.click();
    await poll(() => page.getByTestId("signature-code").inputValue()).toBe(DESIGN_CODE);
    await shot(page, "join-signature");
    await page.getByTestId("signature-placed").click();

    // Step 3: the forum signature is still the old one, so verification names the missing links.
    await page.getByTestId("forum-verify").click();
    await page.getByTestId("verify-mismatch").waitFor();
    const missing = await text(page, "verify-missing");
    expect(missing).toContain("https://merit-e2e.example/vtx");
    expect(missing).toContain("https://merit-e2e.example/join");
    await expect(text(page, "verify-unexpected")).resolves.toContain("https://example.org/me");
    await expect(text(page, "forum-verify")).resolves.toBe("Retry verification");
    await shot(page, "join-mismatch");

    // The participant pastes the BBCode into the forum profile, then retries.
    await call(simUrl, "PATCH", `/_sim/members/${FORUM_MEMBER.id}`, { signature: DESIGN_CODE });
    await page.getByTestId("forum-verify").click();
    await page.getByTestId("forum-join-done").waitFor();
    await shot(page, "join-done");

    await page.getByTestId("forum-go-dashboard").click();
    await page.waitForURL(/\/forum\/dashboard/);
    await poll(() => text(page, "forum-profile-name")).toBe(FORUM_MEMBER.name);
    await expect(text(page, "forum-profile-status")).resolves.toBe("verified");

    // A new forum post is found on the next check of the profile (an admin's "check now" instead of
    // waiting for the scheduler's next round for idle profiles) and shows as pending.
    await call(simUrl, "POST", "/_sim/posts", {
      memberId: FORUM_MEMBER.id,
      topicId: 5_123_456,
      boardName: "Bitcoin Discussion",
      text: "A thoughtful post that is long enough to count towards the campaign, well over twenty characters.",
    });
    const mine = await call<{ items: Array<{ id: string }> }>(
      server.url,
      "GET",
      "/api/forum/profiles/mine",
      undefined,
      member.accessToken,
    );
    await call(
      server.url,
      "POST",
      `/api/admin/forum/profiles/${mine.items[0].id}/rescrape`,
      undefined,
      admin.accessToken,
    );
    await page.reload();
    await poll(() => page.locator('[data-testid="forum-post-row"][data-status="pending"]').count()).toBe(1);
    await expect(text(page, "forum-posts")).resolves.toContain("Bitcoin Discussion");
    // The daily chart (the profile's daily series) counts it on today's bar, the last of 30 days.
    await poll(() => text(page, "daily-chart")).toContain(
      "Last 30 days: 1 post found · 0 credited · 1 maturing · 0 uncredited",
    );
    await expect(page.getByTestId("daily-bar").last().getAttribute("data-day")).resolves.toBe(
      new Date().toISOString().slice(0, 10),
    );
    await shot(page, "dashboard");

    // The campaign page lists the new participant.
    await page.goto(`${server.url}/forum`);
    await poll(() =>
      page.locator(`[data-testid="forum-standing-row"][data-username="${MEMBER.login}"]`).count(),
    ).toBe(1);
    await expect(page.getByTestId("forum-dashboard-link").isVisible()).resolves.toBe(true);
    await shot(page, "campaign");
  }, 180_000);

  it("shows admins the switched-off signature designs and lets them re-activate one", async () => {
    const retired = await call<{ id: string }>(
      server.url,
      "POST",
      "/api/forum/signatures",
      { name: "Retired banner", code: DESIGN_CODE, allowedRanks: ["Sr. Member"], active: false },
      admin.accessToken,
    );
    const page = await openSignedIn({}, admin);
    await page.goto(`${server.url}/admin/forum`);
    const card = page.locator(`[data-testid="admin-signature"]`).filter({ hasText: "Retired banner" });
    await expect(card.getAttribute("data-active")).resolves.toBe("false");
    await expect(card.textContent()).resolves.toContain("inactive");
    await card.getByRole("button", { name: "Re-activate" }).click();
    await poll(() => card.getAttribute("data-active")).toBe("true");
    await expect(card.getByRole("button", { name: "Switch off" }).isVisible()).resolves.toBe(true);
    // Offered to members again.
    const offered = await call<{ items: Array<{ id: string }> }>(server.url, "GET", "/api/forum/signatures");
    expect(offered.items.map((d) => d.id)).toContain(retired.id);
  });

  it("lays the forum pages out on a 390px phone", async () => {
    const page = await openSignedIn({ viewport: { width: 390, height: 844 } });
    for (const [route, name, ready] of [
      ["/forum", "campaign-mobile", "forum-standings"],
      ["/forum/dashboard", "dashboard-mobile", "forum-posts"],
      ["/forum/join", "join-mobile", "forum-join-done"],
    ] as const) {
      await page.goto(`${server.url}${route}`);
      await page.getByTestId(ready).waitFor();
      // Nothing but tables may scroll sideways.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, route).toBeLessThanOrEqual(0);
      await shot(page, name);
    }
  });
});
