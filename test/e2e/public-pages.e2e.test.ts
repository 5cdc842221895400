// Public pages as a visitor reads them: who the participants page lists.
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { poll, text, textOf, useBrowserSuite } from "./journeys.ts";

describe.skipIf(isBrowserUnavailable)("public pages", () => {
  const suite = useBrowserSuite();

  it("lists people who have contributed; a staff account shows up for its exact username only", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/participants`);
    const cards = page.getByTestId("participants-list").locator("a.person");
    await poll(() => cards.count()).toBeGreaterThan(0);
    const handles = await cards.locator(".who .muted").allTextContents();
    expect(handles).not.toContain("@admin");
    const search = page.getByTestId("participants-search");
    await search.fill("adm");
    await poll(() => textOf(page, "participants-empty")).toContain("exact username");
    await search.fill("admin");
    await poll(() => cards.count()).toBe(1);
    await expect(text(cards.first())).resolves.toContain("@admin");
  });
});
