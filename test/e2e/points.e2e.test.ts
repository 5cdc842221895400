// The points pages in a real browser against the real server: the leaderboard follows awards live
// (SSE, no reload), and an admin awards points through the form, sees the frozen multiplier and
// global points, then revokes with a reason and watches the board drop the points.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable, launchBrowser, newContext } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

/** Polls until the page catches up: loads and live updates take longer than vitest's default second on a busy machine. */
const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });

const screenshotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.cache/screenshots");

interface LoginResult {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string; displayName: string | null; roles: string[] };
}

interface BoardRow {
  rank: number;
  username: string;
  points: string;
}

describe.skipIf(isBrowserUnavailable)("points pages", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: LoginResult;
  let context: BrowserContext | undefined;
  /** A category and type of this test file only, so its board holds nothing but our awards. */
  const slug = `e2e-${randomUUID().slice(0, 8)}`;
  const board = `category:${slug}`;
  let typeId: string;

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${admin.accessToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} -> ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const award = (username: string, points: number) =>
    call<{ id: string; globalPoints: string }>("POST", "/api/contributions", {
      username,
      contributionTypeId: typeId,
      points,
    });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    await mkdir(screenshotDir, { recursive: true });
    const login = await fetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "admin", password: "admin" }),
    });
    expect(login.status).toBe(200);
    admin = (await login.json()) as LoginResult;

    await call("POST", "/api/categories", { name: "E2E Testing", slug, description: "Browser tests" });
    const type = await call<{ id: string }>("POST", "/api/contributions/types", {
      name: "E2E review",
      slug: `${slug}-review`,
      category: slug,
      minPoints: 1,
      maxPoints: 100,
    });
    typeId = type.id;
    // 1.5 from yesterday: awards dated now get it, so global points are points x 1.5.
    await call("POST", "/api/leaderboard/multipliers", {
      contributionTypeId: typeId,
      value: "1.5",
      validFrom: new Date(Date.now() - 86_400_000).toISOString(),
      description: "E2E boost",
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  /** A page signed in as admin: the session store reads its tokens from localStorage at start. */
  async function openSignedIn(options: Parameters<typeof newContext>[1] = {}): Promise<Page> {
    context = await newContext(browser, options);
    const stored = JSON.stringify({
      accessToken: admin.accessToken,
      refreshToken: admin.refreshToken,
      user: admin.user,
    });
    await context.addInitScript((value) => localStorage.setItem("merit.session", value), stored);
    return context.newPage();
  }

  async function boardRows(page: Page): Promise<BoardRow[]> {
    return page.getByTestId("board-row").evaluateAll((rows) =>
      rows.map((row) => ({
        rank: Number((row as HTMLElement).dataset.rank),
        username: (row as HTMLElement).dataset.username ?? "",
        points: (row as HTMLElement).dataset.points ?? "",
      })),
    );
  }

  const text = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();

  /** Marks the window: a full reload would lose the marker. */
  async function markWindow(page: Page): Promise<() => Promise<boolean>> {
    await page.evaluate(() => {
      (window as unknown as { noReload?: boolean }).noReload = true;
    });
    return () => page.evaluate(() => (window as unknown as { noReload?: boolean }).noReload === true);
  }

  it("updates ranks and points live when points are awarded through the API", async () => {
    const page = await openSignedIn();
    await page.goto(`${server.url}/leaderboard?board=${encodeURIComponent(board)}`);
    await poll(() => text(page.getByTestId("board-title"))).toBe("E2E Testing leaderboard");
    await poll(() => text(page.getByTestId("live-status"))).toBe("Live");
    await expect(boardRows(page)).resolves.toEqual([]);
    const stillSamePage = await markWindow(page);

    await award("bob", 20); // 20 x 1.5 = 30
    await poll(() => boardRows(page)).toEqual([{ rank: 1, username: "bob", points: "30" }]);

    await award("carol", 40); // 60: carol overtakes bob
    await poll(() => boardRows(page)).toEqual([
      { rank: 1, username: "carol", points: "60" },
      { rank: 2, username: "bob", points: "30" },
    ]);
    // The rows that moved are highlighted, and the podium follows.
    await poll(() => page.locator("tr.changed").count()).toBeGreaterThan(0);
    await expect(page.locator('tr[data-username="bob"]').getAttribute("class")).resolves.toContain(
      "change-down",
    );
    await poll(() => text(page.getByTestId("podium-1"))).toContain("Carol");
    await page.screenshot({ path: path.join(screenshotDir, "points-leaderboard-live.png"), fullPage: true });

    await award("bob", 20); // bob 60: tied with carol, standard competition ranking
    await poll(async () => (await boardRows(page)).map((r) => r.rank)).toEqual([1, 1]);
    await expect(stillSamePage()).resolves.toBe(true);

    // Search narrows the same board.
    await page.getByTestId("board-search").fill("car");
    await poll(async () => (await boardRows(page)).map((r) => r.username)).toEqual(["carol"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("car");
  });

  it("awards through the admin form, shows the frozen multiplier, then revokes with a reason", async () => {
    const page = await openSignedIn();
    // A second tab keeps the board open to see the revocation arrive live.
    const boardPage = await page.context().newPage();
    await boardPage.goto(`${server.url}/leaderboard?board=${encodeURIComponent(board)}`);
    await poll(() => text(boardPage.getByTestId("live-status"))).toBe("Live");
    const before = await boardRows(boardPage);
    expect(before.some((r) => r.username === "dave")).toBe(false);

    await page.goto(`${server.url}/admin/awards`);
    const form = page.getByTestId("award-form");
    await form.getByTestId("award-username").fill("dave");
    await form.getByTestId("award-type").selectOption(typeId);
    await expect(form.getByTestId("award-points").getAttribute("max")).resolves.toBe("100");

    // Out of the type's range: the server's 422 is shown and nothing is awarded.
    await form.getByTestId("award-points").fill("150");
    await form.getByTestId("award-points").evaluate((input) => input.removeAttribute("max"));
    await form.getByTestId("award-submit").click();
    await poll(() => text(page.getByTestId("award-error"))).toContain("between 1 and 100");

    await form.getByTestId("award-points").fill("35");
    await form.getByLabel("Notes").fill("Reviewed the e2e suite");
    await form.getByTestId("add-evidence").click();
    await form.getByTestId("evidence-url").fill("https://example.org/pr/42");
    await form.getByTestId("award-submit").click();

    const result = page.getByTestId("award-result");
    await poll(() => text(result.getByTestId("award-multiplier"))).toBe("1.5");
    await expect(text(result.getByTestId("award-global"))).resolves.toBe("52.5");
    await page.screenshot({ path: path.join(screenshotDir, "points-award-result.png"), fullPage: true });

    // The new contribution heads the latest list with its multiplier and global points.
    const row = page.getByTestId("contribution-row").first();
    await expect(text(row)).resolves.toContain("Dave");
    await expect(text(row.getByTestId("contribution-multiplier"))).resolves.toBe("×1.5");
    await expect(text(row.getByTestId("contribution-global"))).resolves.toBe("52.5");
    await poll(async () => (await boardRows(boardPage)).find((r) => r.username === "dave")?.points).toBe(
      "52.5",
    );

    // Revoke: a reason is required, then the points leave the board.
    await row.getByTestId("revoke-button").click();
    const dialog = page.getByTestId("revoke-dialog");
    await dialog.getByTestId("revoke-confirm").click();
    await poll(() => text(dialog)).toContain("Give a reason");
    await dialog.getByTestId("revoke-reason").fill("Duplicate of an earlier award");
    await page.screenshot({ path: path.join(screenshotDir, "points-revoke-dialog.png") });
    await dialog.getByTestId("revoke-confirm").click();

    await poll(() => text(page.getByTestId("revoke-notice"))).toContain("Revoked 52.5 points of dave");
    const revoked = page.getByTestId("contribution-row").first();
    await poll(() => text(revoked.getByTestId("contribution-status"))).toBe("Revoked");
    await expect(text(revoked)).resolves.toContain("Duplicate of an earlier award");
    await poll(async () => (await boardRows(boardPage)).some((r) => r.username === "dave")).toBe(false);

    // The ledger keeps both entries.
    await page.goto(`${server.url}/admin/ledger?user=dave`);
    await poll(() =>
      page.getByTestId("ledger-row").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind)),
    ).toEqual(expect.arrayContaining(["revocation", "award"]));
  });

  it("shows a participant profile and the campaign page, and fits a 390 px screen", async () => {
    const page = await openSignedIn({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await call("POST", "/api/leaderboard/snapshots", { board: "global", label: "e2e" });
    await page.goto(`${server.url}/leaderboard`);
    await poll(async () => (await boardRows(page)).length).toBeGreaterThan(0);
    await page.screenshot({
      path: path.join(screenshotDir, "points-leaderboard-mobile.png"),
      fullPage: true,
    });
    // Nothing sticks out sideways (wide tables scroll inside their own box).
    await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBe(
      0,
    );

    await page.goto(`${server.url}/participants/carol`);
    await poll(() => text(page.getByTestId("profile-name"))).toBe("Carol");
    await expect(page.getByTestId("points-chart").locator("path").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId("rank-chart").locator("circle").count()).resolves.toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotDir, "points-profile-mobile.png"), fullPage: true });

    // A campaign of its own type: admin 10 and erin 30 points split a 100 TKN pool 25 / 75.
    const type = await call<{ id: string }>("POST", "/api/contributions/types", {
      name: "E2E campaign task",
      slug: `${slug}-task`,
      category: slug,
      minPoints: 1,
      maxPoints: 100,
    });
    const campaignSlug = `${slug}-drive`;
    await call("POST", "/api/campaigns", {
      slug: campaignSlug,
      name: "E2E drive",
      description: "Shares for the browser test",
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 10 * 86_400_000).toISOString(),
      pool: { amount: "100", token: "TKN", decimals: 2 },
      contributionTypes: [type.id],
    });
    for (const [username, points] of [
      ["admin", 10],
      ["erin", 30],
    ] as const) {
      await call("POST", "/api/contributions", { username, contributionTypeId: type.id, points });
    }
    await page.goto(`${server.url}/campaigns/${campaignSlug}`);
    await poll(() => text(page.getByTestId("campaign-name"))).toBe("E2E drive");
    await poll(() => text(page.getByTestId("campaign-pool"))).toBe("100");
    await poll(() => text(page.getByTestId("my-share-value"))).toBe("25 TKN");
    await poll(() => page.getByTestId("row-share").allTextContents()).toEqual(
      ["75 TKN", "25 TKN"].map((v) => expect.stringContaining(v)),
    );
    await expect(page.getByTestId("countdown").isVisible()).resolves.toBe(true);
    await expect(page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).resolves.toBe(
      0,
    );
    await page.screenshot({ path: path.join(screenshotDir, "points-campaign-mobile.png"), fullPage: true });
  });
});
