// The forum admin pages in a real browser against the real server and a forum simulator of our own:
// an admin signs in, edits a campaign setting (kept after a reload), a rank's bonus and admission, adds
// a signature design, reads a profile's scrape history, checks the profile now and sees the new scrape,
// views coverage, and resets the campaign's tracked data only once the slug is typed in full.
import type { Locator, Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { type ApiCall, DEMO_ADMIN, poll, screenshot, submitSignIn, text, useForumSuite } from "./journeys.ts";

/** These pages wait on scrapes and jobs, slower than page loads: up to 20 s. */
const pollScrapes = <T>(fn: () => T | Promise<T>) => poll(fn, 20_000);

/** Seeded by the demo: the forum campaign and the verified profiles of alice, bob and carol. */
const SLUG = "vtx-signature";
/** The simulator members behind the demo profiles (src/modules/forum/forum-demo.ts). */
const MEMBERS = [
  {
    id: 900_001,
    name: "satoshi_fan",
    position: "Sr. Member",
    signature:
      "[b][url=https://merit-demo.example/campaign]Merit Demo Campaign[/url][/b] | www.merit-demo.example/join",
  },
  { id: 900_002, name: "LightningLara", position: "Full Member", signature: "no links here" },
  { id: 900_003, name: "hodl_hannes", position: "Member", signature: "hodl" },
];
const POSTS = 3;
const DESIGN = {
  name: "E2E admin design",
  code: "[url=https://merit-e2e.example/admin]Admin-made design[/url]",
};

interface Campaign {
  startsAt: string;
  scrapeIntervalSeconds: number;
  minPostLength: number | null;
}

describe.skipIf(isBrowserUnavailable)("forum admin pages", () => {
  const suite = useForumSuite((sim) => {
    for (const member of MEMBERS) sim.addMember(member);
  });
  let api: ApiCall;

  const postCount = async () =>
    (await api<{ total: number }>("GET", `/api/admin/forum/campaigns/${SLUG}/posts`)).total;

  /** Waits for a condition outside a test (expect.poll only works inside one). */
  async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  beforeAll(async () => {
    api = suite.as(await suite.login(DEMO_ADMIN));
    // Posts written after the profiles were verified, found by the first check (ours or the scheduler's).
    for (let i = 0; i < POSTS; i++) {
      suite.sim.addPost({
        memberId: MEMBERS[0].id,
        topicId: 7_000 + i,
        boardName: "Bitcoin Discussion",
        text: "A thoughtful post that is long enough to count towards the campaign, well over the minimum.",
      });
    }
    const profiles = await api<{ items: Array<{ id: string; username: string }> }>(
      "GET",
      `/api/admin/forum/campaigns/${SLUG}/profiles`,
    );
    for (const p of profiles.items) await api("POST", `/api/admin/forum/profiles/${p.id}/rescrape`);
    await waitFor(async () => (await postCount()) === POSTS, "the new posts to be found");
  });

  const shot = (page: Page, name: string) => screenshot(page, `forum-admin-${name}`);
  const tab = (page: Page, name: string) => page.getByRole("tab", { name, exact: true }).click();
  const profileRow = (page: Page, name: string) =>
    page.getByTestId("admin-forum-profiles").getByRole("row").filter({ hasText: name });
  const historyRows = (page: Page, name: string) =>
    page.getByRole("table", { name: `Scrape history of ${name}` }).locator("tbody tr");

  async function signIn(): Promise<Page> {
    const page = await suite.openPage();
    await page.goto(`${suite.url}/admin/forum`);
    await page.waitForURL(/\/signin\?next=/);
    await submitSignIn(page, DEMO_ADMIN.login, DEMO_ADMIN.password);
    await page.waitForURL(`${suite.url}/admin/forum`);
    return page;
  }

  it("edits settings, ranks and designs, checks a profile now, shows coverage and resets after confirming", async () => {
    const page = await signIn();
    await page.getByTestId("admin-forum-campaigns").getByRole("row").filter({ hasText: SLUG }).waitFor();
    await shot(page, "campaigns");

    // A rank: Newbies may join from now on, with a bonus; kept after a reload.
    const newbie = page.getByTestId("forum-ranks").getByRole("row").filter({ hasText: "Newbie" });
    await page.getByLabel("Newbie may join").check();
    await page.getByLabel("Newbie bonus percent").fill("0.5");
    await newbie.getByRole("button", { name: "Save" }).click();
    await pollScrapes(() => text(newbie)).toContain("Saved");

    // A signature design, offered to Newbies too.
    await page.getByRole("button", { name: "Add a design" }).click();
    const designForm = page.locator("form").filter({ has: page.getByLabel("BBCode") });
    await designForm.getByLabel("Name").fill(DESIGN.name);
    await designForm.getByLabel("BBCode").fill(DESIGN.code);
    await designForm.getByLabel("Newbie", { exact: true }).check();
    await designForm.getByRole("button", { name: "Save design" }).click();
    const design = page.getByTestId("admin-signature").filter({ hasText: DESIGN.name });
    await design.waitFor();
    await expect(text(design)).resolves.toContain("Newbie");

    await page.reload();
    await pollScrapes(() => page.getByLabel("Newbie may join").isChecked()).toBe(true);
    await expect(page.getByLabel("Newbie bonus percent").inputValue()).resolves.toBe("0.5");
    await page.getByTestId("admin-signature").filter({ hasText: DESIGN.name }).waitFor();
    await shot(page, "ranks-designs");

    // Campaign settings: a longer scrape interval and a minimum post length, kept after a reload; the
    // start, untouched, keeps its exact instant (the input only shows minutes).
    const before = await api<Campaign>("GET", `/api/forum/campaigns/${SLUG}`);
    await page.getByTestId("admin-forum-campaigns").getByRole("link", { name: "Manage" }).click();
    await page.waitForURL(new RegExp(`/admin/forum/${SLUG}`));
    await tab(page, "Settings");
    await page.getByLabel("Scrape interval (seconds)").fill("3600");
    await page.getByLabel("Minimum post length").fill("25");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await page.reload();
    await expect(page.getByRole("tab", { name: "Settings" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    // Arrow keys move between the tabs (one stop in the tab order); Home goes to the first.
    await page.getByRole("tab", { name: "Settings" }).focus();
    await page.keyboard.press("ArrowRight");
    await expect(page.getByRole("tab", { name: "Reset" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    await page.keyboard.press("Home");
    await expect(page.getByRole("tab", { name: "Profiles" }).getAttribute("aria-selected")).resolves.toBe(
      "true",
    );
    await expect(page.getByRole("tab", { name: "Settings" }).getAttribute("tabindex")).resolves.toBe("-1");
    await page.keyboard.press("End");
    await page.keyboard.press("ArrowLeft");
    await pollScrapes(() => page.getByLabel("Scrape interval (seconds)").inputValue()).toBe("3600");
    await expect(page.getByLabel("Minimum post length").inputValue()).resolves.toBe("25");
    const after = await api<Campaign>("GET", `/api/forum/campaigns/${SLUG}`);
    expect(after).toMatchObject({
      scrapeIntervalSeconds: 3600,
      minPostLength: 25,
      startsAt: before.startsAt,
    });
    await shot(page, "settings");

    // Profiles: the scrape history of one, then "check now" adds a scrape to it.
    const member = MEMBERS[0].name;
    await tab(page, "Profiles");
    const row = profileRow(page, member);
    await row.getByRole("button", { name: "History" }).click();
    await pollScrapes(() => historyRows(page, member).count()).toBeGreaterThan(0);
    await expect(text(historyRows(page, member).first())).resolves.toMatch(/ok/);
    const scrapesBefore = await historyRows(page, member).count();
    await checkNow(row);
    await pollScrapes(() => historyRows(page, member).count()).toBeGreaterThan(scrapesBefore);
    // The forum account links to its profile on the campaign's forum.
    const sites = await api<{ items: Array<{ id: string; url: string }> }>("GET", "/api/forum/sites");
    const forumUrl = sites.items.find((site) => site.id === "bitcointalk")?.url.replace(/\/$/, "");
    await expect(row.getByTestId("admin-profile-link").getAttribute("href")).resolves.toBe(
      `${forumUrl}/index.php?action=profile;u=${MEMBERS[0].id}`,
    );
    await shot(page, "profiles");

    await tab(page, "Posts");
    await pollScrapes(() =>
      page.getByTestId("admin-forum-posts").locator("tbody tr").filter({ hasText: member }).count(),
    ).toBe(POSTS);
    // Each post links to itself on the campaign's forum, where the reviewer can read it.
    const links = page
      .getByTestId("admin-forum-posts")
      .locator("tbody tr")
      .filter({ hasText: member })
      .getByTestId("admin-post-link");
    const hrefs = await links.evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    expect(hrefs).toHaveLength(POSTS);
    for (const href of hrefs) {
      expect(href.startsWith(`${forumUrl}/index.php?topic=`), href).toBe(true);
      expect(href).toMatch(/\?topic=700\d\.msg(\d+)#msg\1$/);
    }
    await shot(page, "posts");

    await tab(page, "Coverage");
    const coverage = page.getByTestId("admin-forum-coverage");
    await coverage.waitFor();
    await expect(page.getByText(`${MEMBERS.length} verified`).isVisible()).resolves.toBe(true);
    await pollScrapes(() => text(page.locator(".facts"))).toContain("every 1 h");
    await expect(text(coverage.getByRole("row").filter({ hasText: member }))).resolves.toMatch(/Verified/);
    await shot(page, "coverage");

    // Reset: a slug typed wrong cannot reset (button disabled, Enter does nothing); clearing it cancels.
    await tab(page, "Reset");
    const confirm = page.getByLabel(`Type ${SLUG} to confirm`);
    const reset = page.getByRole("button", { name: "Reset campaign data" });
    await confirm.fill(SLUG.slice(0, -1));
    await expect(reset.isDisabled()).resolves.toBe(true);
    await confirm.press("Enter");
    await confirm.fill("");
    await tab(page, "Posts");
    await pollScrapes(() =>
      page.getByTestId("admin-forum-posts").locator("tbody tr").filter({ hasText: member }).count(),
    ).toBe(POSTS);
    await expect(postCount()).resolves.toBe(POSTS);

    await tab(page, "Reset");
    await page.getByLabel(`Type ${SLUG} to confirm`).fill(SLUG);
    await page.getByRole("button", { name: "Reset campaign data" }).click();
    const done = page.getByRole("status").filter({ hasText: "Reset done" });
    await done.waitFor();
    await expect(text(done)).resolves.toMatch(new RegExp(`${POSTS} posts and [1-9]\\d* scrapes deleted`));
    await shot(page, "reset");
  }, 240_000);

  /** Presses "Check now" until a check ran (a scheduled check of the same profile makes it skip). */
  async function checkNow(row: Locator): Promise<void> {
    const status = row.getByRole("status");
    for (let attempt = 0; attempt < 5; attempt++) {
      await row.getByRole("button", { name: "Check now" }).click();
      await pollScrapes(() => text(status)).not.toMatch(/^(Checking…)?$/);
      if ((await text(status)).startsWith("Checked")) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    await expect(text(status)).resolves.toMatch(/^Checked: ok/);
  }
});
