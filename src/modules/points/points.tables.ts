// Drizzle mirror of migrations/0002_points.sql (the SQL file is the source of truth; keep both in step).
import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const ts = (name: string) => timestamp(name, { withTimezone: true });

export const contributionCategories = pgTable(
  "contribution_categories",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    createdAt: ts("created_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("contribution_categories_slug_idx").on(t.slug)],
);

export const contributionTypes = pgTable(
  "contribution_types",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    categoryId: uuid("category_id").notNull(),
    minPoints: integer("min_points").notNull(),
    maxPoints: integer("max_points").notNull(),
    isActive: boolean("is_active").notNull().default(true),
    isSubmittable: boolean("is_submittable").notNull().default(false),
    capTotal: integer("cap_total"),
    capPerParticipantWeek: integer("cap_per_participant_week"),
    createdAt: ts("created_at").notNull().defaultNow(),
    updatedAt: ts("updated_at").notNull().defaultNow(),
    /** The module that scores this type ("forum"); null: edited on the types page (migration 0017). */
    managedBy: text("managed_by"),
  },
  (t) => [
    uniqueIndex("contribution_types_slug_idx").on(t.slug),
    index("contribution_types_category_idx").on(t.categoryId),
  ],
);

export const multipliers = pgTable(
  "multipliers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    contributionTypeId: uuid("contribution_type_id").notNull(),
    value: numeric("value").notNull(),
    validFrom: ts("valid_from").notNull(),
    description: text("description"),
    createdAt: ts("created_at").notNull().defaultNow(),
    createdBy: uuid("created_by"),
  },
  (t) => [uniqueIndex("multipliers_type_valid_from_idx").on(t.contributionTypeId, t.validFrom)],
);

export const contributions = pgTable(
  "contributions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    contributionTypeId: uuid("contribution_type_id").notNull(),
    categoryId: uuid("category_id").notNull(),
    points: integer("points").notNull(),
    multiplierAtCreation: numeric("multiplier_at_creation").notNull(),
    globalPoints: numeric("global_points").notNull(),
    contributionDate: ts("contribution_date").notNull(),
    evidence: jsonb("evidence").notNull().default(sql`'[]'::jsonb`),
    notes: text("notes"),
    source: text("source").notNull().default("manual"),
    sourceRef: text("source_ref"),
    awardedBy: uuid("awarded_by"),
    createdAt: ts("created_at").notNull().defaultNow(),
    revokedAt: ts("revoked_at"),
    revokedBy: uuid("revoked_by"),
    revokeReason: text("revoke_reason"),
  },
  (t) => [
    index("contributions_user_date_idx").on(t.userId, t.contributionDate),
    index("contributions_type_user_date_idx").on(t.contributionTypeId, t.userId, t.contributionDate),
    index("contributions_created_at_idx").on(t.createdAt),
    // migrations/0012_award_source_ref.sql: an origin is awarded at most once.
    uniqueIndex("contributions_source_ref_key").on(t.source, t.sourceRef).where(sql`source_ref IS NOT NULL`),
  ],
);

export const ledgerEntries = pgTable("ledger_entries", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  contributionId: uuid("contribution_id").notNull(),
  userId: uuid("user_id").notNull(),
  kind: text("kind").notNull(),
  pointsDelta: integer("points_delta").notNull(),
  globalDelta: numeric("global_delta").notNull(),
  countDelta: integer("count_delta").notNull(),
  actorId: uuid("actor_id"),
  reason: text("reason"),
  createdAt: ts("created_at").notNull(),
});

export const campaigns = pgTable(
  "campaigns",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    startsAt: ts("starts_at").notNull(),
    /** Null: open-ended (migration 0004). */
    endsAt: ts("ends_at"),
    poolAmount: numeric("pool_amount"),
    poolToken: text("pool_token"),
    poolDecimals: integer("pool_decimals"),
    countsAllTypes: boolean("counts_all_types").notNull().default(true),
    createdAt: ts("created_at").notNull().defaultNow(),
    createdBy: uuid("created_by"),
    /** The module that keeps this campaign in step with its own record ("forum"); null: edited here (migration 0016). */
    managedBy: text("managed_by"),
  },
  (t) => [uniqueIndex("campaigns_slug_idx").on(t.slug)],
);

export const campaignTypes = pgTable(
  "campaign_types",
  { campaignId: uuid("campaign_id").notNull(), contributionTypeId: uuid("contribution_type_id").notNull() },
  (t) => [primaryKey({ columns: [t.campaignId, t.contributionTypeId] })],
);

export const boardTotals = pgTable(
  "board_totals",
  {
    board: text("board").notNull(),
    bucket: text("bucket").notNull(),
    userId: uuid("user_id").notNull(),
    points: numeric("points").notNull(),
    contributions: integer("contributions").notNull(),
    reachedAt: ts("reached_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.board, t.bucket, t.userId] })],
);

export const boardBands = pgTable(
  "board_bands",
  {
    board: text("board").notNull(),
    bucket: text("bucket").notNull(),
    band: integer("band").notNull(),
    participants: integer("participants").notNull(),
  },
  (t) => [primaryKey({ columns: [t.board, t.bucket, t.band] })],
);

/** Pending band moves appended by writers, folded into board_bands (migration 0007). */
export const boardBandDeltas = pgTable(
  "board_band_deltas",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    board: text("board").notNull(),
    bucket: text("bucket").notNull(),
    band: integer("band").notNull(),
    participants: integer("participants").notNull(),
  },
  (t) => [index("board_band_deltas_board_idx").on(t.board, t.bucket, t.band)],
);

export const leaderboardSnapshots = pgTable("leaderboard_snapshots", {
  id: uuid("id").primaryKey().defaultRandom(),
  board: text("board").notNull(),
  period: text("period").notNull(),
  bucket: text("bucket"),
  rangeFrom: ts("range_from"),
  rangeTo: ts("range_to"),
  label: text("label"),
  trigger: text("trigger").notNull(),
  slot: text("slot"),
  takenAt: ts("taken_at").notNull(),
  takenBy: uuid("taken_by"),
  total: integer("total").notNull(),
  /** The pool the frozen shares split (campaign boards with a pool, period all; 0015). */
  poolAmount: numeric("pool_amount"),
  poolToken: text("pool_token"),
  poolDecimals: integer("pool_decimals"),
});

export const leaderboardSnapshotEntries = pgTable(
  "leaderboard_snapshot_entries",
  {
    snapshotId: uuid("snapshot_id").notNull(),
    position: integer("position").notNull(),
    rank: integer("rank").notNull(),
    userId: uuid("user_id").notNull(),
    username: text("username").notNull(),
    displayName: text("display_name"),
    points: numeric("points").notNull(),
    contributions: integer("contributions").notNull(),
    /** Campaign boards with a pool, period all: the estimated share in token units when taken (0009). */
    share: numeric("share"),
  },
  (t) => [
    primaryKey({ columns: [t.snapshotId, t.position] }),
    index("leaderboard_snapshot_entries_user_idx").on(t.userId, t.snapshotId),
  ],
);

/** Scheduled snapshot runs, one per schedule slot (migration 0006). */
export const leaderboardSnapshotRuns = pgTable(
  "leaderboard_snapshot_runs",
  {
    runKey: text("run_key").primaryKey(),
    trigger: text("trigger").notNull(),
    dueAt: ts("due_at").notNull(),
    startedAt: ts("started_at").notNull(),
    finishedAt: ts("finished_at"),
    snapshots: integer("snapshots").notNull().default(0),
  },
  (t) => [index("leaderboard_snapshot_runs_trigger_due_idx").on(t.trigger, t.dueAt)],
);
