// Demo mode without BITCOINTALK_URL: an in-process forum simulator with members who post now and
// then, a forum campaign (120,000 VTX, 10-minute maturation) running for six days, and verified
// profiles for demo users whose posts of the past five days are already tracked, decided and
// credited, so the campaign board, standings and daily charts have something to show at once.
import { sql } from "drizzle-orm";
import type { CoreContext } from "../../core/module.ts";
import { type HistoryPost, POSTS_PER_HISTORY_PAGE, parsePostsPage } from "./bitcointalk/posts.parser.ts";
import * as catalogRepo from "./forum-catalog.repo.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import {
  type Observation,
  observe,
  ruleViolation,
  uptimePercent,
  uptimeText,
  verdict,
} from "./forum-crediting.rules.ts";
import type { PointsSink } from "./forum-points.ts";
import * as tracking from "./forum-tracking.repo.ts";
import { creditPost, foundPostRow, trackingStartOf } from "./forum-tracking.service.ts";
import type { ForumSiteClient } from "./scraper/bitcointalk-site.ts";
import { addDemoHistory, type DemoActivity, startDemoActivity } from "./sim/forum-sim.demo.ts";
import { renderPostHistory } from "./sim/forum-sim.profile-page.ts";
import { createForumSim, type ForumSim } from "./sim/forum-sim.server.ts";
import { createForumState, type ForumState } from "./sim/forum-sim.state.ts";

export const DEMO_CAMPAIGN_SLUG = "vtx-signature";
/** The demo campaign starts this long before the seed; the demo history fills the days since. */
const CAMPAIGN_AGE_MS = 6 * 86_400_000;
/** How long after a post the scraper found it, and after its maturation decided it (seeded history). */
const FOUND_AFTER_MS = 41_000;
const DECIDED_AFTER_MS = 27_000;

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
    verifiedAfterMinutes: 55,
    // Seconds the signature was missing during each post's maturation, in turn: now and then briefly.
    missingSeconds: [0, 0, 0, 0, 30],
  },
  {
    user: "bob",
    forumUserId: 900002,
    name: "LightningLara",
    position: "Full Member",
    design: "Merit image signature",
    code: "[url=https://merit-demo.example/]Merit[/url] [img]https://merit-demo.example/banner.png[/img]",
    ranks: ["Full Member", "Sr. Member", "Hero Member", "Legendary"],
    verifiedAfterMinutes: 170,
    missingSeconds: [0, 0, 45],
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
    verifiedAfterMinutes: 300,
    // Mostly without the design: every post falls under the 90% uptime threshold.
    missingSeconds: [390, 255, 480],
  },
];

export interface DemoSeedDeps {
  catalog: ForumCatalogService;
  /** The sink matured posts are awarded through (the ledger, once wired). */
  sink: () => PointsSink;
  site: (siteId: string) => ForumSiteClient;
}

/**
 * Seeds the demo campaign, designs and verified profiles and, in demo mode, their tracked history
 * (idempotent: nothing happens once the campaign exists).
 */
