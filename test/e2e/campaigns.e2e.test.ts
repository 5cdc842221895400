// Campaign pages in a real browser: an open-ended campaign says so, and an admin edits a campaign on
// its page (end date, pool, start) and sees the window, the shares and the board follow at once.
import { randomUUID } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable, launchBrowser, newContext } from "./browser.ts";
import { startTestServer, type TestServer } from "./server.ts";

const poll = <T>(fn: () => T | Promise<T>) => expect.poll(fn, { timeout: 15_000, interval: 100 });
const screenshotDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../.cache/screenshots");
const text = async (locator: Locator) => ((await locator.textContent()) ?? "").replace(/\s+/g, " ").trim();
/** A datetime-local input value (UTC) `hours` from now. */
const inputAt = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

interface LoginResult {
  accessToken: string;
  refreshToken: string;
  user: { id: string; username: string };
}

describe.skipIf(isBrowserUnavailable)("campaign pages", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: LoginResult;
  let context: BrowserContext | undefined;
  const slug = `e2e-${randomUUID().slice(0, 8)}`;

  async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers: { authorization: `Bearer ${admin.accessToken}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const raw = await response.text();
    if (!response.ok) throw new Error(`${method} ${url} -> ${response.status} ${raw}`);
    return (raw ? JSON.parse(raw) : undefined) as T;
  }

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
    await call("POST", "/api/categories", { name: "E2E campaigns", slug });
    const type = await call<{ id: string }>("POST", "/api/contributions/types", {
      name: "E2E campaign work",
      slug: `${slug}-work`,
      category: slug,
      minPoints: 1,
      maxPoints: 100,
    });
    await call("POST", "/api/campaigns", {
      slug,
      name: "E2E open drive",
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
      pool: { amount: "100", token: "TKN", decimals: 2 },
      contributionTypes: [type.id],
    });
    for (const [username, points] of [
      ["admin", 10],
      ["erin", 30],
    ] as const) {
      await call("POST", "/api/contributions", { username, contributionTypeId: type.id, points });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  afterEach(async () => {
    await context?.close();
    context = undefined;
  });

  async function openSignedIn(): Promise<Page> {
    context = await newContext(browser);
    const stored = JSON.stringify({
      accessToken: admin.accessToken,
      refreshToken: admin.refreshToken,
      user: admin.user,
    });
    await context.addInitScript((value) => localStorage.setItem("merit.session", value), stored);
    return context.newPage();
  }

  const shares = (page: Page) => page.getByTestId("row-share").allTextContents();

  it("shows an open-ended campaign and lets an admin edit its window and pool on the page", async () => {
    const page = await openSignedIn();
    await page.goto(`${server.url}/campaigns/${slug}`);
    await poll(() => text(page.getByTestId("campaign-name"))).toBe("E2E open drive");
    await poll(() => text(page.getByTestId("campaign-window"))).toContain("open-ended");
    await expect(text(page.getByTestId("time-left"))).resolves.toBe("open-ended");
    await poll(() => shares(page)).toEqual(["75 TKN", "25 TKN"].map((v) => expect.stringContaining(v)));
    await page.screenshot({ path: path.join(screenshotDir, "campaign-open-ended.png"), fullPage: true });

    // An end date tomorrow and a bigger pool.
    await page.getByTestId("edit-campaign").click();
    const form = page.getByTestId("campaign-form");
    await expect(form.locator("#c-slug").isDisabled()).resolves.toBe(true);
    await form.getByTestId("open-ended").uncheck();
    await form.locator("#c-end").fill(inputAt(24));
    await form.locator("#c-amount").fill("200");
    await page.screenshot({ path: path.join(screenshotDir, "campaign-edit-form.png"), fullPage: true });
    await form.getByRole("button", { name: "Save changes" }).click();
    await poll(() => form.count()).toBe(0);
    await poll(() => text(page.getByTestId("campaign-window"))).not.toContain("open-ended");
    await expect(page.getByTestId("countdown").isVisible()).resolves.toBe(true);
    await poll(() => text(page.getByTestId("campaign-pool"))).toBe("200");
    await poll(() => shares(page)).toEqual(["150 TKN", "50 TKN"].map((v) => expect.stringContaining(v)));

    // A later start leaves both contributions out of the window: the board empties at once.
    await page.getByTestId("edit-campaign").click();
    await page.locator("#c-start").fill(inputAt(2));
    await page.getByRole("button", { name: "Save changes" }).click();
    await poll(() => text(page.getByTestId("campaign-status"))).toBe("Starts soon");
    await poll(() => page.getByTestId("board-row").count()).toBe(0);
    const stored = await call<{ participants: number; endsAt: string | null }>(
      "GET",
      `/api/campaigns/${slug}`,
    );
    expect(stored).toMatchObject({ participants: 0 });
    expect(stored.endsAt).not.toBeNull();
    await page.screenshot({ path: path.join(screenshotDir, "campaign-edited.png"), fullPage: true });

    // A refused value shows the server's message and changes nothing.
    await page.getByTestId("edit-campaign").click();
    await page.locator("#c-amount").fill("1.234");
    await page.getByRole("button", { name: "Save changes" }).click();
    await poll(() => text(page.getByRole("alert"))).toContain("at most 2 decimals");
    await expect(call("GET", `/api/campaigns/${slug}`)).resolves.toEqual(stored);
  });

  it("lists open-ended campaigns with no end date", async () => {
    const page = await openSignedIn();
    await page.goto(`${server.url}/campaigns`);
    const card = page.getByTestId("campaign-list").locator("li", { hasText: "VTX signature campaign" });
    await poll(() => text(card)).toContain("open-ended");
    await page.screenshot({ path: path.join(screenshotDir, "campaigns-list.png"), fullPage: true });
  });
});
