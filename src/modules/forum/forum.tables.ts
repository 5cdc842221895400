// Drizzle mirror of migrations/0003_forum.sql and 0011_forum_ownership.sql (the SQL files are the source of truth; keep both in step).
import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const forumSites = pgTable("forum_sites", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  baseUrl: text("base_url").notNull(),
  createdAt: ts("created_at").notNull().defaultNow(),
});

export const forumRanks = pgTable(
  "forum_ranks",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    siteId: text("site_id").notNull(),
    name: text("name").notNull(),
    bonusPercent: numeric("bonus_percent").notNull().default("0"),
    allowed: boolean("allowed").notNull().default(false),
    sortOrder: integer("sort_order").notNull().default(0),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("forum_ranks_site_name_idx").on(t.siteId, sql`lower(${t.name})`)],
);

export const forumSignatures = pgTable("forum_signatures", {
  id: uuid("id").primaryKey().defaultRandom(),
  siteId: text("site_id").notNull(),
  name: text("name").notNull(),
  code: text("code").notNull(),
  imageUrl: text("image_url"),
  allowedRanks: text("allowed_ranks").array().notNull().default(sql`ARRAY[]::text[]`),
  active: boolean("active").notNull().default(true),
  createdAt: ts("created_at").notNull().defaultNow(),
  updatedAt: ts("updated_at").notNull().defaultNow(),
});

export const forumCampaigns = pgTable(
  "forum_campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    siteId: text("site_id").notNull(),
    startsAt: ts("starts_at").notNull(),
    endsAt: ts("ends_at"),
    poolAmount: numeric("pool_amount"),
    poolToken: text("pool_token"),
    postPoints: numeric("post_points").notNull().default("100"),
    maturationMinutes: integer("maturation_minutes").notNull().default(1440),
    uptimeThresholdPercent: numeric("uptime_threshold_percent").notNull().default("90"),
    scrapeIntervalSeconds: integer("scrape_interval_seconds").notNull().default(300),
    minPostLength: integer("min_post_length"),
    excludedBoards: text("excluded_boards").array().notNull().default(sql`ARRAY[]::text[]`),
    weeklyPostCap: integer("weekly_post_cap"),
    weekResetDay: integer("week_reset_day").notNull().default(1),
    pointsCampaignId: uuid("points_campaign_id"),
    contributionTypeId: uuid("contribution_type_id"),
    nextRoundAt: ts("next_round_at"),
    lastRoundAt: ts("last_round_at"),
    lastPlan: jsonb("last_plan"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("forum_campaigns_slug_idx").on(t.slug)],
);

export const forumProfiles = pgTable(
  "forum_profiles",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    siteId: text("site_id").notNull(),
    campaignId: uuid("campaign_id").notNull(),
    forumUserId: integer("forum_user_id").notNull(),
    forumUsername: text("forum_username").notNull(),
    position: text("position").notNull(),
    signatureId: uuid("signature_id"),
    status: text("status").notNull().default("unverified"),
    verifiedAt: ts("verified_at"),
    trackingSince: ts("tracking_since"),
    lastAttemptAt: ts("last_attempt_at"),
    lastSuccessAt: ts("last_success_at"),
    lastHistoryAt: ts("last_history_at"),
    lastSignatureFound: boolean("last_signature_found"),
    lastOutcome: text("last_outcome"),
    checks: integer("checks").notNull().default(0),
    maxGapSeconds: integer("max_gap_seconds").notNull().default(0),
    leaseUntil: ts("lease_until"),
    createdAt: ts("created_at").notNull().defaultNow(),
    /** The claim's own code; must be on the forum profile when the claim is first verified. */
    verificationCode: text("verification_code").notNull().default(sql`forum_verification_code()`),
    /** When ownership was proven (the code found); kept across design changes. */
    ownerVerifiedAt: ts("owner_verified_at"),
  },
  (t) => [
    index("forum_profiles_forum_user_idx").on(t.siteId, t.forumUserId),
    // Several users may claim one forum account; only one claim of it can be proven.
    uniqueIndex("forum_profiles_owner_idx")
      .on(t.siteId, t.forumUserId)
      .where(sql`${t.ownerVerifiedAt} IS NOT NULL`),
    uniqueIndex("forum_profiles_user_site_idx").on(t.userId, t.siteId),
    index("forum_profiles_campaign_idx").on(t.campaignId, t.status),
  ],
);

export const forumPosts = pgTable(
  "forum_posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    campaignId: uuid("campaign_id").notNull(),
    profileId: uuid("profile_id").notNull(),
    messageId: bigint("message_id", { mode: "number" }).notNull(),
    topicId: bigint("topic_id", { mode: "number" }).notNull(),
    boardName: text("board_name"),
    postedAt: ts("posted_at").notNull(),
    contentLength: integer("content_length").notNull(),
    rankName: text("rank_name").notNull(),
    bonusPercent: numeric("bonus_percent").notNull(),
    points: numeric("points").notNull(),
    status: text("status").notNull().default("pending"),
    reason: text("reason"),
    maturesAt: ts("matures_at").notNull(),
    missingMs: bigint("missing_ms", { mode: "number" }).notNull().default(0),
    observedUntil: ts("observed_until").notNull(),
    missedScans: integer("missed_scans").notNull().default(0),
    uptimePercent: numeric("uptime_percent"),
    contributionId: uuid("contribution_id"),
    discoveredAt: ts("discovered_at").notNull(),
    decidedAt: ts("decided_at"),
  },
  (t) => [
    uniqueIndex("forum_posts_campaign_message_idx").on(t.campaignId, t.messageId),
    index("forum_posts_profile_idx").on(t.profileId, t.postedAt),
    index("forum_posts_pending_idx").on(t.campaignId, t.maturesAt).where(sql`${t.status} = 'pending'`),
  ],
);

export const forumScrapes = pgTable(
  "forum_scrapes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    profileId: uuid("profile_id"),
    campaignId: uuid("campaign_id"),
    siteId: text("site_id").notNull(),
    forumUserId: integer("forum_user_id").notNull(),
    kind: text("kind").notNull(),
    outcome: text("outcome").notNull(),
    httpStatus: integer("http_status"),
    attempts: integer("attempts").notNull().default(1),
    pages: integer("pages").notNull().default(0),
    signatureFound: boolean("signature_found"),
    links: jsonb("links"),
    missingLinks: jsonb("missing_links"),
    newPosts: integer("new_posts"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: ts("created_at").notNull(),
  },
  (t) => [index("forum_scrapes_profile_idx").on(t.profileId, t.id)],
);

export const forumHosts = pgTable("forum_hosts", {
  host: text("host").primaryKey(),
  nextSlotAt: ts("next_slot_at").notNull(),
  consecutiveFailures: integer("consecutive_failures").notNull().default(0),
  openUntil: ts("open_until"),
});
