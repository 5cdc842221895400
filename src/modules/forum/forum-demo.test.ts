// Demo mode: no BITCOINTALK_URL, so the module runs the simulator in-process, seeds a campaign with
// verified demo profiles and five days of tracked history, and the scheduler checks them against it.

import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestMerit, type TestMerit } from "../../../test/support/test-app.ts";
import { rows } from "../../core/db/client.ts";
import { Decimal } from "../../core/decimal.ts";
import { DEMO_MEMBER_PASSWORD } from "../accounts/accounts.seed.ts";
import { call, signIn } from "../accounts/accounts.test-support.ts";
import { decodePage } from "./bitcointalk/bitcointalk-page.ts";
import { parsePostsPage } from "./bitcointalk/posts.parser.ts";
import { DEMO_CAMPAIGN_SLUG, startDemoForum } from "./forum-demo.ts";

const DAY_MS = 86_400_000;

let merit: TestMerit;
/** When the demo was seeded (the ManualClock stands still until the last test). */
let seedTime: number;
beforeAll(async () => {
  merit = await createTestMerit({ env: { SEED_DEMO: "true" }, startJobs: true });
  seedTime = merit.clock.now().getTime();
}, 180_000);
afterAll(() => merit?.destroy());

interface PostOf {
  id: string;
  username: string;
  forum_user_id: number;
  message_id: string;
  topic_id: string;
  board_name: string | null;
  posted_at: Date;
  content_length: number;
  status: string;
  reason: string | null;
  points: string;
  uptime_percent: string | null;
  contribution_id: string | null;
  discovered_at: Date;
}

const campaignPosts = () =>
  rows<PostOf>(
    merit.core.db.orm,
    sql`SELECT fp.*, u.username, p.forum_user_id FROM forum_posts fp
        JOIN forum_profiles p ON p.id = fp.profile_id JOIN users u ON u.id = p.user_id
        JOIN forum_campaigns c ON c.id = fp.campaign_id
        WHERE c.slug = ${DEMO_CAMPAIGN_SLUG} ORDER BY fp.posted_at, fp.message_id`,
  );

/** The posts the seed tracked (the live scraper finds posts at or after the seed). */
const seededPosts = async () =>
  (await campaignPosts()).filter((p) => new Date(p.discovered_at).getTime() < seedTime);

/** Ledger awards of forum posts per sourceRef. */
const forumAwards = () =>
  rows<{ source_ref: string; awards: number; contribution_id: string }>(
    merit.core.db.orm,
    sql`SELECT c.source_ref, count(*)::int AS awards, min(c.id::text) AS contribution_id
        FROM ledger_entries le JOIN contributions c ON c.id = le.contribution_id
        WHERE c.source = 'forum-post' AND le.kind = 'award' GROUP BY c.source_ref`,
  );

/** Waits until no profile check holds its lease (the module's ticker may run checks as jobs). */
async function settled(): Promise<void> {
  await expect
    .poll(
      async () =>
        (
          await rows<{ n: number }>(
            merit.core.db.orm,
            sql`SELECT count(*)::int AS n FROM forum_profiles WHERE lease_until IS NOT NULL`,
          )
        )[0].n,
      { timeout: 30_000, interval: 100 },
    )
    .toBe(0);
}

