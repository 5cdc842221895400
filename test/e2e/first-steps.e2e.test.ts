// A new instance without demo data: the admin overview lists the steps from nothing to a live board,
// ticks each one as the instance gets what it makes, and drops the list once all are done.
import { describe, expect, it } from "vitest";
import { isBrowserUnavailable } from "./browser.ts";
import { poll, screenshot, text, useBrowserSuite } from "./journeys.ts";

const OWNER = { login: "owner@merit-first.test", password: "Correct-Horse-42!" };

describe.skipIf(isBrowserUnavailable)("first steps on an empty instance", () => {
  const suite = useBrowserSuite({
    env: { SEED_DEMO: "false", ADMIN_EMAIL: OWNER.login, ADMIN_PASSWORD: OWNER.password },
  });

  it("guides the admin from an empty instance to a first award and campaign, then gets out of the way", async () => {
    const owner = await suite.login(OWNER);
    const call = suite.as(owner);
    const page = await suite.openSignedIn(owner);
    const steps = page.getByTestId("first-steps");
    const progress = page.getByTestId("first-steps-progress");
    const isDone = async (key: string) =>
      (await text(page.getByTestId(`first-step-${key}`))).includes("(done)");

    await page.goto(`${suite.url}/admin`);
    await poll(() => text(progress)).toBe("0 of 4 done");
    await screenshot(page, "admin-first-steps");
    // The next step's link is the primary one and leads to its page.
    await page.getByTestId("first-step-categories").getByRole("link", { name: "Categories" }).click();
    await poll(() => page.url()).toBe(`${suite.url}/admin/categories`);

    await call("POST", "/api/categories", { name: "Builders", slug: "builders" });
    const type = await call<{ id: string }>("POST", "/api/contributions/types", {
      name: "Pull request",
      slug: "pull-request",
      category: "builders",
      minPoints: 1,
      maxPoints: 50,
    });
    await page.goto(`${suite.url}/admin`);
    await poll(() => text(progress)).toBe("2 of 4 done");
    expect([await isDone("categories"), await isDone("types"), await isDone("ranked")]).toEqual([
      true,
      true,
      false,
    ]);

    await call("POST", "/api/contributions", {
      username: owner.user.username,
      contributionTypeId: type.id,
      points: 5,
    });
    await page.goto(`${suite.url}/admin`);
    await poll(() => text(progress)).toBe("3 of 4 done");
    expect(await isDone("ranked")).toBe(true);
    await call("POST", "/api/campaigns", {
      slug: "launch",
      name: "Launch",
      startsAt: new Date(Date.now() - 86_400_000).toISOString(),
    });
    await page.goto(`${suite.url}/admin`);
    await page.getByRole("heading", { name: "Accounts" }).waitFor();
    await expect(steps.count()).resolves.toBe(0);
  });
});
