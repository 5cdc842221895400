// Demo mode without BITCOINTALK_URL: an in-process forum simulator with members who post now and
// then, a forum campaign (120,000 VTX, 10-minute maturation) and verified profiles for demo users.
import { sql } from "drizzle-orm";
import type { Clock } from "../../core/clock.ts";
import type { CoreContext } from "../../core/module.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import { type DemoActivity, startDemoActivity } from "./sim/forum-sim.demo.ts";
import { createForumSim, type ForumSim } from "./sim/forum-sim.server.ts";

export const DEMO_CAMPAIGN_SLUG = "vtx-signature";

/** The simulator members (see sim/forum-sim.demo.ts) that demo users own, and their designs. */
const DEMO_PROFILES = [
  {
    user: "alice",
    forumUserId: 900001,
    name: "satoshi_fan",
    position: "Sr. Member",
    design: "Merit campaign banner",
    code: "[b][url=https://merit-demo.example/campaign]Merit Demo Campaign[/url][/b] | www.merit-demo.example/join",
    ranks: ["Member", "Full Member", "Sr. Member", "Hero Member", "Legendary"],
  },
  {
    user: "bob",
    forumUserId: 900002,
    name: "LightningLara",
    position: "Full Member",
    design: "Merit image signature",
    code: "[url=https://merit-demo.example/]Merit[/url] [img]https://merit-demo.example/banner.png[/img]",
    ranks: ["Full Member", "Sr. Member", "Hero Member", "Legendary"],
  },
  // carol's member wears a plain-text signature, so her posts show what low uptime does.
  {
    user: "carol",
    forumUserId: 900003,
    name: "hodl_hannes",
    position: "Member",
    design: null,
    code: null,
    ranks: [],
  },
];

/** Seeds the demo campaign, designs and verified profiles (idempotent). */
export async function seedForumDemo(core: CoreContext, catalog: ForumCatalogService): Promise<void> {
  const admin = await core.db.orm.execute(
    sql`SELECT id FROM users WHERE 'admin' = ANY(roles) ORDER BY created_at LIMIT 1`,
  );
  const adminId = (admin as unknown as { rows: Array<{ id: string }> }).rows[0]?.id;
  if (!adminId) return;
  const actor = { userId: adminId, roles: ["admin" as const], via: "session" as const };
  const now = core.clock.now();
  if ((await catalog.listCampaigns()).some((c) => c.slug === DEMO_CAMPAIGN_SLUG)) return;
  const campaign = await catalog.createCampaign(actor, {
    slug: DEMO_CAMPAIGN_SLUG,
    name: "VTX signature campaign (demo)",
    site: "bitcointalk",
    startsAt: new Date(now.getTime() - 3_600_000).toISOString(),
    pool: "120000",
    poolToken: "VTX",
    postPoints: "100",
    maturationMinutes: 10,
    uptimeThresholdPercent: "90",
    scrapeIntervalSeconds: 30,
    minPostLength: 20,
    excludedBoards: ["Off-topic"],
  });
  const designs = new Map<string, string>();
  for (const p of DEMO_PROFILES) {
    if (!p.design || !p.code) continue;
    const sig = await catalog.createSignature(actor, { name: p.design, code: p.code, allowedRanks: p.ranks });
    designs.set(p.user, sig.id);
  }
  // carol gets the first design too: her forum signature lacks it.
  designs.set("carol", [...designs.values()][0]);
  for (const p of DEMO_PROFILES) {
    await core.db.orm.execute(
      sql`INSERT INTO forum_profiles (user_id, site_id, campaign_id, forum_user_id, forum_username, position, signature_id,
            status, verified_at, tracking_since, last_signature_found, created_at)
          SELECT u.id, 'bitcointalk', ${campaign.id}, ${p.forumUserId}, ${p.name}, ${p.position}, ${designs.get(p.user) ?? null},
            'verified', ${now.toISOString()}, ${now.toISOString()}, true, ${now.toISOString()}
          FROM users u WHERE u.username = ${p.user}
          ON CONFLICT DO NOTHING`,
    );
  }
}

export interface DemoForum {
  url: string;
  sim: ForumSim;
  activity: DemoActivity;
}

/** Starts the simulator on a free loopback port with demo chatter every `intervalMs`. */
export async function startDemoForum(clock: Clock, intervalMs = 45_000): Promise<DemoForum> {
  const sim = createForumSim({ clock });
  const { url } = await sim.listen(0, "127.0.0.1");
  const activity = startDemoActivity(sim, { intervalMs });
  return { url, sim, activity };
}
