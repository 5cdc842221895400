// Search and filter fields say what they take, in the same words on every page: "Search by …" where
// part of a name matches, "Exact username" where only the whole username does; the hint fits its field.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { boardRows, DEMO_ADMIN, PHONE, poll, textOf, useBrowserSuite } from "./journeys.ts";

/**
 * How many px of the field's placeholder are cut off (0 when it fits): the placeholder put in as the value
 * for a moment, as the field lays text out (a search field keeps room for its clear button).
 */
const placeholderCut = (input: Locator) =>
  input.evaluate((el: HTMLInputElement) => {
    const value = el.value;
    el.value = el.placeholder;
    const cut = el.scrollWidth - el.clientWidth;
    el.value = value;
    return cut;
  });

/** Waits for the field with this placeholder and answers how much of its placeholder is cut off. */
async function cutOf(page: Page, placeholder: string): Promise<number> {
  const input = page.getByPlaceholder(placeholder, { exact: true });
  await input.waitFor({ timeout: 15_000 });
  return placeholderCut(input);
}

describe.skipIf(isBrowserUnavailable)("search and filter fields", () => {
  const suite = useBrowserSuite();

  it("find people by part of their name on the leaderboard and the participants page", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/leaderboard`);
    await page.getByPlaceholder("Search by name or username", { exact: true }).fill("Car");
    await poll(async () => (await boardRows(page)).map((r) => r.username)).toEqual(["carol"]);
    await page.goto(`${suite.url}/participants`);
    await page.getByPlaceholder("Search by name or username", { exact: true }).fill("Car");
    await poll(() => textOf(page, "participants-list")).toContain("@carol");
  });

  it("say on the admin pages which fields want an exact username", async () => {
    const page = await suite.openSignedIn(await suite.login(DEMO_ADMIN));
    const fields: Array<[string, string[]]> = [
      ["/admin/users", ["Username, e-mail, name or wallet"]],
      ["/admin/contributions", ["Exact username"]],
      ["/admin/ledger", ["Exact username"]],
      [
        "/admin/audit-log",
        ["Exact type, e.g. sign-in.failed", "Exact username", "Who did it: exact username"],
      ],
    ];
    for (const width of [1280, 1024, 390]) {
      await page.setViewportSize({ width, height: 800 });
      for (const [path, placeholders] of fields) {
        await page.goto(`${suite.url}${path}`);
        if (path === "/admin/contributions" && width === 390) {
          // Phones fold the contributions filters under their summary: closed, the fields are hidden.
          const toggle = page.getByTestId("contributions-filters-toggle");
          await toggle.waitFor();
          expect(await page.getByPlaceholder("Exact username", { exact: true }).isVisible()).toBe(false);
          await toggle.click();
        }
        for (const placeholder of placeholders)
          expect(await cutOf(page, placeholder), `${path} at ${width} px: ${placeholder}`).toBe(0);
      }
    }
  });

  it("show their whole hint on the public pages, from phones to desktops", async () => {
    const widths = [1280, 1024, 800];
    const pages = ["/leaderboard", "/participants"];
    const page = await suite.openPage();
    for (const width of widths) {
      await page.setViewportSize({ width, height: 800 });
      for (const path of pages) {
        await page.goto(`${suite.url}${path}`);
        expect(await cutOf(page, "Search by name or username"), `${path} at ${width} px`).toBe(0);
      }
    }
    const phone = await suite.openPage(PHONE);
    for (const path of pages) {
      await phone.goto(`${suite.url}${path}`);
      expect(await cutOf(phone, "Search by name or username"), `${path} on a phone`).toBe(0);
    }
  });

  it("fit the forum account field's hint on a phone", async () => {
    const dave = await suite.login({ login: "dave", password: "Merit-demo-2026!" });
    const page = await suite.openSignedIn(dave, PHONE);
    await page.goto(`${suite.url}/forum/join`);
    const field = page.getByLabel("Bitcointalk user id or profile URL");
    await field.waitFor({ timeout: 15_000 });
    expect(await placeholderCut(field)).toBe(0);
  });
});
