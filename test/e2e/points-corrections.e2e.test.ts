// Admin corrections and revocations in a real browser against the real server: the admin signs in,
// corrects a contribution (the dialog shows what changes, the server's refusal is shown as is), reads
// its ledger history, sees the new points on the leaderboard, revokes another and sees it leave.
import { randomUUID } from "node:crypto";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable, newContext } from "./browser.ts";
import {
  type ApiCall,
  boardRows,
  DEMO_ADMIN,
  poll,
  screenshot,
  submitSignIn,
  text,
  useBrowserSuite,
} from "./journeys.ts";
import { addMultiplier, awardAll, createCategoryWithType } from "./points-seed.ts";

describe.skipIf(isBrowserUnavailable)("points corrections and revocations", () => {
  const suite = useBrowserSuite();
  let context: BrowserContext;
  let page: Page;
  let call: ApiCall;
  /** A category and type of this test only, so its board holds nothing but these awards. */
  const slug = `fix-${randomUUID().slice(0, 8)}`;
  const board = `category:${slug}`;
  let awards: Record<string, string>;

  beforeAll(async () => {
    call = suite.as(await suite.login(DEMO_ADMIN));
    const typeId = await createCategoryWithType(
      call,
      { name: "Fixes", slug },
      { name: "Fix review", slug: `${slug}-review` },
    );
    // 1.5 from yesterday: global points are points x 1.5, and a correction keeps that multiplier.
    await addMultiplier(call, typeId, "1.5");
    awards = await awardAll(call, typeId, [
      ["bob", 20],
      ["carol", 30],
      ["dave", 10],
    ]);
    // One page for the whole file: the first test signs in through the form, the others go on from there.
    context = await newContext(suite.browser);
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
  });

  const row = (username: string) =>
    page.locator(`[data-testid="contribution-row"][data-id="${awards[username]}"]`);

  async function openBoard(): Promise<void> {
    await page.goto(`${suite.url}/leaderboard?board=${encodeURIComponent(board)}`);
    await poll(() => text(page.getByTestId("board-title"))).toBe("Fixes leaderboard");
  }

  async function openContributions(): Promise<void> {
    await page.goto(`${suite.url}/admin/contributions?category=${slug}`);
    await poll(() => page.getByTestId("contribution-row").count()).toBe(3);
  }

  it("signs in as the admin", async () => {
    await page.goto(
      `${suite.url}/signin?next=${encodeURIComponent(`/admin/contributions?category=${slug}`)}`,
    );
    await submitSignIn(page, DEMO_ADMIN.login, DEMO_ADMIN.password);
    await page.waitForURL(/\/admin\/contributions/);
    await poll(() => page.getByTestId("contribution-row").count()).toBe(3);
  });

  it("corrects a contribution: the dialog shows the change, the row and the board follow", async () => {
    await openBoard();
    await poll(() => boardRows(page)).toEqual([
      { rank: 1, username: "carol", points: "45" },
      { rank: 2, username: "bob", points: "30" },
      { rank: 3, username: "dave", points: "15" },
    ]);
    await openContributions();
    await row("bob").getByTestId("correct-button").click();
    const dialog = page.getByTestId("correct-dialog");
    await expect(dialog.getByTestId("correct-points").inputValue()).resolves.toBe("20");

    // Out of the type's range, and no reason: the dialog says so and sends nothing.
    await dialog.getByTestId("correct-points").fill("150");
    await dialog.getByTestId("correct-confirm").click();
    await poll(() => text(dialog.getByTestId("correct-points-error"))).toBe(
      "Points must be between 1 and 100 for Fix review.",
    );
    await expect(text(dialog)).resolves.toContain("Give a reason");

    await dialog.getByTestId("correct-points").fill("40");
    await poll(() => text(dialog.getByTestId("correct-new-global"))).toBe("60");
    await expect(text(dialog.getByTestId("correct-delta"))).resolves.toContain("+30 points for bob");
    await dialog.getByTestId("correct-reason").fill("Reviewed twice the size we first counted");
    await screenshot(page, "points-correct-dialog", false);
    await dialog.getByTestId("correct-confirm").click();

    await poll(() => dialog.count()).toBe(0);
    await poll(() => text(page.getByTestId("contributions-notice"))).toBe(
      "Corrected bob's Fix review from 20 to 40 points (+30 global).",
    );
    await expect(text(row("bob").getByTestId("contribution-points"))).resolves.toBe("40");
    await expect(text(row("bob").getByTestId("contribution-global"))).resolves.toBe("60");

    // The ledger history: the award, then the correction with who and why.
    await row("bob").getByTestId("history-button").click();
    const history = page.getByTestId("history-dialog");
    await poll(() =>
      history
        .getByTestId("history-entry")
        .evaluateAll((es) => es.map((e) => (e as HTMLElement).dataset.kind)),
    ).toEqual(["award", "correction"]);
    const correction = history.getByTestId("history-entry").nth(1);
    await expect(text(correction)).resolves.toContain("+20 points · +30 global");
    await expect(text(correction)).resolves.toContain("by admin");
    await expect(text(correction)).resolves.toContain("Reviewed twice the size we first counted");
    await screenshot(page, "points-history-dialog", false);
    await history.getByRole("button", { name: "Close" }).click();
    await poll(() => history.count()).toBe(0);

    await openBoard();
    await poll(() => boardRows(page)).toEqual([
      { rank: 1, username: "bob", points: "60" },
      { rank: 2, username: "carol", points: "45" },
      { rank: 3, username: "dave", points: "15" },
    ]);
  });

  it("shows the server's refusal in the dialog and keeps it open", async () => {
    await openContributions();
    await row("dave").getByTestId("correct-button").click();
    const dialog = page.getByTestId("correct-dialog");
    await dialog.getByTestId("correct-points").fill("12");
    await dialog.getByTestId("correct-reason").fill("Late fix");
    // Someone else revokes it meanwhile: the API answers 409 and the dialog says why.
    await call("DELETE", `/api/contributions/${awards.dave}`, { reason: "Duplicate" });
    await dialog.getByTestId("correct-confirm").click();
    await poll(() => text(dialog.getByTestId("correct-error"))).toBe(
      "A revoked contribution cannot be corrected",
    );
    await expect(dialog.getByTestId("correct-reason").inputValue()).resolves.toBe("Late fix");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await poll(() => dialog.count()).toBe(0);
  });

  it("revokes a contribution with a reason and the board drops it", async () => {
    await openContributions();
    await row("carol").getByTestId("revoke-button").click();
    const dialog = page.getByTestId("revoke-dialog");
    await expect(text(dialog.getByTestId("revoke-global"))).resolves.toBe("45");
    await dialog.getByTestId("revoke-confirm").click();
    await poll(() => text(dialog)).toContain("Give a reason");
    await dialog.getByTestId("revoke-reason").fill("Not a review of ours");
    await dialog.getByTestId("revoke-confirm").click();

    await poll(() => text(row("carol").getByTestId("contribution-status"))).toBe("Revoked");
    await expect(text(row("carol"))).resolves.toContain("Not a review of ours");
    await expect(row("carol").getByTestId("correct-button").count()).resolves.toBe(0);
    await expect(text(page.getByTestId("contributions-notice"))).resolves.toBe("Revoked 45 points of carol.");
    await screenshot(page, "points-contributions-admin");

    await openBoard();
    await poll(() => boardRows(page)).toEqual([{ rank: 1, username: "bob", points: "60" }]);
  });
});
