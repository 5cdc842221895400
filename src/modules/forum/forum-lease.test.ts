// A check holds its profile for a lease; waiting on the forum (a long Retry-After, a busy host queue)
// must not outlast it, or the next round would check the same profile at the same time.
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { ManualClock } from "../../core/clock.ts";
import { readScraperSettings } from "./forum.settings.ts";
import { LONG_POST, makeCampaign, useForumTestEnv, verifiedParticipant } from "./forum.test-support.ts";
import { nullPointsSink } from "./forum-points.ts";
import { createTrackingService } from "./forum-tracking.service.ts";
import { createBitcointalkSite } from "./scraper/bitcointalk-site.ts";
import { createForumClient } from "./scraper/forum-client.ts";
import { holdOff } from "./scraper/hosts.repo.ts";

const clock = new ManualClock("2026-03-02T12:00:00Z");
const env = useForumTestEnv(clock);

it("stops a check the forum keeps waiting before its lease ends, frees the profile, and checks it next time", async () => {
  await makeCampaign(env, { slug: "lease", maturationMinutes: 60, postPoints: "10" });
  const p = await verifiedParticipant(env, "lease", { position: "Hero Member" });
  env.sim.addPost({ memberId: p.forumUserId, topicId: 91, text: LONG_POST });
  const { db, logger } = env.merit.core;
  const client = createForumClient({
    db,
    clock,
    logger,
    settings: () => readScraperSettings(env.merit.composition.settings),
  });
  const site = createBitcointalkSite(client, () => env.simUrl, "https://bitcointalk.org");
  const tracking = createTrackingService({
    db,
    clock,
    logger,
    site: () => site,
    sink: () => nullPointsSink,
    leaseMs: 2_000,
  });

  // The forum asked everyone to stay away for a minute.
  const host = new URL(env.simUrl).host;
  await holdOff(db.orm, host, 60_000);
  const started = Date.now();
  expect(await tracking.checkProfile(p.profileId)).toEqual({
    profileId: p.profileId,
    skipped: "LEASE_EXPIRED",
  });
  const took = Date.now() - started;
  expect(took).toBeGreaterThanOrEqual(1_700);
  expect(took).toBeLessThan(10_000);

  // The lease was given back (the manual clock has not moved, so a held lease would answer LEASED).
  await db.orm.execute(sql`UPDATE forum_hosts SET next_slot_at = clock_timestamp() WHERE host = ${host}`);
  expect(await tracking.checkProfile(p.profileId)).toMatchObject({ outcome: "ok", newPosts: 1 });
});
