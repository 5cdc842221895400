// Public pages as a visitor reads them: who the participants page lists, podium labels that can be read,
// campaign cards without a description.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { DEMO_ADMIN, poll, text, textOf, useBrowserSuite } from "./journeys.ts";
import { daysFromNow } from "./points-seed.ts";

/**
 * The contrast the eye gets between a text and what is behind it, measured on the rendered pixels of the
 * text's box (whatever the CSS: opacity, gradients, layers): the background is the box's corner pixels,
 * the text the pixel that differs most from it.
 */
async function renderedContrast(page: Page, selector: string, scratch: Page): Promise<number> {
  const box = await page.locator(selector).evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    let node = walker.nextNode();
    while (node && !node.textContent?.trim()) node = walker.nextNode();
    if (!node) throw new Error("no text");
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    return { x: r.x, y: r.y, width: r.width, height: r.height };
  });
  const png = await page.screenshot({ clip: box });
  return scratch.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d")!;
    ctx.drawImage(img, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, img.width, img.height);
    const luminance = (i: number) => {
      const [r, g, b] = [data[i], data[i + 1], data[i + 2]].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    };
    const corners = [0, width - 1, (height - 1) * width, height * width - 1].map((p) => luminance(p * 4));
    const bg = corners.reduce((a, b) => a + b) / corners.length;
    let best = 1;
    for (let p = 0; p < width * height; p++) {
      const l = luminance(p * 4);
      best = Math.max(best, (Math.max(l, bg) + 0.05) / (Math.min(l, bg) + 0.05));
    }
    return best;
  }, png.toString("base64"));
}

describe.skipIf(isBrowserUnavailable)("public pages", () => {
  const suite = useBrowserSuite();

  it("lists people who have contributed; a staff account shows up for its exact username only", async () => {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/participants`);
    const cards = page.getByTestId("participants-list").locator("a.person");
    await poll(() => cards.count()).toBeGreaterThan(0);
    const handles = await cards.locator(".who .muted").allTextContents();
    expect(handles).not.toContain("@admin");
    // Counts in words, not "89 contrib.".
    const { items } = await suite.api<{ items: Array<{ contributions: number }> }>(
      "GET",
      "/api/participants?limit=1",
    );
    await expect(text(cards.first().locator(".score > span.muted"))).resolves.toBe(
      `${new Intl.NumberFormat("en-US").format(items[0].contributions)} contributions`,
    );
    const search = page.getByTestId("participants-search");
    await search.fill("adm");
    await poll(() => textOf(page, "participants-empty")).toContain("exact username");
    await search.fill("admin");
    await poll(() => cards.count()).toBe(1);
    await expect(text(cards.first())).resolves.toContain("@admin");
  });

  it("shows the podium's place labels at 4.5:1 or more in both themes", async () => {
    for (const colorScheme of ["light", "dark"] as const) {
      const page = await suite.openPage({ colorScheme });
      await page.goto(`${suite.url}/leaderboard`);
      await page.getByTestId("podium-3").waitFor();
      const scratch = await suite.openPage();
      for (const place of [1, 2, 3]) {
        const ratio = await renderedContrast(page, `[data-testid="podium-${place}"] .block`, scratch);
        expect(ratio, `#${place}, ${colorScheme}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it("keeps a campaign card without a description compact beside one with a long description", async () => {
    const admin = suite.as(await suite.login(DEMO_ADMIN));
    // Upcoming, so they come after the demo's live campaigns, in this order (by end).
    const wordy = "A long description that takes every one of the three lines a card shows. ".repeat(3);
    for (const [slug, days, description] of [
      ["card-filler", 20, undefined],
      ["card-wordy", 21, wordy],
      ["card-bare", 22, undefined],
    ] as const) {
      await admin("POST", "/api/campaigns", {
        slug,
        name: slug,
        ...(description ? { description } : {}),
        startsAt: daysFromNow(10),
        endsAt: daysFromNow(days),
      });
    }
    const page = await suite.openPage();
    await page.goto(`${suite.url}/campaigns`);
    const card = (slug: string) => page.locator(`a.campaign[href="/campaigns/${slug}"]`);
    await card("card-bare").waitFor();
    const [wordyBox, bareBox] = [
      await card("card-wordy").boundingBox(),
      await card("card-bare").boundingBox(),
    ];
    expect(bareBox?.y, "the two cards share a row").toBe(wordyBox?.y);
    const titleBottom = await card("card-bare")
      .locator("h2")
      .evaluate((h) => h.getBoundingClientRect().bottom);
    const datesTop = await card("card-bare")
      .locator(".when")
      .evaluate((p) => p.getBoundingClientRect().top);
    expect(datesTop - titleBottom).toBeLessThan(24);
  });

  it("says an empty board is empty in the words of its period", async () => {
    const page = await suite.openPage();
    const empty = page.getByTestId("board-table").locator("td.empty");
    await page.goto(`${suite.url}/leaderboard?period=custom&from=2020-01-01&to=2020-01-31`);
    await poll(() => text(empty)).toBe("No points in this date range.");
    await page.goto(`${suite.url}/leaderboard?q=nobody-by-this-name`);
    await poll(() => text(empty)).toBe("Nobody matches “nobody-by-this-name”.");
  });
});
