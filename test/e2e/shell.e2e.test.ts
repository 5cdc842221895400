// The web shell in a real browser against the real server: header and nav, live home data,
// theme persistence, SPA fallback routing and the mobile menu.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { DEMO_ADMIN, markWindow, PHONE, screenshot, textOf, useBrowserSuite } from "./journeys.ts";

const navLabels = ["Home", "Leaderboard", "Campaigns", "Participants"];

interface Info {
  name: string;
  database: "embedded" | "postgresql";
  counts: { users: number; jobsQueued: number; jobsCompleted: number };
}

describe.skipIf(isBrowserUnavailable)("web shell", () => {
  const suite = useBrowserSuite();

  const theme = (page: Page) => page.evaluate(() => document.documentElement.dataset.theme);

  it("shows the header, the navigation and live counts from /api/info and /api/stats", async () => {
    const info = await suite.api<Info>("GET", "/api/info");
    const stats = await suite.api<{ participants: number }>("GET", "/api/stats");
    const page = await suite.openPage();
    await page.goto(`${suite.url}/`);

    // The shell renders after its script runs, which can trail the load event on a busy machine.
    await page.getByRole("link", { name: "Merit home" }).waitFor({ state: "visible", timeout: 15_000 });
    const nav = page.getByRole("navigation", { name: "Main" });
    for (const label of navLabels) {
      await expect(nav.getByRole("link", { name: label, exact: true }).isVisible()).resolves.toBe(true);
    }
    // Admin is for staff only: a visitor would land on sign-in, a participant on "Not allowed".
    await expect(nav.getByRole("link", { name: "Admin", exact: true }).count()).resolves.toBe(0);
    await expect(nav.getByRole("link", { name: "Home" }).getAttribute("aria-current")).resolves.toBe("page");
    await expect(page.getByTestId("signin-link").getAttribute("href")).resolves.toBe("/signin");

    // Participants: those with points on the boards (the stats), not every registered account.
    const participants = new Intl.NumberFormat("en-US").format(stats.participants);
    await expect.poll(() => textOf(page, "count-users")).toBe(participants);
    await expect(textOf(page, "database-kind")).resolves.toBe(
      info.database === "embedded" ? "Embedded" : "PostgreSQL",
    );
    await expect(textOf(page, "server-status")).resolves.toContain("Online");
    // The hero shows the latest contributions scored here, from /api/stats.
    const { latest } = await suite.api<{ latest: { contributionTypeName: string }[] }>("GET", "/api/stats");
    const rows = page.getByTestId("latest-row");
    await expect.poll(() => rows.count()).toBe(latest.length);
    if (latest.length === 0) {
      await expect(textOf(page, "latest-contributions")).resolves.toContain("No contributions yet");
    } else {
      await expect(rows.first().textContent()).resolves.toContain(latest[0].contributionTypeName);
      // A long type name is cut to one line with an ellipsis; hovering shows it whole.
      await expect(rows.first().locator(".muted").getAttribute("title")).resolves.toBe(
        latest[0].contributionTypeName,
      );
    }
    await expect(textOf(page, "updated-at")).resolves.toMatch(/^Updated /);
    await expect(page.getByTestId("api-error").count()).resolves.toBe(0);

    await screenshot(page, "home");
    await page.getByTestId("theme-toggle").click();
    await screenshot(page, "home-dark");
  });

  it("shows an error state with the server's message when the API fails", async () => {
    const page = await suite.openPage();
    await page.route("**/api/info", (route) =>
      route.fulfill({
        status: 503,
        contentType: "application/json",
        body: JSON.stringify({ error: { code: "UNAVAILABLE", message: "Down for maintenance." } }),
      }),
    );
    await page.goto(`${suite.url}/`);
    await expect.poll(() => page.getByTestId("api-error").count()).toBe(1);
    await expect(textOf(page, "api-error")).resolves.toContain("Down for maintenance.");
  });

  it("shows placeholders at 4.5:1 or more on their field in both themes", async () => {
    // The browser's own placeholder grey (#757575) is the same in both themes: 3.8:1 on a dark field.
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await suite.openPage({ colorScheme });
      await page.goto(`${suite.url}/participants`);
      const search = page.getByPlaceholder("Search by name or username");
      await search.waitFor();
      const ratio = await search.evaluate((input) => {
        const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
        const luminance = (c: string) => {
          const [r, g, b] = rgb(c).map((v) => {
            const s = v / 255;
            return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
          });
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        };
        const fg = luminance(getComputedStyle(input, "::placeholder").color);
        const bg = luminance(getComputedStyle(input).backgroundColor);
        return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      });
      expect(ratio, colorScheme).toBeGreaterThanOrEqual(4.5);
    }
  });

  it("follows the system theme, then remembers an explicit choice across reloads", async () => {
    const page = await suite.openPage({ colorScheme: "dark" });
    // Record the theme before the app's own scripts run, to prove there is no light flash.
    await page.addInitScript(() => {
      document.addEventListener("DOMContentLoaded", () => {
        (window as unknown as { themeAtLoad?: string }).themeAtLoad = document.documentElement.dataset.theme;
      });
    });
    await page.goto(`${suite.url}/`);
    await expect(theme(page)).resolves.toBe("dark");

    await page.getByTestId("theme-toggle").click();
    await expect(theme(page)).resolves.toBe("light");
    await expect(page.evaluate(() => localStorage.getItem("merit.theme"))).resolves.toBe("light");

    await page.reload();
    await expect(
      page.evaluate(() => (window as unknown as { themeAtLoad?: string }).themeAtLoad),
    ).resolves.toBe("light");
    await expect(theme(page)).resolves.toBe("light");
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(246, 246, 251)");

    await page.getByTestId("theme-toggle").click();
    await page.reload();
    await expect(theme(page)).resolves.toBe("dark");
  });

  it("navigates client-side between pages and shows the fallback page for unknown paths", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/`);
    // A full page load would wipe this marker; client-side navigation keeps it.
    const hasMarker = await markWindow(page);

    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Campaigns" }).click();
    await page.waitForURL(`${suite.url}/campaigns`);
    await expect(page.locator("h1").first().textContent()).resolves.toBe("Campaigns");
    await expect(hasMarker()).resolves.toBe(true);

    await page.evaluate(() => {
      const link = document.createElement("a");
      link.href = "/no/such/page";
      document.body.append(link);
      link.click();
    });
    await page.waitForURL(`${suite.url}/no/such/page`);
    await expect(textOf(page, "fallback-title")).resolves.toBe("Page not found");
    await expect(hasMarker()).resolves.toBe(true);

    // A deep link loaded directly is answered by the server's SPA fallback (200.html).
    const response = await page.goto(`${suite.url}/participants/nobody-here`);
    expect(response?.status()).toBe(200);
    await expect.poll(() => page.locator("h1").first().textContent()).toBe("No such participant");
  });

  it("shows the same not-found card, and says so in the title, for a page of one thing that is missing", async () => {
    const admin = await suite.openSignedIn(await suite.login(DEMO_ADMIN));
    const cases = [
      ["/participants/nobody-here", "No such participant", "Not found · Participants · Merit"],
      ["/campaigns/no-such", "No such campaign", "Not found · Campaigns · Merit"],
      ["/forum?campaign=no-such", "No such forum campaign", "Not found · Forum · Merit"],
      [
        "/admin/snapshots/00000000-0000-4000-8000-000000000000",
        "No such snapshot",
        "Not found · Snapshots · Admin · Merit",
      ],
      ["/admin/forum/no-such", "No such forum campaign", "Not found · Forum admin · Merit"],
    ];
    for (const [path, heading, title] of cases) {
      await admin.goto(`${suite.url}${path}`);
      const card = admin.locator("section.card.message");
      await expect.poll(() => card.getByRole("heading").textContent()).toBe(heading);
      await expect.poll(() => admin.title()).toBe(title);
    }
    // A member on an admin page: the 403 card, and a title that says so rather than the bare "Merit".
    const member = await suite.openSignedIn(
      await suite.login({ login: "dave", password: "Merit-demo-2026!" }),
    );
    await member.goto(`${suite.url}/admin/users`);
    await expect.poll(() => textOf(member, "forbidden")).toContain("Not allowed");
    await expect.poll(() => member.title()).toBe("Not allowed · Merit");
  });

  it("links the API explorer from the footer, loaded from the server rather than routed in the app", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/leaderboard`);
    await page.getByTestId("api-docs-link").click();
    await page.waitForURL(`${suite.url}/docs`);
    await expect.poll(() => page.title()).toBe("Merit API");
  });

  it("loads the public pages without console errors or warnings", async () => {
    const page = await suite.openPage();
    const messages: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") messages.push(`${page.url()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => messages.push(`${page.url()}: ${e.message}`));
    for (const path of [
      "/",
      "/leaderboard?period=week",
      "/campaigns",
      "/participants",
      "/forum",
      "/signin",
      "/register",
    ]) {
      await page.goto(`${suite.url}${path}`, { waitUntil: "networkidle" });
    }
    expect(messages).toEqual([]);
  });

  it("scrolls a field the browser flags into view below the sticky header, not under it", async () => {
    // The award form is taller than a phone: submitting it empty from its button makes the browser
    // scroll back up to the first required field and say "fill out this field" there.
    const page = await suite.openSignedIn(await suite.login(DEMO_ADMIN), PHONE);
    await page.goto(`${suite.url}/admin/awards`);
    const submit = page.getByTestId("award-form").getByRole("button", { name: "Award points" });
    await submit.scrollIntoViewIfNeeded();
    await submit.click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("a-user");
    // The field and its label both show below the header.
    const [labelTop, headerBottom] = await page.evaluate(() => [
      document.querySelector('label[for="a-user"]')?.getBoundingClientRect().top ?? 0,
      document.querySelector("header")?.getBoundingClientRect().bottom ?? 0,
    ]);
    expect(labelTop).toBeGreaterThanOrEqual(headerBottom);
  });

  it("collapses the navigation into a menu on a 390 px wide screen", async () => {
    const page = await suite.openPage(PHONE);
    await page.goto(`${suite.url}/`);
    await expect.poll(() => textOf(page, "server-status")).toContain("Online");
    await screenshot(page, "home-mobile");

    const leaderboard = page
      .getByRole("navigation", { name: "Main" })
      .getByRole("link", { name: "Leaderboard" });
    await expect(leaderboard.isVisible()).resolves.toBe(false);
    await page.getByTestId("menu-button").click();
    await leaderboard.waitFor({ state: "visible", timeout: 15_000 });
    await screenshot(page, "home-mobile-menu", false);

    await leaderboard.click();
    await page.waitForURL(`${suite.url}/leaderboard`);
    await expect.poll(() => textOf(page, "board-title")).toContain("leaderboard");
    await expect(leaderboard.isVisible()).resolves.toBe(false);
  });
});
