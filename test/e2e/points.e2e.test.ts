// The points pages in a real browser against the real server: the leaderboard follows awards live
// (SSE, no reload), and an admin awards points through the form, sees the frozen multiplier and
// global points, then revokes with a reason and watches the board drop the points.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import {
  type ApiCall,
  boardRows,
  DEMO_ADMIN,
  fieldError,
  markWindow,
  PHONE,
  poll,
  type Session,
  screenshot,
  sidewaysOverflow,
  text,
  useBrowserSuite,
} from "./journeys.ts";
import {
  addMultiplier,
  awardAll,
  createCategoryWithType,
  daysFromNow,
  seedCampaignWithShares,
} from "./points-seed.ts";

describe.skipIf(isBrowserUnavailable)("points pages", () => {
  const suite = useBrowserSuite();
  let admin: Session;
  let call: ApiCall;
  /** A category and type of this test file only, so its board holds nothing but our awards. */
  const slug = `e2e-${randomUUID().slice(0, 8)}`;
  const board = `category:${slug}`;
  let typeId: string;

  const award = (username: string, points: number) =>
    call<{ id: string; globalPoints: string }>("POST", "/api/contributions", {
      username,
      contributionTypeId: typeId,
      points,
    });

  beforeAll(async () => {
    admin = await suite.login(DEMO_ADMIN);
    call = suite.as(admin);
    typeId = await createCategoryWithType(
      call,
      { name: "E2E Testing", slug, description: "Browser tests" },
      { name: "E2E review", slug: `${slug}-review` },
    );
    // 1.5 from yesterday: awards dated now get it, so global points are points x 1.5.
    await addMultiplier(call, typeId, "1.5", "E2E boost");
  });

  it("updates ranks and points live when points are awarded through the API", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/leaderboard?board=${encodeURIComponent(board)}`);
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
    await screenshot(page, "points-leaderboard-live");

    await award("bob", 20); // bob 60: tied with carol, standard competition ranking
    await poll(async () => (await boardRows(page)).map((r) => r.rank)).toEqual([1, 1]);
    await expect(stillSamePage()).resolves.toBe(true);

    // Search narrows the same board.
    await page.getByTestId("board-search").fill("car");
    await poll(async () => (await boardRows(page)).map((r) => r.username)).toEqual(["carol"]);
    expect(new URL(page.url()).searchParams.get("q")).toBe("car");
  });

  it("awards through the admin form, shows the frozen multiplier, then revokes with a reason", async () => {
    const page = await suite.openSignedIn(admin);
    // A second tab keeps the board open to see the revocation arrive live.
    const boardPage = await page.context().newPage();
    await boardPage.goto(`${suite.url}/leaderboard?board=${encodeURIComponent(board)}`);
    await poll(() => text(boardPage.getByTestId("live-status"))).toBe("Live");
    const before = await boardRows(boardPage);
    expect(before.some((r) => r.username === "dave")).toBe(false);

    await page.goto(`${suite.url}/admin/awards`);
    const form = page.getByTestId("award-form");
    const focusedId = () => page.evaluate(() => document.activeElement?.id);
    // The date input refuses future dates: its max is now, in the input's UTC minutes.
    await expect(form.getByTestId("award-date").getAttribute("max")).resolves.toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d$/,
    );

    // An unknown participant: the server's message under the Participant field, which gets the focus.
    await form.getByTestId("award-username").fill("nobody-e2e");
    await form.getByTestId("award-type").selectOption(typeId);
    await form.getByTestId("award-points").fill("10");
    await form.getByTestId("award-submit").click();
    await poll(() => text(form.getByTestId("award-username-error"))).toBe('No participant "nobody-e2e"');
    await expect(form.getByTestId("award-username").getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(form.getByTestId("award-username").getAttribute("aria-describedby")).resolves.toBe(
      "a-user-error",
    );
    await poll(focusedId).toBe("a-user");
    await expect(page.getByTestId("award-error").count()).resolves.toBe(0);

    await form.getByTestId("award-username").fill("dave");
    await expect(form.getByTestId("award-username-error").count()).resolves.toBe(0);
    await expect(form.getByTestId("award-points").getAttribute("max")).resolves.toBe("100");

    // Out of the type's range: the server's 422 is shown under Points and nothing is awarded.
    await form.getByTestId("award-points").fill("150");
    await form.getByTestId("award-points").evaluate((input) => input.removeAttribute("max"));
    await form.getByTestId("award-submit").click();
    await poll(() => text(form.getByTestId("award-points-error"))).toBe(
      "Points must be between 1 and 100 for this type.",
    );
    await expect(form.getByTestId("award-points").getAttribute("aria-invalid")).resolves.toBe("true");
    await poll(focusedId).toBe("a-points");

    await form.getByTestId("award-points").fill("35");
    await form.getByLabel("Notes").fill("Reviewed the e2e suite");
    await form.getByTestId("add-evidence").click();
    await form.getByTestId("evidence-url").fill("https://example.org/pr/42");
    await form.getByTestId("award-submit").click();

    const result = page.getByTestId("award-result");
    await poll(() => text(result.getByTestId("award-multiplier"))).toBe("1.5");
    await expect(text(result.getByTestId("award-global"))).resolves.toBe("52.5");
    await screenshot(page, "points-award-result");

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
    await screenshot(page, "points-revoke-dialog", false);
    await dialog.getByTestId("revoke-confirm").click();

    await poll(() => text(page.getByTestId("revoke-notice"))).toContain("Revoked 52.5 points of dave");
    const revoked = page.getByTestId("contribution-row").first();
    await poll(() => text(revoked.getByTestId("contribution-status"))).toBe("Revoked");
    await expect(text(revoked)).resolves.toContain("Duplicate of an earlier award");
    await poll(async () => (await boardRows(boardPage)).some((r) => r.username === "dave")).toBe(false);

    // The ledger keeps both entries.
    await page.goto(`${suite.url}/admin/ledger?user=dave`);
    await poll(() =>
      page.getByTestId("ledger-row").evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.kind)),
    ).toEqual(expect.arrayContaining(["revocation", "award"]));
    // One contribution's history is named by its type and participant, not by its id.
    await page.getByTestId("ledger-row").first().getByRole("link", { name: "History" }).click();
    await poll(() => text(page.getByTestId("ledger-contribution"))).toBe("History of E2E review for dave");
    // A username nobody has is named under the filter, which is marked invalid.
    await page.goto(`${suite.url}/admin/ledger?user=nobody-e2e`);
    await poll(() => text(page.getByTestId("ledger-user-error"))).toBe('No participant named "nobody-e2e"');
    expect(await page.getByTestId("ledger-user").getAttribute("aria-invalid")).toBe("true");
    // The message sits on a row of its own: the field stays level with its Filter button.
    const field = await page.getByTestId("ledger-user").boundingBox();
    const button = await page.getByRole("button", { name: "Filter", exact: true }).boundingBox();
    expect(Math.abs((field?.y ?? 0) - (button?.y ?? 99))).toBeLessThan(2);
    await poll(() => text(page.getByTestId("ledger-table").locator("td.empty"))).toBe("No such participant.");
  });

  it("adds a multiplier only after the change is confirmed in words", async () => {
    type MultiplierRow = { value: string; validFrom: string };
    const rows = async () =>
      (
        await call<{ items: MultiplierRow[] }>(
          "GET",
          `/api/leaderboard/multipliers?contributionType=${typeId}`,
        )
      ).items;
    const before = (await rows()).length;
    const tomorrow = `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T00:00`;
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/multipliers`);
    const form = page.getByTestId("multiplier-form");
    const focusedId = () => page.evaluate(() => document.activeElement?.id);

    // Nothing is prefilled: adding asks for a type first, and says what is wrong with the value.
    await expect(form.getByTestId("multiplier-value").inputValue()).resolves.toBe("");
    await expect(form.getByTestId("multiplier-type").inputValue()).resolves.toBe("");
    await form.getByTestId("multiplier-submit").click();
    await poll(focusedId).toBe("m-type");
    await form.getByTestId("multiplier-type").selectOption(typeId);
    await form.getByTestId("multiplier-value").fill("1,75");
    await form.getByTestId("multiplier-from").fill(tomorrow);
    await form.getByTestId("multiplier-submit").click();
    await poll(() => text(form.getByTestId("multiplier-value-error"))).toBe("Use a dot for decimals: 1.75.");
    await poll(focusedId).toBe("m-value");

    // The change in words; cancelling saves nothing.
    await form.getByTestId("multiplier-value").fill("1.75");
    await form.getByTestId("multiplier-submit").click();
    const dialog = page.getByTestId("multiplier-confirm-dialog");
    await poll(() => text(dialog.getByTestId("multiplier-change"))).toMatch(
      /^E2E review: ×1\.5 → ×1\.75 for contributions dated from .+ UTC; points already awarded do not change\.$/,
    );
    await screenshot(page, "points-multiplier-confirm", false);
    await dialog.getByTestId("multiplier-cancel").click();
    await poll(() => dialog.count()).toBe(0);
    await expect(rows()).resolves.toHaveLength(before);

    // Confirmed: saved, and the notice names the type.
    await form.getByTestId("multiplier-submit").click();
    await dialog.getByTestId("multiplier-confirm").click();
    await poll(() => text(page.getByTestId("multiplier-notice"))).toMatch(
      /^E2E review: ×1\.75 for contributions dated from /,
    );
    const after = await rows();
    expect(after).toHaveLength(before + 1);
    expect(after.find((m) => m.value === "1.75")?.validFrom).toBe(`${tomorrow}:00.000Z`);
  });

  it("shows a refused category or contribution type under the field the server names", async () => {
    const page = await suite.openSignedIn(admin);
    const focusedId = () => page.evaluate(() => document.activeElement?.id);

    await page.goto(`${suite.url}/admin/categories`);
    const categoryForm = page.getByTestId("category-form");
    await categoryForm.getByLabel("Name").fill("Another E2E");
    const categorySlug = categoryForm.getByLabel("Slug");
    await categorySlug.fill(slug);
    await categoryForm.getByRole("button", { name: "Create category" }).click();
    await poll(() => fieldError(categorySlug)).toBe(
      `Another category uses the slug "${slug}": choose another one.`,
    );
    await poll(focusedId).toBe("cat-slug");
    await expect(categoryForm.getByRole("alert").count()).resolves.toBe(0);
    // Typing a new slug clears the message.
    await categorySlug.fill(`${slug}-other`);
    await poll(() => fieldError(categorySlug)).toBe("");

    await page.goto(`${suite.url}/admin/types`);
    await page.getByTestId("new-type").click();
    const typeForm = page.getByTestId("type-form");
    await typeForm.getByLabel("Name").fill("Duplicate review");
    const typeSlug = typeForm.getByLabel("Slug");
    await typeSlug.fill(`${slug}-review`);
    await typeForm.getByRole("button", { name: "Create type" }).click();
    await poll(() => fieldError(typeSlug)).toBe(
      `Another contribution type uses the slug "${slug}-review": choose another one.`,
    );
    await poll(focusedId).toBe("t-slug");
    await expect(typeForm.getByRole("alert").count()).resolves.toBe(0);
    await screenshot(page, "points-type-slug-taken");
  });

  it("says a snapshot does not exist when the link is wrong, instead of loading forever", async () => {
    // A campaign that has not started: no scheduled run freezes it, whenever this runs (a category
    // board is frozen by the daily run a server started within an hour after midnight UTC catches up on).
    const unfrozen = `${slug}-later`;
    await call("POST", "/api/campaigns", {
      slug: unfrozen,
      name: "E2E later",
      startsAt: daysFromNow(30),
      endsAt: daysFromNow(40),
    });
    const page = await suite.openSignedIn(admin);
    for (const id of [randomUUID(), "not-a-snapshot"]) {
      await page.goto(`${suite.url}/admin/snapshots/${id}`);
      const card = page.getByTestId("snapshot-error");
      await poll(() => text(card.getByRole("heading"))).toBe("No such snapshot");
      await expect(text(page.locator("main"))).resolves.not.toMatch(/Loading|params\.id/);
    }
    // The list filtered to a board never frozen says so, rather than "no snapshots" at all.
    await page.getByRole("link", { name: "← All snapshots" }).click();
    await page.getByTestId("snapshot-filter").selectOption(`campaign:${unfrozen}`);
    await poll(() => text(page.getByTestId("snapshots-table").locator("td.empty"))).toBe(
      "No snapshots of this board yet.",
    );
  });

  it("shows the signed-in participant's own rank, a page past the end and a reversed range", async () => {
    // A board of this test's own: bob 30, carol 20, admin 10.
    const meSlug = `${slug}-me`;
    const meBoard = `category:${meSlug}`;
    const meType = await createCategoryWithType(
      call,
      { name: "E2E Me", slug: meSlug },
      { name: "E2E me task", slug: `${meSlug}-task` },
    );
    await awardAll(call, meType, [
      ["bob", 30],
      ["carol", 20],
      ["admin", 10],
    ]);
    const page = await suite.openSignedIn(admin);
    const boardUrl = `${suite.url}/leaderboard?board=${encodeURIComponent(meBoard)}`;
    const boardRequests: string[] = [];
    page.on("request", (r) => {
      if (new URL(r.url()).pathname === "/api/leaderboard") boardRequests.push(r.url());
    });

    // Item: "You: #3 of 3 · 10 pts", and the own row says "You" in words.
    await page.goto(boardUrl);
    await poll(() => text(page.getByTestId("my-rank"))).toMatch(/^You: #3 of 3 · 10 pts/);
    await expect(text(page.locator('tr[data-username="admin"]').getByTestId("you-tag"))).resolves.toBe("You");
    await expect(page.getByTestId("you-tag").count()).resolves.toBe(1);
    await poll(() => text(page.getByTestId("live-status"))).toBe("Live");
    // Live: new points move the card without a reload.
    await awardAll(call, meType, [["admin", 25]]);
    await poll(() => text(page.getByTestId("my-rank"))).toMatch(/^You: #1 of 3 · 35 pts/);
    // From a search that hides the own row, "Go to my row" clears the search and focuses the row.
    await page.getByTestId("board-search").fill("bob");
    await poll(async () => (await boardRows(page)).map((r) => r.username)).toEqual(["bob"]);
    await page.getByTestId("go-to-my-row").click();
    await poll(() => page.evaluate(() => document.activeElement?.closest("tr")?.dataset.username)).toBe(
      "admin",
    );
    expect(new URL(page.url()).searchParams.get("q")).toBeNull();
    await screenshot(page, "points-leaderboard-my-rank");

    // A page past the end says so and links back, and the pager never starts past the total.
    await page.goto(`${boardUrl}&offset=25`);
    await poll(() => text(page.getByTestId("past-end"))).toContain("This page is past the end of the board");
    await expect(page.getByTestId("board-row").count()).resolves.toBe(0);
    await expect(page.getByText("No points on this board").count()).resolves.toBe(0);
    await expect(page.getByTestId("pager-range").count()).resolves.toBe(0);
    await page.getByTestId("first-page").click();
    await poll(async () => (await boardRows(page)).length).toBe(3);
    await expect(text(page.getByTestId("pager-range"))).resolves.toBe("1–3 of 3");
    // Everything fits on one page: no Previous/Next that can never be used.
    await expect(page.getByTestId("pager-buttons").count()).resolves.toBe(0);

    // The period switch is one stop in the tab order; arrow keys choose the period.
    await page.getByTestId("period-all").focus();
    await page.keyboard.press("ArrowRight");
    await poll(() => new URL(page.url()).searchParams.get("period")).toBe("week");
    await expect(page.getByTestId("period-week").getAttribute("aria-checked")).resolves.toBe("true");
    await expect(page.getByTestId("period-week").evaluate((b) => b === document.activeElement)).resolves.toBe(
      true,
    );
    await expect(page.getByTestId("period-all").getAttribute("tabindex")).resolves.toBe("-1");
    await page.keyboard.press("End");
    await poll(() => new URL(page.url()).searchParams.get("period")).toBe("custom");
    // A custom range starts as the last 30 days, today included, and shows that board at once.
    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.parse(today) - 29 * 86_400_000).toISOString().slice(0, 10);
    await poll(() => page.getByTestId("range-from").inputValue()).toBe(monthAgo);
    await expect(page.getByTestId("range-to").inputValue()).resolves.toBe(today);
    await poll(() => boardRequests.some((u) => u.includes("period=custom") && u.includes(monthAgo))).toBe(
      true,
    );
    // The own rank over the range, as on the other periods.
    await poll(() => text(page.getByTestId("my-rank"))).toMatch(/^You: #1 of 3 · 35 pts/);

    // A reversed custom range is flagged under To, is not requested, and cannot be exported.
    await page.getByTestId("period-custom").click();
    await page.getByTestId("range-from").fill("2026-03-10");
    await poll(() => new URL(page.url()).searchParams.get("from")).toBe("2026-03-10");
    // (The range from 2026-03-10 to today is a board of its own: let its request go out first.)
    await poll(() => boardRequests.some((u) => u.includes("2026-03-10"))).toBe(true);
    const requestsBefore = boardRequests.length;
    await page.getByTestId("range-to").fill("2026-03-01");
    await poll(() => text(page.getByTestId("range-error"))).toBe(
      "End date must be on or after the start date.",
    );
    const to = page.getByTestId("range-to");
    await expect(to.getAttribute("aria-invalid")).resolves.toBe("true");
    await expect(to.getAttribute("aria-describedby")).resolves.toBe(
      await page.getByTestId("range-error").getAttribute("id"),
    );
    await expect(page.getByTestId("board-csv").isDisabled()).resolves.toBe(true);
    await expect(page.getByTestId("board-error").count()).resolves.toBe(0);
    await expect(page.getByTestId("my-rank").count()).resolves.toBe(0);
    expect(boardRequests.slice(requestsBefore)).toEqual([]);
    await screenshot(page, "points-leaderboard-reversed-range");
    // Fixed: the board loads and the CSV link is back.
    await page.getByTestId("range-to").fill("2026-03-20");
    await poll(() => page.getByTestId("range-error").count()).toBe(0);
    await poll(() => page.locator('a[data-testid="board-csv"]').count()).toBe(1);
    await poll(() => text(page.getByTestId("my-rank"))).toBe("You: not on this board in this range");

    // A board that does not exist says so, with neither a live status nor an export.
    await page.goto(`${suite.url}/leaderboard?board=${encodeURIComponent(`category:${slug}-gone`)}`);
    await poll(() => text(page.getByTestId("board-title"))).toBe("No such board");
    await expect(page.getByTestId("live-status").count()).resolves.toBe(0);
    await expect(page.getByTestId("board-csv").count()).resolves.toBe(0);
  });

  it("shows a participant profile and the campaign page, and fits a 390 px screen", async () => {
    const page = await suite.openSignedIn(admin, PHONE);
    // Two snapshots milliseconds apart, as a scheduled run takes them.
    await call("POST", "/api/leaderboard/snapshots", { board: "global", label: "e2e" });
    await call("POST", "/api/leaderboard/snapshots", { board: "global", label: "e2e again" });
    await page.goto(`${suite.url}/leaderboard`);
    await poll(async () => (await boardRows(page)).length).toBeGreaterThan(0);
    await screenshot(page, "points-leaderboard-mobile");
    // Nothing sticks out sideways (wide tables scroll inside their own box).
    await expect(sidewaysOverflow(page)).resolves.toBe(0);

    await page.goto(`${suite.url}/participants/carol`);
    await poll(() => text(page.getByTestId("profile-name"))).toBe("Carol");
    await expect(page.getByTestId("points-chart").locator("path").count()).resolves.toBeGreaterThan(0);
    await expect(page.getByTestId("rank-chart").locator("circle").count()).resolves.toBeGreaterThan(1);
    // The demo's three weeks of daily snapshots spread over the chart; the two just taken (and the
    // demo's run of this midnight) are less than a day apart, so they sit together at its right end.
    const xs = (
      (await page
        .getByTestId("rank-chart")
        .locator("circle")
        .evaluateAll((cs) => cs.map((c) => Number(c.getAttribute("cx"))))) as number[]
    ).sort((a, b) => a - b);
    expect(xs.at(-1)! - xs[0]).toBeGreaterThan(100);
    expect(xs.at(-1)! - xs.at(-2)!).toBeLessThan(10);
    await screenshot(page, "points-profile-mobile");

    // A campaign of its own type: admin 10 and erin 30 points split a 100 TKN pool 25 / 75.
    const campaignSlug = `${slug}-drive`;
    await seedCampaignWithShares(call, {
      category: slug,
      type: { name: "E2E campaign task", slug: `${slug}-task` },
      campaign: {
        slug: campaignSlug,
        name: "E2E drive",
        description: "Shares for the browser test",
        endsAt: daysFromNow(10),
      },
    });
    await page.goto(`${suite.url}/campaigns/${campaignSlug}`);
    await poll(() => text(page.getByTestId("campaign-name"))).toBe("E2E drive");
    await poll(() => text(page.getByTestId("campaign-pool"))).toBe("100");
    await poll(() => text(page.getByTestId("my-share-value"))).toBe("25.00 TKN");
    await poll(async () =>
      (await page.getByTestId("row-share").allTextContents()).map((t) => t.trim()),
    ).toEqual(["75.00", "25.00"]);
    await expect(page.getByTestId("countdown").isVisible()).resolves.toBe(true);
    await expect(sidewaysOverflow(page)).resolves.toBe(0);
    await screenshot(page, "points-campaign-mobile");
  });
});