describe("forum demo", () => {
  it("seeds a 120,000 VTX campaign with verified profiles and scrapes the in-process simulator", async () => {
    const forum = merit.composition.forum;
    const campaign = await forum.catalog.getCampaign(DEMO_CAMPAIGN_SLUG);
    expect(campaign).toMatchObject({ pool: "120000", poolToken: "VTX", maturationMinutes: 10 });
    // The module's own ticker may already have claimed this round (as jobs): run one inline.
    await forum.scheduler.runRoundNow(DEMO_CAMPAIGN_SLUG);
    // A profile whose check the ticker's job still holds is skipped by the inline round: wait for it.
    await settled();
    const coverage = await forum.scheduler.coverage(DEMO_CAMPAIGN_SLUG);
    expect(coverage?.verifiedProfiles).toBe(3);
    const seen = coverage?.profiles.map((p) => [p.username, p.checks, p.lastOutcome]);
    expect(seen?.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ["hodl_hannes", expect.any(Number), "ok"],
      ["LightningLara", expect.any(Number), "ok"],
      ["satoshi_fan", expect.any(Number), "ok"],
    ]);
  });

  it("starts the campaign six days ago with five days of decided posts, credited through the ledger", async () => {
    const now = merit.clock.now().getTime();
    const campaign = await merit.composition.forum.catalog.getCampaign(DEMO_CAMPAIGN_SLUG);
    expect(now - new Date(campaign.startsAt).getTime()).toBe(6 * DAY_MS);
    const decided = await seededPosts();
    expect(decided.filter((p) => p.status === "pending")).toEqual([]);
    const of = (user: string, status: string) =>
      decided.filter((p) => p.username === user && p.status === status);
    expect(of("alice", "credited").length).toBeGreaterThanOrEqual(10);
    expect(of("bob", "credited").length).toBeGreaterThanOrEqual(5);
    expect(of("carol", "credited")).toEqual([]);
    expect(of("carol", "uncredited").length).toBeGreaterThanOrEqual(2);
    expect(decided.filter((p) => p.status === "uncredited").every((p) => p.username === "carol")).toBe(true);
    for (const p of of("carol", "uncredited")) {
      expect(p.reason).toBe("LOW_UPTIME");
      expect(new Decimal(p.uptime_percent ?? "100").lessThan(90)).toBe(true);
      expect(p.contribution_id).toBeNull();
    }
    for (const p of decided.filter((x) => x.status === "credited")) {
      expect(new Decimal(p.uptime_percent ?? "0").greaterThanOrEqualTo(90)).toBe(true);
      expect(p.contribution_id).not.toBeNull();
      expect(new Date(p.posted_at).getTime()).toBeGreaterThan(now - 5 * DAY_MS);
    }
    // Sr. Member's 2% bonus is folded into alice's points; each credited post has exactly one award.
    expect(new Set(of("alice", "credited").map((p) => p.points))).toEqual(new Set(["102"]));
    const awards = await forumAwards();
    const credited = decided.filter((p) => p.status === "credited");
    expect(awards.map((a) => a.source_ref).sort()).toEqual(credited.map((p) => `forum-post:${p.id}`).sort());
    expect(awards.every((a) => a.awards === 1)).toBe(true);
    expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
  });

  it("serves the simulated posts under /demo-forum, where the demo's links and award evidence point", async () => {
    const base = `${merit.core.config.publicUrl.replace(/\/+$/, "")}/demo-forum`;
    const sites = (await call(merit, "GET", "/api/forum/sites")).json();
    expect(sites.items).toEqual([{ id: "bitcointalk", name: "Bitcointalk", url: base }]);

    const post = (await seededPosts()).find((p) => p.status === "credited" && p.username === "alice")!;
    const link = `${base}/index.php?topic=${post.topic_id}.msg${post.message_id}#msg${post.message_id}`;
    const evidence = await rows<{ evidence: Array<{ url: string; description: string }> }>(
      merit.core.db.orm,
      sql`SELECT evidence FROM contributions WHERE id = ${post.contribution_id}`,
    );
    expect(evidence[0].evidence).toEqual([{ url: link, description: "Forum post" }]);

    // The link opens the simulated topic at that post, with the campaign signature under it.
    const page = await call(merit, "GET", link.slice(link.indexOf("/demo-forum")).replace(/#.*$/, ""));
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toContain("text/html");
    // Nothing but the page loads: the simulated pages name the real forum's images and styles.
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    const html = page.rawPayload.toString("latin1");
    expect(html).toContain(`msg${post.message_id}`);
    expect(html).toContain("Merit Demo Campaign");
    // Only the pages: the simulator's control API stays on its loopback port.
    const control = await call(merit, "GET", "/demo-forum/_sim/members");
    expect(control.statusCode).toBe(404);
  });

  it("takes the simulated signature form under /demo-forum, so a demo visitor can place a signature", async () => {
    // hodl_hannes (#900003), whose demo signature lacks the campaign's: the one a visitor would fix.
    const path = "/demo-forum/index.php?action=profile;u=900003;sa=forumProfile";
    const form = await call(merit, "GET", path);
    expect(form.statusCode).toBe(200);
    // The page may post its form back here, and nowhere else.
    expect(form.headers["content-security-policy"]).toContain("form-action 'self'");
    const before = /<textarea[^>]*>([^<]*)<\/textarea>/.exec(form.rawPayload.toString("latin1"))![1];
    const post = (url: string, signature: string) =>
      merit.app.inject({
        method: "POST",
        url,
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ signature }).toString(),
      });
    try {
      const saved = await post(path, "[url=https://join.example/demo]Join the demo[/url]");
      expect(saved.statusCode).toBe(200);
      expect(saved.rawPayload.toString("latin1")).toContain("Your profile has been updated.");
      const profile = await call(merit, "GET", "/demo-forum/index.php?action=profile;u=900003");
      expect(profile.rawPayload.toString("latin1")).toContain('href="https://join.example/demo"');
      // Other posts stay closed.
      const other = await post("/demo-forum/index.php?action=profile;u=900003", "x");
      expect(other.statusCode).toBe(405);
      expect(other.json().error.code).toBe("METHOD_NOT_ALLOWED");
    } finally {
      const decoded = before
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, "<")
        .replace(/&gt;/g, ">")
        .replace(/&amp;/g, "&");
      await post(path, decoded);
    }
  });

  it("shows points and pool shares on the campaign board and days of credited posts on the dashboard", async () => {
    const board = await call(
      merit,
      "GET",
      `/api/leaderboard?board=campaign:${DEMO_CAMPAIGN_SLUG}&period=all&limit=50`,
    );
    expect(board.statusCode).toBe(200);
    const items = board.json().items as Array<{ username: string; points: string; share: string }>;
    expect(items.map((i) => i.username)).toEqual(["alice", "bob"]);
    const credited = (await campaignPosts()).filter((p) => p.status === "credited");
    for (const i of items) {
      const sum = credited
        .filter((p) => p.username === i.username)
        .reduce((s, p) => s.plus(p.points), new Decimal(0));
      expect(new Decimal(i.points).equals(sum)).toBe(true);
    }
    const shares = items.reduce((s, i) => s.plus(i.share), new Decimal(0));
    expect(shares.toFixed()).toBe("120000");

    // alice's dashboard chart: several of the last days have credited posts.
    const alice = await signIn(merit, "alice", DEMO_MEMBER_PASSWORD);
    const mine = await call(merit, "GET", "/api/forum/profiles/mine", { token: alice.accessToken });
    const profileId = mine.json().items[0].id as string;
    const daily = await call(merit, "GET", `/api/forum/profiles/${profileId}/daily?days=7`, {
      token: alice.accessToken,
    });
    expect(daily.statusCode).toBe(200);
    const days = daily.json().items as Array<{ credited: number }>;
    expect(days.filter((d) => d.credited > 0).length).toBeGreaterThanOrEqual(4);
    expect(daily.json().totals.credited).toBe(credited.filter((p) => p.username === "alice").length);
  });

  it("dates and numbers the seeded posts as a simulator started on this database lists them", async () => {
    const demo = await startDemoForum(merit.core, 3_600_000);
    try {
      const seeded = await seededPosts();
      for (const userId of new Set(seeded.map((p) => p.forum_user_id))) {
        const res = await fetch(`${demo.url}/index.php?action=profile;u=${userId};sa=showPosts;start=0`);
        const listed = parsePostsPage(decodePage(new Uint8Array(await res.arrayBuffer()))).posts;
        const mine = seeded.filter((p) => p.forum_user_id === userId);
        expect(listed.length).toBeLessThan(20);
        expect(
          mine.map((p) => ({
            messageId: Number(p.message_id),
            topicId: Number(p.topic_id),
            boardName: p.board_name,
            postedAt: new Date(p.posted_at),
            contentLength: p.content_length,
          })),
        ).toEqual(listed.filter((l) => l.postedAt < merit.clock.now()).reverse());
      }
    } finally {
      demo.activity.stop();
      await demo.sim.close();
    }
  });

  it("lets the live scraper recognise the seeded posts: new posts only, nothing credited twice", async () => {
    const forum = merit.composition.forum;
    await settled();
    const seeded = await seededPosts();
    await forum.scheduler.runRoundNow(DEMO_CAMPAIGN_SLUG);
    await settled();
    // The seeded posts are as they were, and every post the live rounds found (these and the
    // earlier ones) was written since the seed: none of the history came back as a new post.
    expect(await seededPosts()).toEqual(seeded);
    const found = (await campaignPosts()).filter((p) => !seeded.some((s) => s.id === p.id));
    expect(found.filter((p) => new Date(p.posted_at).getTime() < seedTime)).toEqual([]);

    // Past maturation a round decides the live posts (a scheduled check may take a profile first).
    merit.clock.advance(11 * 60_000);
    const maturedPending = async () => {
      const pending = (await campaignPosts()).filter(
        (p) => p.status === "pending" && new Date(p.posted_at).getTime() <= seedTime,
      );
      if (pending.length > 0) await forum.scheduler.runRoundNow(DEMO_CAMPAIGN_SLUG);
      return pending.length;
    };
    await expect.poll(maturedPending, { timeout: 60_000, interval: 500 }).toBe(0);
    await settled();
    const credited = (await campaignPosts()).filter((p) => p.status === "credited");
    const awards = await forumAwards();
    expect(awards.every((a) => a.awards === 1)).toBe(true);
    expect(awards.map((a) => a.source_ref).sort()).toEqual(credited.map((p) => `forum-post:${p.id}`).sort());
    expect(new Set(credited.map((p) => p.contribution_id)).size).toBe(credited.length);
    expect((await merit.composition.points.ledger.verify()).differences).toBe(0);
  });
});
