// Search and filter fields say what they take, in the same words on every page: "Search by …" where
// part of a name matches, "Exact username" where only the whole username does.
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { boardRows, DEMO_ADMIN, poll, textOf, useBrowserSuite } from "./journeys.ts";

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
      ["/admin/users", ["Search by username, e-mail, name or wallet"]],
      ["/admin/contributions", ["Exact username"]],
      ["/admin/ledger", ["Exact username"]],
      ["/admin/audit-log", ["Exact type, e.g. sign-in.failed", "Exact username"]],
    ];
    for (const [path, placeholders] of fields) {
      await page.goto(`${suite.url}${path}`);
      for (const placeholder of placeholders) {
        await expect(
          page.getByPlaceholder(placeholder, { exact: true }).waitFor({ timeout: 15_000 }),
          `${path}: ${placeholder}`,
        ).resolves.toBeUndefined();
      }
    }
  });
});
