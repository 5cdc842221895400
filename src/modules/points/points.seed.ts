// Demo data: categories, types with multiplier history, a 30-day campaign with a 120,000 VTX pool,
// and a few hundred contributions over the demo members so the boards look alive. Idempotent.
import type { CoreContext } from "../../core/module.ts";
import type { AwardInput } from "./contributions.service.ts";
import * as people from "./participants.repo.ts";
import type { PointsServices } from "./points.module.ts";

const DAY = 86_400_000;
/** Midnight UTC of the day of `d`, in ms. */
const dayStart = (d: Date) => Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
const MEMBERS = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"];

const CATEGORIES = [
  { slug: "validator", name: "Validator", description: "Running and securing nodes" },
  { slug: "builder", name: "Builder", description: "Code, tools and documentation" },
  { slug: "community", name: "Community", description: "Content, events and support" },
];

const TYPES = [
  {
    slug: "node-uptime",
    name: "Node uptime",
    category: "validator",
    min: 10,
    max: 100,
    history: [["1.00", 0]],
  },
  {
    slug: "node-setup",
    name: "Node setup",
    category: "validator",
    min: 50,
    max: 500,
    history: [["2.00", 40]],
  },
  {
    slug: "code-contribution",
    name: "Code contribution",
    category: "builder",
    min: 10,
    max: 500,
    history: [["1.50", 30]],
  },
  { slug: "bug-report", name: "Bug report", category: "builder", min: 5, max: 100, history: [["1.25", 14]] },
  { slug: "docs", name: "Documentation", category: "builder", min: 5, max: 50, history: [] },
  {
    slug: "content",
    name: "Content",
    category: "community",
    min: 5,
    max: 100,
    history: [
      ["0.75", 60],
      ["1.10", 10],
    ],
  },
  { slug: "event-hosting", name: "Event hosting", category: "community", min: 20, max: 200, history: [] },
  {
    slug: "support",
    name: "Community support",
    category: "community",
    min: 1,
    max: 20,
    history: [["1.20", 20]],
  },
] as const;

/** Small deterministic PRNG so every demo database looks the same. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Seeds the demo points data (after the accounts seed created admin and alice..heidi). */
export async function seedDemoPoints(core: CoreContext, svc: PointsServices): Promise<void> {
  const admin = await people.findByUsername(core.db.orm, "admin");
  if (!admin) return;
  if ((await svc.catalog.listCategories()).length > 0) return;
  const actor = { userId: admin.id, roles: ["admin" as const], via: "session" as const };
  const now = core.clock.now();
  for (const c of CATEGORIES) await svc.catalog.createCategory(actor, c);
  const types = [];
  for (const t of TYPES) {
    const created = await svc.catalog.createType(actor, {
      slug: t.slug,
      name: t.name,
      category: t.category,
      minPoints: t.min,
      maxPoints: t.max,
      submittable: t.category === "community",
    });
    for (const [value, daysAgo] of t.history) {
      await svc.catalog.createMultiplier(actor, {
        contributionTypeId: created.id,
        value,
        validFrom: new Date(now.getTime() - daysAgo * DAY).toISOString(),
        description: `Demo: ${value}x`,
      });
    }
    types.push(created);
  }
  // 30 days around the seed, so the demo's campaign has a board and time left whatever the day (a
  // calendar-month window was empty on the first of a month: the demo contributions are all past).
  const today = dayStart(now);
  await svc.campaigns.create(actor, {
    slug: "launch-sprint",
    name: "Launch sprint",
    description: "Builders and validators share 120,000 VTX over 30 days, pro rata by points.",
    startsAt: new Date(today - 20 * DAY).toISOString(),
    endsAt: new Date(today + 10 * DAY).toISOString(),
    pool: { amount: "120000", token: "VTX", decimals: 8 },
    contributionTypes: types.filter((t) => t.category !== "community").map((t) => t.id),
  });
  const members = [];
  for (const name of MEMBERS) {
    const u = await people.findByUsername(core.db.orm, name);
    if (u) members.push(u);
  }
  const random = mulberry32(2026);
  const awards: AwardInput[] = [];
  for (let i = 0; i < 300; i++) {
    // Skewed towards the first members so the podium is clear; dates over the last 45 days.
    const member = members[Math.floor(random() ** 1.6 * members.length)];
    const type = types[Math.floor(random() * types.length)];
    if (!member) break;
    const points = type.minPoints + Math.floor(random() * (type.maxPoints - type.minPoints + 1) * 0.5);
    const date = new Date(now.getTime() - Math.floor(random() * 45 * DAY));
    awards.push({
      userId: member.id,
      contributionTypeId: type.id,
      points,
      contributionDate: date.toISOString(),
      notes: "Demo contribution",
      evidence: [{ url: `https://example.org/demo/${i}`, description: "Demo evidence" }],
    });
  }
  // One set-based write: ~300 single awards took over a minute on on-disk PGlite.
  await svc.contributions.awardMany(actor, awards);
}

/** Days of daily snapshots the demo starts with, so profiles show a rank history from the first visit. */
const HISTORY_DAYS = 21;

/**
 * The daily runs of the last HISTORY_DAYS midnights (today's included), freezing the global and
 * category boards as they stood then by contribution date: the custom range from the beginning of
 * time to that midnight. Campaign boards are left to the scheduled runs (their frozen pool shares
 * belong to the campaign as it is when taken).
 */
export async function seedRankHistory(core: CoreContext, svc: PointsServices): Promise<void> {
  if ((await svc.snapshots.list({ limit: 1 })).total > 0) return;
  const today = dayStart(core.clock.now());
  const categories = await svc.catalog.listCategories();
  if (categories.length === 0) return;
  const boards = ["global", ...categories.map((c) => `category:${c.slug}`)];
  for (let d = HISTORY_DAYS - 1; d >= 0; d--) {
    const due = new Date(today - d * DAY);
    const frozen = [];
    for (const board of boards) {
      const page = await svc.leaderboard.page({
        board,
        period: "custom",
        from: "1970-01-01T00:00:00.000Z",
        to: due.toISOString(),
        limit: 100,
      });
      frozen.push({ board, items: page.items });
    }
    await svc.snapshots.recordPastRun(due, frozen);
  }
}