export async function seedForumDemo(core: CoreContext, deps: DemoSeedDeps): Promise<void> {
  const { catalog } = deps;
  const admin = await core.db.orm.execute(
    sql`SELECT id FROM users WHERE 'admin' = ANY(roles) ORDER BY created_at LIMIT 1`,
  );
  const adminId = (admin as unknown as { rows: Array<{ id: string }> }).rows[0]?.id;
  if (!adminId) return;
  const actor = { userId: adminId, roles: ["admin" as const], via: "session" as const };
  if ((await catalog.listCampaigns()).some((c) => c.slug === DEMO_CAMPAIGN_SLUG)) return;
  // Whole seconds, so the simulator can date its history from the campaign start (startDemoForum).
  const anchor = new Date(Math.floor(core.clock.now().getTime() / 1000) * 1000);
  const startsAt = new Date(anchor.getTime() - CAMPAIGN_AGE_MS);
  const campaign = await catalog.createCampaign(actor, {
    slug: DEMO_CAMPAIGN_SLUG,
    name: "VTX signature campaign (demo)",
    site: "bitcointalk",
    startsAt: startsAt.toISOString(),
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
    const verifiedAt = new Date(startsAt.getTime() + p.verifiedAfterMinutes * 60_000).toISOString();
    await core.db.orm.execute(
      sql`INSERT INTO forum_profiles (user_id, site_id, campaign_id, forum_user_id, forum_username, position, signature_id,
            status, verified_at, owner_verified_at, tracking_since, last_signature_found, created_at)
          SELECT u.id, 'bitcointalk', ${campaign.id}, ${p.forumUserId}, ${p.name}, ${p.position}, ${designs.get(p.user) ?? null},
            'verified', ${verifiedAt}, ${verifiedAt}, ${verifiedAt}, true, ${verifiedAt}
          FROM users u WHERE u.username = ${p.user}
          ON CONFLICT DO NOTHING`,
    );
  }
  // The history lives in the in-process simulator only; a real forum has posts of its own.
  if (core.config.bitcointalkUrl === null) await seedDemoHistory(core, deps, anchor);
}

/**
 * Tracks the demo members' posts of the past five days the way the scraper would have: each is read
 * from the simulator's post history pages, found (rules decided at discovery), observed through its
 * maturation, decided, and credited through the points sink.
 */
async function seedDemoHistory(core: CoreContext, deps: DemoSeedDeps, anchor: Date): Promise<void> {
  const campaign = await catalogRepo.findCampaignBySlug(core.db.orm, DEMO_CAMPAIGN_SLUG);
  if (!campaign) return;
  // The same history a fresh simulator gets at start, so message ids and dates agree.
  const forum = createForumState({ now: () => anchor });
  addDemoHistory(forum, anchor);
  for (const p of DEMO_PROFILES) {
    const profile = await tracking.findOwnedProfileByForumUser(core.db.orm, "bitcointalk", p.forumUserId);
    if (!profile) continue;
    await discoverHistory(core, campaign, profile, readHistory(forum, p.forumUserId));
    const credited = await settleHistory(core, campaign, profile, p.missingSeconds);
    const site = deps.site(profile.site_id);
    for (const post of credited) await creditPost(core.db, deps.sink(), site, campaign, profile, post);
  }
}

/** Every post of a member as the scraper reads it from the post history pages. */
function readHistory(forum: ForumState, memberId: number): HistoryPost[] {
  const member = forum.members.get(memberId);
  const found: HistoryPost[] = [];
  for (let start = 0; member; start += POSTS_PER_HISTORY_PAGE) {
    const { posts, page } = parsePostsPage(renderPostHistory(forum, member, start));
    found.push(...posts);
    if (posts.length === 0 || page.last === null || page.current >= page.last) break;
  }
  return found.sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
}

/** Stores found posts as the tracking service's discovery does (pending, or uncredited by a rule). */
async function discoverHistory(
  core: CoreContext,
  campaign: catalogRepo.CampaignRow,
  profile: tracking.ProfileRow,
  posts: HistoryPost[],
): Promise<void> {
  const rank = await catalogRepo.ensureRank(core.db.orm, profile.site_id, profile.position);
  const trackingStart = trackingStartOf(campaign, profile, new Date(0));
  await core.db.transaction(async (tx) => {
    for (const p of posts.filter((x) => x.postedAt >= trackingStart)) {
      const reason = ruleViolation(p, campaign, rank.allowed);
      const found = new Date(p.postedAt.getTime() + FOUND_AFTER_MS);
      await tracking.insertPost(tx, foundPostRow(campaign, profile.id, rank, p, reason, found));
    }
  });
}

/**
 * Observes the profile's pending posts through their maturation (the signature missing for the first
 * `missingSeconds` of each, in turn, then found) and decides them by the crediting rules, in one
 * transaction as settling does; returns the credited posts.
 */
async function settleHistory(
  core: CoreContext,
  campaign: catalogRepo.CampaignRow,
  profile: tracking.ProfileRow,
  missingSeconds: readonly number[],
): Promise<tracking.PostRow[]> {
  return core.db.transaction(async (tx) => {
    const credited: tracking.PostRow[] = [];
    for (const [n, post] of (await tracking.listPendingPosts(tx, profile.id)).entries()) {
      const postedAt = new Date(post.posted_at);
      const maturesAt = new Date(post.matures_at);
      const decidedAt = new Date(maturesAt.getTime() + DECIDED_AFTER_MS);
      const missingMs = missingSeconds[n % missingSeconds.length] * 1000;
      let o: Observation = { postedAt, maturesAt, observedUntil: postedAt, missingMs: 0 };
      if (missingMs > 0) o = observe(o, new Date(postedAt.getTime() + missingMs), false);
      o = observe(o, decidedAt, true);
      await tracking.updatePostObservation(tx, post.id, {
        missingMs: o.missingMs,
        observedUntil: o.observedUntil,
        missedScans: 0,
        uptimePercent: uptimeText(uptimePercent(o)),
      });
      const v = verdict({ ...o, missedScans: 0 }, campaign.uptime_threshold_percent, decidedAt);
      if (!v) continue;
      const reason = v.status === "uncredited" ? v.reason : null;
      const decided = await tracking.decidePost(tx, post.id, { status: v.status, reason, at: decidedAt });
      if (decided && v.status === "credited") credited.push(post);
    }
    return credited;
  });
}

export interface DemoForum {
  url: string;
  sim: ForumSim;
  activity: DemoActivity;
}

/**
 * Starts the simulator on a free loopback port with the demo history (dated from the demo campaign's
 * start, as seeded) and demo chatter every `intervalMs`.
 */
export async function startDemoForum(
  core: Pick<CoreContext, "db" | "clock">,
  intervalMs = 45_000,
): Promise<DemoForum> {
  const campaign = await catalogRepo.findCampaignBySlug(core.db.orm, DEMO_CAMPAIGN_SLUG);
  const now = core.clock.now().getTime();
  const anchor = campaign ? Math.min(now, campaign.starts_at.getTime() + CAMPAIGN_AGE_MS) : now;
  const sim = createForumSim({ clock: core.clock });
  addDemoHistory(sim, new Date(anchor));
  const { url } = await sim.listen(0, "127.0.0.1");
  const activity = startDemoActivity(sim, { intervalMs });
  return { url, sim, activity };
}
