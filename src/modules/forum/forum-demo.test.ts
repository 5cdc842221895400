// Demo mode: no BITCOINTALK_URL, so the module runs the simulator in-process, seeds a campaign with
// verified demo profiles and the scheduler checks them against it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { DEMO_CAMPAIGN_SLUG } from "./forum-demo.ts";

let merit: TestMerit;
beforeAll(async () => {
  merit = await createTestMerit({ env: { SEED_DEMO: "true" }, startJobs: true });
}, 180_000);
afterAll(() => merit?.destroy());

describe("forum demo", () => {
  it("seeds a 120,000 VTX campaign with verified profiles and scrapes the in-process simulator", async () => {
    const forum = merit.composition.forum;
    const campaign = await forum.catalog.getCampaign(DEMO_CAMPAIGN_SLUG);
    expect(campaign).toMatchObject({ pool: "120000", poolToken: "VTX", maturationMinutes: 10 });
    // The module's own ticker may already have claimed this round (as jobs): run one inline.
    await forum.scheduler.runRoundNow(DEMO_CAMPAIGN_SLUG);
    const coverage = await forum.scheduler.coverage(DEMO_CAMPAIGN_SLUG);
    expect(coverage?.verifiedProfiles).toBe(3);
    const seen = coverage?.profiles.map((p) => [p.username, p.checks, p.lastOutcome]);
    expect(seen?.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ["hodl_hannes", expect.any(Number), "ok"],
      ["LightningLara", expect.any(Number), "ok"],
      ["satoshi_fan", expect.any(Number), "ok"],
    ]);
  });
});
