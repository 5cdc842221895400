// Campaign pages in a real browser: an open-ended campaign says so, and an admin edits a campaign on
// its page (end date, pool, start) and sees the window, the shares and the board follow at once.
import { randomUUID } from "node:crypto";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import {
  type ApiCall,
  DEMO_ADMIN,
  fieldError,
  poll,
  type Session,
  screenshot,
  text,
  useBrowserSuite,
} from "./journeys.ts";
import { seedCampaignWithShares } from "./points-seed.ts";

/** A datetime-local input value (UTC) `hours` from now. */
const inputAt = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString().slice(0, 16);

describe.skipIf(isBrowserUnavailable)("campaign pages", () => {
  const suite = useBrowserSuite();
  let admin: Session;
  let call: ApiCall;
  const slug = `e2e-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    admin = await suite.login(DEMO_ADMIN);
    call = suite.as(admin);
    await call("POST", "/api/categories", { name: "E2E campaigns", slug });
    await seedCampaignWithShares(call, {
      category: slug,
      type: { name: "E2E campaign work", slug: `${slug}-work` },
      campaign: { slug, name: "E2E open drive" },
    });
  });

  // Share cells hold the amount; the token is in the column header ("Est. share (TKN)").
  const shares = async (page: Page) =>
    (await page.getByTestId("row-share").allTextContents()).map((t) => t.trim());

  it("shows an open-ended campaign and lets an admin edit its window and pool on the page", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/campaigns/${slug}`);
    await poll(() => text(page.getByTestId("campaign-name"))).toBe("E2E open drive");
    await poll(() => text(page.getByTestId("campaign-window"))).toContain("open-ended");
    await expect(text(page.getByTestId("time-left"))).resolves.toBe("open-ended");
    await poll(() => shares(page)).toEqual(["75.00", "25.00"]);
    await expect(text(page.getByRole("columnheader", { name: /Est\. share/ }))).resolves.toBe(
      "Est. share (TKN)",
    );
    await screenshot(page, "campaign-open-ended");

    // An end date tomorrow and a bigger pool.
    await page.getByTestId("edit-campaign").click();
    const form = page.getByTestId("campaign-form");
    await expect(form.locator("#c-slug").isDisabled()).resolves.toBe(true);
    await form.getByTestId("open-ended").uncheck();
    await form.locator("#c-end").fill(inputAt(24));
    await form.locator("#c-amount").fill("200");
    await screenshot(page, "campaign-edit-form");
    await form.getByRole("button", { name: "Save changes" }).click();
    await poll(() => form.count()).toBe(0);
    await poll(() => text(page.getByTestId("campaign-window"))).not.toContain("open-ended");
    await expect(page.getByTestId("countdown").isVisible()).resolves.toBe(true);
    await poll(() => text(page.getByTestId("campaign-pool"))).toBe("200");
    await poll(() => shares(page)).toEqual(["150.00", "50.00"]);

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
    await screenshot(page, "campaign-edited");

    // A refused value shows the server's message under its field and changes nothing.
    await page.getByTestId("edit-campaign").click();
    const amount = page.getByTestId("campaign-form").getByLabel("Amount");
    await amount.fill("1.234");
    await page.getByRole("button", { name: "Save changes" }).click();
    await poll(() => fieldError(amount)).toContain("at most 2 decimals");
    await expect(call("GET", `/api/campaigns/${slug}`)).resolves.toEqual(stored);
  });

  it("shows a refused campaign edit under the field the server names", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/campaigns/${slug}`);
    await poll(() => text(page.getByTestId("campaign-name"))).toBe("E2E open drive");
    await page.getByTestId("edit-campaign").click();
    const form = page.getByTestId("campaign-form");
    await form.getByTestId("open-ended").uncheck();
    // An end before the start: the server refuses it, naming endsAt.
    await form.locator("#c-start").fill(inputAt(48));
    const end = form.getByLabel("Ends (UTC)");
    await end.fill(inputAt(24));
    await form.getByRole("button", { name: "Save changes" }).click();
    await poll(() => fieldError(end)).toBe("The end must be after the start.");
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe("c-end");
    await expect(form.getByRole("alert").count()).resolves.toBe(0);
    await form.getByRole("button", { name: "Cancel" }).click();
  });

  it("lists open-ended campaigns with no end date", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/campaigns`);
    const card = page.getByTestId("campaign-list").locator("li", { hasText: "VTX signature campaign" });
    await poll(() => text(card)).toContain("open-ended");
    await screenshot(page, "campaigns-list");
  });
});
