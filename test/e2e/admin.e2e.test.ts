// The admin pages as a program manager (admin) and a reviewer (steward) use them: what each role is
// offered, and the admin's everyday tasks end to end.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { type ApiCall, DEMO_ADMIN, PHONE, poll, type Session, text, useBrowserSuite } from "./journeys.ts";
import { addMultiplier, awardAll, freshCategoryWithType } from "./points-seed.ts";

const DEMO_PASSWORD = "Merit-demo-2026!";

describe.skipIf(isBrowserUnavailable)("admin pages", () => {
  const suite = useBrowserSuite();
  let admin: Session;
  let call: ApiCall;
  let steward: Session;

  beforeAll(async () => {
    admin = await suite.login(DEMO_ADMIN);
    call = suite.as(admin);
    // The demo member frank becomes a steward through the users admin's API.
    const users = await call<{ items: Array<{ id: string; username: string }> }>(
      "GET",
      "/api/admin/users?search=frank",
    );
    const frank = users.items.find((u) => u.username === "frank");
    if (!frank) throw new Error("The demo data has no frank");
    await call("PATCH", `/api/admin/users/${frank.id}`, { roles: ["member", "steward"] });
    steward = await suite.login({ login: "frank", password: DEMO_PASSWORD });
  });

  it("offers a steward no form of the admin-only actions, and says who may", async () => {
    const page = await suite.openSignedIn(steward);
    const pages = [
      ["/admin/categories", "category-form", "Only admins create categories."],
      ["/admin/multipliers", "multiplier-form", "Only admins add multipliers."],
      ["/admin/snapshots", "snapshot-form", "Only admins take snapshots and set their schedule."],
    ] as const;
    for (const [path, form, note] of pages) {
      await page.goto(`${suite.url}${path}`);
      await expect(page.getByTestId("admin-only").textContent()).resolves.toBe(note);
      expect(await page.getByTestId(form).count(), path).toBe(0);
    }
    await page.goto(`${suite.url}/admin/types`);
    await poll(() => page.getByTestId("type-row").count()).toBeGreaterThan(0);
    expect(await page.getByTestId("new-type").count()).toBe(0);
    expect(await page.getByTestId("edit-type").count()).toBe(0);
    await expect(page.getByText("Only admins create and edit types.").count()).resolves.toBe(1);

    // The admin still has every form.
    const adminPage = await suite.openSignedIn(admin);
    for (const [path, form] of pages) {
      await adminPage.goto(`${suite.url}${path}`);
      await adminPage.getByTestId(form).waitFor();
      expect(await adminPage.getByTestId("admin-only").count(), path).toBe(0);
    }
    await adminPage.goto(`${suite.url}/admin/types`);
    await adminPage.getByTestId("new-type").waitFor();
    await poll(() => adminPage.getByTestId("edit-type").count()).toBeGreaterThan(0);
  });

  it("renames a category in place: its slug and board stay, a blank name is refused, stewards get no Edit", async () => {
    const slug = `fix-${randomUUID().slice(0, 8)}`;
    const made = await call<{ id: string }>("POST", "/api/categories", { name: "Comunity typo", slug });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/categories`);
    await page.locator(`#edit-${made.id}`).click();
    const form = page.getByTestId("category-form");
    await expect(text(form.locator("h2"))).resolves.toBe("Edit “Comunity typo”");
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe("cat-name");
    expect(await page.locator("#cat-slug").inputValue()).toBe(slug);
    expect(await page.locator("#cat-slug").getAttribute("readonly")).not.toBeNull();

    // A blank name is refused under the field, and nothing changes.
    await page.locator("#cat-name").fill("   ");
    await form.getByRole("button", { name: "Save changes" }).click();
    await poll(() => text(page.locator("#cat-name-error"))).toBe("Name must not be blank.");

    await page.locator("#cat-name").fill("Community");
    await page.locator("#cat-desc").fill("Posts, talks and meetups");
    await form.getByRole("button", { name: "Save changes" }).click();
    await poll(() => text(form.getByRole("status"))).toBe("Saved “Community”.");
    const row = page.getByTestId("categories-table").locator("tr", { has: page.locator(`#edit-${made.id}`) });
    await expect(text(row.locator(".name strong"))).resolves.toBe("Community");
    await expect(text(row.locator("code"))).resolves.toBe(slug);
    await poll(() => page.evaluate(() => document.activeElement?.id)).toBe(`edit-${made.id}`);
    await expect(text(form.locator("h2"))).resolves.toBe("New category");
    const saved = await call<{ items: Array<{ id: string; name: string; description: string | null }> }>(
      "GET",
      "/api/categories",
    );
    expect(saved.items.find((c) => c.id === made.id)).toMatchObject({
      name: "Community",
      description: "Posts, talks and meetups",
    });

    const stewardPage = await suite.openSignedIn(steward);
    await stewardPage.goto(`${suite.url}/admin/categories`);
    await stewardPage.getByTestId("admin-only").waitFor();
    await poll(() => stewardPage.getByTestId("categories-table").locator("tbody tr").count()).toBeGreaterThan(
      1,
    );
    expect(await stewardPage.getByRole("button", { name: /^Edit / }).count()).toBe(0);
  });

  it("opens a type's multiplier timeline from the types page, scrolled into view and outlined", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/types`);
    // The last type of the demo: its timeline is far below the first screen.
    await page.locator('[data-testid="type-row"][data-slug="node-uptime"] a').click();
    await page.waitForURL(/\/admin\/multipliers#type-node-uptime$/);
    const card = page.locator("#type-node-uptime");
    await poll(() => card.evaluate((el) => el.classList.contains("target"))).toBe(true);
    await poll(() =>
      card.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.bottom <= window.innerHeight;
      }),
    ).toBe(true);
    expect(await page.locator(".timeline.target").count()).toBe(1);
  });

  it("lists a campaign's snapshot under every board and names the board by the campaign's name, with the shares it froze", async () => {
    const snap = await call<{ id: string }>("POST", "/api/leaderboard/snapshots", {
      board: "campaign:vtx-signature",
      label: "Mid-campaign check",
    });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/snapshots`);
    const row = page.getByTestId("snapshots-table").locator("tr", { hasText: "Mid-campaign check" });
    await poll(() => text(row.locator("td.board"))).toBe("VTX signature campaign (demo)");
    await row.getByRole("link", { name: "View →" }).click();
    await page.waitForURL(`**/admin/snapshots/${snap.id}`);
    await poll(() => text(page.getByRole("heading", { level: 1 }))).toBe(
      "VTX signature campaign (demo) · All time",
    );
    // The shares frozen with it, in the pool's token, beside the points.
    const frozen = await call<{ items: Array<{ username: string; share?: string }> }>(
      "GET",
      `/api/leaderboard/snapshots/${snap.id}`,
    );
    expect(frozen.items.length).toBeGreaterThan(0);
    await poll(() => text(page.getByTestId("board-table").locator("thead"))).toContain("Est. share (VTX)");
    const shown = await page
      .getByTestId("row-share")
      .evaluateAll((cells) => cells.map((c) => c.getAttribute("title")));
    expect(shown).toEqual(frozen.items.map((i) => `${i.share} VTX`));

    // The pool is frozen with them: after the campaign's token changes (on its forum campaign, which
    // owns it), the snapshot still reads VTX.
    await call("PATCH", "/api/forum/campaigns/vtx-signature", { poolToken: "NEWTKN" });
    try {
      await page.reload();
      await poll(() => text(page.getByTestId("board-table").locator("thead"))).toContain("Est. share (VTX)");
      await expect(text(page.locator(".page-head p.muted"))).resolves.toMatch(/ · pool [0-9,.]+ VTX$/);
      expect(await page.getByText("NEWTKN").count()).toBe(0);
    } finally {
      await call("PATCH", "/api/forum/campaigns/vtx-signature", { poolToken: "VTX" });
    }
  });

  it("wraps a long reason in the ledger instead of pushing the contribution column out of sight", async () => {
    const types = await call<{ items: Array<{ id: string; slug: string }> }>(
      "GET",
      "/api/contributions/types",
    );
    const docs = types.items.find((t) => t.slug === "docs");
    const awarded = await call<{ id: string }>("POST", "/api/contributions", {
      username: "grace",
      contributionTypeId: docs?.id,
      points: 20,
    });
    const reason =
      "The reviewer re-read the pull request and found that the second commit, which adds the integration tests, was hers too";
    await call("POST", `/api/contributions/${awarded.id}/corrections`, { points: 21, reason });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/ledger?user=grace`);
    const row = page.getByTestId("ledger-row").first();
    await poll(() => text(row.locator("td.reason"))).toBe(reason);
    const wrap = page.locator(".table-wrap");
    expect(await wrap.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const contribution = await row.locator("td.contribution").boundingBox();
    const visible = await wrap.boundingBox();
    expect(contribution && visible && contribution.x + contribution.width).toBeLessThanOrEqual(
      (visible?.x ?? 0) + (visible?.width ?? 0),
    );
  });

  it("hands the focus back after a correction and to the notice after a revocation", async () => {
    const { slug, typeId } = await freshCategoryWithType(call, "focus", {
      category: "Admin focus",
      type: "Focus check",
    });
    await awardAll(call, typeId, [["heidi", 10]]);
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/contributions?type=${slug}`);
    const correct = page.getByTestId("correct-button");
    await correct.focus();
    await page.keyboard.press("Enter");
    await page.getByTestId("correct-points").fill("12");
    await page.getByTestId("correct-reason").fill("Counted twice");
    await page.getByTestId("correct-confirm").press("Enter");
    await poll(() => text(page.getByTestId("contributions-notice"))).toContain("from 10 to 12 points");
    await poll(() => correct.evaluate((el) => el === document.activeElement)).toBe(true);

    await page.getByTestId("revoke-button").press("Enter");
    await page.getByTestId("revoke-reason").fill("Not a real contribution");
    await page.getByTestId("revoke-confirm").press("Enter");
    const notice = page.getByTestId("contributions-notice");
    await poll(() => text(notice)).toBe("Revoked 12 points of heidi.");
    await poll(() => notice.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("asks before granting or taking away the admin role, and changes nothing on Cancel", async () => {
    const rolesOf = async (username: string) =>
      (
        await call<{ items: Array<{ username: string; roles: string[] }> }>(
          "GET",
          `/api/admin/users?search=${username}`,
        )
      ).items.find((u) => u.username === username)?.roles;
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/users`);
    const chip = page.getByTestId("user-row-grace").getByRole("button", { name: "admin", exact: true });
    await chip.click();
    const dialog = page.getByTestId("admin-role-dialog");
    await poll(() => text(dialog.locator("h2"))).toBe("Make grace an admin?");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await poll(() => dialog.count()).toBe(0);
    expect(await rolesOf("grace")).not.toContain("admin");
    await expect(chip.getAttribute("aria-pressed")).resolves.toBe("false");

    await chip.click();
    await page.getByTestId("admin-role-confirm").click();
    await poll(() => chip.getAttribute("aria-pressed")).toBe("true");
    expect(await rolesOf("grace")).toContain("admin");

    await chip.click();
    await poll(() => text(dialog.locator("h2"))).toBe("Remove grace's admin role?");
    await page.getByTestId("admin-role-confirm").click();
    await poll(() => chip.getAttribute("aria-pressed")).toBe("false");
    expect(await rolesOf("grace")).toEqual(["member"]);
  });

  it("leads from the admin overview to the campaigns, which are managed on their own pages", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin`);
    await page.getByRole("link", { name: /^Campaigns Windows, reward pools/ }).click();
    await page.waitForURL(`${suite.url}/campaigns`);
    await page.getByTestId("new-campaign").waitFor();
  });

  it("shows a role change in the audit log in words, not as JSON", async () => {
    const log = await call<{ items: Array<{ type: string; details: { to: string[]; from: string[] } }> }>(
      "GET",
      "/api/admin/audit-log?user=frank&type=role.changed",
    );
    const [change] = log.items;
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/audit-log`);
    await page.getByLabel("User").fill("frank");
    await page.getByLabel("Event type").fill("role.changed");
    const details = page.getByTestId("audit-table").locator("td.details").first();
    await poll(() => text(details)).toBe(
      `to: ${change.details.to.join(", ")} · from: ${change.details.from.join(", ")}`,
    );
    expect(await text(details)).not.toMatch(/[[\]"]/);

    // A name that is no account's says so under the field, not in an alert, and lists nothing.
    await page.getByLabel("User").fill("frank-not-here");
    await poll(() => text(page.locator("#user-error"))).toBe("No account is named “frank-not-here”.");
    await expect(page.getByText("No events match.").count()).resolves.toBe(1);
    expect(await page.getByRole("alert").count()).toBe(0);
    await page.getByLabel("User").fill("frank");
    await page.getByTestId("audit-table").waitFor();
    expect(await page.locator("#user-error").count()).toBe(0);
  });

  it("moves the focus into the type form when New type or a row's Edit opens it", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/types`);
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
    await page
      .locator('[data-testid="type-row"][data-slug="node-uptime"]')
      .getByTestId("edit-type")
      .press("Enter");
    await poll(focusedId).toBe("t-name");
    await expect(page.locator("#t-name").inputValue()).resolves.toBe("Node uptime");
    const row = page.locator('[data-testid="type-row"][data-slug="node-uptime"]').getByTestId("edit-type");
    const rowEdit = await row.getAttribute("id");
    // Closing the form gives the focus back to the row's Edit, whether cancelled or saved.
    await page.getByRole("button", { name: "Cancel" }).click();
    await poll(focusedId).toBe(rowEdit);
    await row.press("Enter");
    await poll(focusedId).toBe("t-name");
    await page.locator("#t-name").press("Enter");
    await poll(() => text(page.getByRole("status"))).toBe("Saved “Node uptime”.");
    await poll(focusedId).toBe(rowEdit);
    await page.getByTestId("new-type").press("Enter");
    await poll(focusedId).toBe("t-name");
    await expect(page.locator("#t-name").inputValue()).resolves.toBe("");
    await page.getByRole("button", { name: "Cancel" }).click();
    await poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe(
      "new-type",
    );
  });

  it("sets and clears a type's caps from its form", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/types`);
    const row = page.locator('[data-testid="type-row"][data-slug="event-hosting"]');
    const caps = () => text(row.locator("td.caps"));
    await poll(caps).toBe("none");
    // Number inputs hand the form numbers, and null once emptied: both used to break the save.
    await row.getByTestId("edit-type").click();
    await page.locator("#t-cap-total").fill("900");
    await page.locator("#t-cap-week").fill("120");
    await page.getByRole("button", { name: "Save changes" }).click();
    await poll(() => text(page.getByRole("status"))).toBe("Saved “Event hosting”.");
    await poll(caps).toMatch(/^900 total ?120 per person a week$/);
    await row.getByTestId("edit-type").click();
    await page.locator("#t-cap-total").fill("");
    await page.locator("#t-cap-week").fill("");
    await page.getByRole("button", { name: "Save changes" }).click();
    await poll(caps).toBe("none");
  });

  it("dates the next award now again after a backdated one, and drops the last result when an award is refused", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/awards`);
    await page.getByTestId("award-type").selectOption({ label: "Documentation (5–50)" });
    await page.getByTestId("award-username").fill("erin");
    await page.getByTestId("award-points").fill("12");
    const date = page.getByTestId("award-date");
    await date.fill("2026-01-05T10:00");
    await page.getByTestId("award-submit").click();
    await poll(() => text(page.getByTestId("award-result"))).toContain("Documentation for Erin");
    // The backdated date does not carry over to the next award.
    const next = await date.inputValue();
    expect(next).not.toBe("2026-01-05T10:00");
    expect(Math.abs(Date.parse(`${next}:00Z`) - Date.now())).toBeLessThan(5 * 60_000);
    // A refused award: the earlier result no longer stands beside its error.
    await page.getByTestId("award-points").fill("500");
    await page.getByTestId("award-points").evaluate((input) => input.removeAttribute("max"));
    await page.getByTestId("award-submit").click();
    await poll(() => text(page.getByTestId("award-points-error"))).toContain("Points must be between");
    await expect(page.getByTestId("award-result").count()).resolves.toBe(0);
  });

  it("brings the award's result into view on a phone, where it is below the form", async () => {
    const page = await suite.openSignedIn(admin, PHONE);
    await page.goto(`${suite.url}/admin/awards`);
    await page.getByTestId("award-type").selectOption({ label: "Documentation (5–50)" });
    await page.getByTestId("award-username").fill("carol");
    await page.getByTestId("award-points").fill("30");
    await page.getByTestId("award-points").press("Enter");
    const result = page.getByTestId("award-result");
    await poll(() => text(result)).toContain("Documentation for Carol");
    await poll(() => result.evaluate((el) => el === document.activeElement)).toBe(true);
    await poll(() =>
      result.evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.top >= 0 && box.top < window.innerHeight;
      }),
    ).toBe(true);
  });

  it("names the chosen type's category in the award form, not its slug", async () => {
    await freshCategoryWithType(call, "qa", {
      category: "Quality assurance",
      type: "Test plan",
    });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/awards`);
    await page.getByTestId("award-type").selectOption({ label: "Test plan (1–100)" });
    await poll(() => text(page.locator("#a-type-hint"))).toBe("Quality assurance · multiplier now ×1");
  });

  it("says a new campaign was created and links to its board, which shows the pool's share column", async () => {
    const name = `Sprint ${randomUUID().slice(0, 6)}`;
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/campaigns`);
    await page.getByTestId("new-campaign").click();
    const form = page.getByTestId("campaign-form");
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Reward pool").check();
    await form.getByLabel("Amount").fill("5000");
    await form.getByLabel("Token").fill("VTX");
    await form.getByRole("button", { name: "Create campaign" }).click();
    const notice = page.getByTestId("campaign-created");
    await poll(() => text(notice)).toBe(`Created “${name}”. Open its board →`);
    await poll(() => notice.evaluate((el) => el === document.activeElement)).toBe(true);
    await notice.getByRole("link").click();
    await poll(() => text(page.getByTestId("campaign-name"))).toBe(name);
    await poll(() => text(page.getByRole("columnheader", { name: /Est\. share/ }))).toBe("Est. share (VTX)");
  });

  it("keeps the focus on a user's Hide button or role chip once the change is saved", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/users`);
    const row = page.getByTestId("user-row-bob");
    const isFocused = (name: string) =>
      row.getByRole("button", { name, exact: true }).evaluate((el) => el === document.activeElement);
    await row.getByRole("button", { name: "Hide", exact: true }).press("Enter");
    await poll(() => isFocused("Unhide")).toBe(true);
    // While hidden, the profile tells staff why bob has no ranks.
    const profile = await suite.openSignedIn(admin);
    await profile.goto(`${suite.url}/participants/bob`);
    await poll(() => text(profile.getByTestId("profile-unlisted"))).toBe(
      "Left out of boards: hidden, banned or deleted",
    );
    await profile.close();
    await page.keyboard.press("Enter");
    await poll(() => isFocused("Hide")).toBe(true);

    // Granting steward (awards and revocations) asks first; the focus comes back to the chip after.
    const steward = row.getByRole("button", { name: "steward", exact: true });
    await steward.press("Enter");
    await poll(() => text(page.getByTestId("admin-role-dialog").locator("h2"))).toBe("Make bob a steward?");
    await page.getByTestId("admin-role-confirm").click();
    await poll(() => steward.getAttribute("aria-pressed")).toBe("true");
    await poll(() => isFocused("steward")).toBe(true);
    await page.keyboard.press("Enter");
    await poll(() => steward.getAttribute("aria-pressed")).toBe("false");
    await poll(() => isFocused("steward")).toBe(true);
  });

  it("focuses the notice after a revocation on the award page, whose Revoke button is gone", async () => {
    const { typeId } = await freshCategoryWithType(call, "rv", {
      category: "Revoke focus",
      type: "Revoke check",
    });
    await awardAll(call, typeId, [["carol", 7]]);
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/awards`);
    const row = page.getByTestId("contribution-row").filter({ hasText: "Revoke check" });
    await row.getByTestId("revoke-button").press("Enter");
    await page.getByTestId("revoke-reason").fill("Awarded by mistake");
    await page.getByTestId("revoke-confirm").press("Enter");
    const notice = page.getByTestId("revoke-notice");
    await poll(() => text(notice)).toBe("Revoked 7 points of carol.");
    await poll(() => notice.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it("keeps the focus on a user's Ban button as it turns into Unban and back", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/users`);
    const row = page.getByTestId("user-row-heidi");
    const isFocused = (name: string) =>
      row.getByRole("button", { name, exact: true }).evaluate((el) => el === document.activeElement);
    await row.getByRole("button", { name: "Ban…", exact: true }).press("Enter");
    await page.getByTestId("ban-reason").fill("Spam");
    await page.getByTestId("ban-confirm").press("Enter");
    await poll(() => isFocused("Unban")).toBe(true);
    await page.keyboard.press("Enter");
    await poll(() => isFocused("Ban…")).toBe(true);
  });

  it("shows every step of a multiplier timeline on a phone, a scheduled one included", async () => {
    const { slug, typeId } = await freshCategoryWithType(call, "tl", {
      category: "Timeline",
      type: "Timeline check",
    });
    await addMultiplier(call, typeId, "1.5", "Boost");
    await call("POST", "/api/leaderboard/multipliers", {
      contributionTypeId: typeId,
      value: "2",
      validFrom: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      description: "Next month",
    });
    const page = await suite.openSignedIn(admin, PHONE);
    await page.goto(`${suite.url}/admin/multipliers`);
    const steps = page.locator(`#type-${slug}`).getByTestId("multiplier-step");
    await poll(() => steps.count()).toBe(3);
    const offScreen = await steps.evaluateAll(
      (items) =>
        items.filter((el) => {
          const box = el.getBoundingClientRect();
          const card = (el.closest("article") as HTMLElement).getBoundingClientRect();
          return box.left < card.left || box.right > card.right;
        }).length,
    );
    expect(offScreen).toBe(0);
    await expect(text(steps.last())).resolves.toContain("scheduled");
  });

  it("folds a long multiplier history to its latest changes, with a button for the earlier ones", async () => {
    const { slug, typeId } = await freshCategoryWithType(call, "long", {
      category: "Long",
      type: "Long history",
    });
    // With the initial 1.00: seven steps, the last one in force, six before it.
    for (let i = 6; i >= 1; i--) {
      await call("POST", "/api/leaderboard/multipliers", {
        contributionTypeId: typeId,
        value: `1.${i}`,
        validFrom: new Date(Date.now() - i * 86_400_000).toISOString(),
      });
    }
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/multipliers`);
    const card = page.locator(`#type-${slug}`);
    const steps = card.getByTestId("multiplier-step");
    await poll(() => steps.count()).toBe(4);
    await expect(text(steps.last())).resolves.toContain("in force");
    await expect(text(steps.first())).resolves.toContain("×1.4");
    const earlier = card.getByTestId("multiplier-earlier");
    await expect(text(earlier)).resolves.toBe("Show 3 earlier changes");
    await earlier.click();
    await poll(() => steps.count()).toBe(7);
    await expect(text(steps.first())).resolves.toContain("from the start");
    expect(await earlier.count()).toBe(0);
  });

  it("proposes a new forum campaign's slug from its name until the admin types one", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/forum`);
    await page.getByRole("button", { name: "New campaign" }).click();
    const slug = page.locator("#fc-slug");
    await page.locator("#fc-name").fill("Winter Signatures 2027");
    await poll(() => slug.inputValue()).toBe("winter-signatures-2027");
    await slug.fill("winter-sig");
    await page.locator("#fc-name").fill("Winter Signature Campaign");
    await expect(slug.inputValue()).resolves.toBe("winter-sig");
  });

  it("reads an edit in the audit log as the field's old and new value, after what was edited", async () => {
    const { slug, typeId } = await freshCategoryWithType(call, "audit", {
      category: "Audited",
      type: "Audited type",
    });
    const types = await call<{ items: Array<{ id: string; maxPoints: number }> }>(
      "GET",
      "/api/contributions/types",
    );
    const type = types.items.find((t) => t.id === typeId)!;
    await call("PATCH", `/api/contributions/types/${typeId}`, { maxPoints: type.maxPoints + 1 });
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/audit-log`);
    await poll(() => page.locator('#event-types option[value="contribution-type.updated"]').count()).toBe(1);
    await page.getByLabel("Event type").fill("contribution-type.updated");
    const details = page.getByTestId("audit-table").locator("td.details").first();
    await poll(() => text(details)).toBe(
      `contributionType: ${slug} · maxPoints: ${type.maxPoints} → ${type.maxPoints + 1}`,
    );
    // Who made it: a click on the actor keeps only what they did.
    await page
      .getByTestId("audit-table")
      .locator("tbody tr")
      .first()
      .getByRole("button", { name: admin.user.username })
      .click();
    await poll(() => page.getByLabel("By").inputValue()).toBe(admin.user.username);
    await poll(() => text(details)).toBe(
      `contributionType: ${slug} · maxPoints: ${type.maxPoints} → ${type.maxPoints + 1}`,
    );
    await page.getByLabel("By").fill("nobody-at-all");
    await poll(() => text(page.locator("#actor-error"))).toBe("No account is named “nobody-at-all”.");
  });

  it("shows when each snapshot run happens next, and follows a saved change of its time", async () => {
    const page = await suite.openSignedIn(admin);
    await page.goto(`${suite.url}/admin/snapshots`);
    const daily = page.getByTestId("schedule-daily-runs");
    await poll(() => text(daily)).toMatch(/^Next run .* 00:00 UTC \(in \d+ (hours?|minutes?|seconds?)\) · /);
    const cron = page.getByTestId("schedule-dailyCron");
    const before = await cron.inputValue();
    try {
      await cron.fill("15 3 * * *");
      await page.getByTestId("schedule-save").click();
      await poll(() => text(daily)).toMatch(/^Next run .* 03:15 UTC /);
      // A refused value is named under its field and the runs shown stay those of the saved schedule.
      await cron.fill("15 25 * * *");
      await page.getByTestId("schedule-save").click();
      await poll(() => text(page.locator("#schedule-dailyCron-hint"))).toContain("hour must be within 0-23");
      await expect(text(daily)).resolves.toMatch(/^Next run .* 03:15 UTC /);
    } finally {
      await call("PATCH", "/api/admin/settings", { "leaderboard.snapshotDailyCron": before });
    }
  });
});
