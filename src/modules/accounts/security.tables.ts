// Drizzle mirrors of migrations/0001_accounts.sql: sessions, tokens, keys, audit, appeals, throttling.
// (The mail outbox of the same migration lives in src/modules/mail/mail.tables.ts.)
import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "./accounts.tables.ts";

const tz = { withTimezone: true } as const;

/** A signed-in device; also the refresh-token family (reuse of a rotated token revokes it). */
export const sessions = pgTable(
  "sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", tz).notNull(),
    lastUsedAt: timestamp("last_used_at", tz).notNull(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    userAgent: text("user_agent"),
    ip: text("ip"),
    revokedAt: timestamp("revoked_at", tz),
    revokeReason: text("revoke_reason"),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    sessionId: uuid("session_id")
      .notNull()
      .references(() => sessions.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    createdAt: timestamp("created_at", tz).notNull(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    usedAt: timestamp("used_at", tz),
  },
  (t) => [
    uniqueIndex("refresh_tokens_token_hash_idx").on(t.tokenHash),
    index("refresh_tokens_session_id_idx").on(t.sessionId),
  ],
);

/** Single-use e-mail tokens: purpose confirm | change-email | reset-password. */
export const userTokens = pgTable(
  "user_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    purpose: text("purpose").notNull(),
    tokenHash: text("token_hash").notNull(),
    newEmail: text("new_email"),
    createdAt: timestamp("created_at", tz).notNull(),
    expiresAt: timestamp("expires_at", tz).notNull(),
    usedAt: timestamp("used_at", tz),
  },
  (t) => [
    uniqueIndex("user_tokens_token_hash_idx").on(t.tokenHash),
    index("user_tokens_user_id_idx").on(t.userId),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scopes: text("scopes").array().notNull().default(sql`ARRAY[]::text[]`),
    prefix: text("prefix").notNull(),
    keyHash: text("key_hash").notNull(),
    createdAt: timestamp("created_at", tz).notNull(),
    lastUsedAt: timestamp("last_used_at", tz),
    revokedAt: timestamp("revoked_at", tz),
  },
  (t) => [
    uniqueIndex("api_keys_key_hash_idx").on(t.keyHash),
    uniqueIndex("api_keys_prefix_idx").on(t.prefix),
    index("api_keys_user_id_idx").on(t.userId),
  ],
);

export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    createdAt: timestamp("created_at", tz).notNull(),
    usedAt: timestamp("used_at", tz),
  },
  (t) => [index("recovery_codes_user_id_idx").on(t.userId)],
);

export const siweNonces = pgTable("siwe_nonces", {
  nonce: text("nonce").primaryKey(),
  createdAt: timestamp("created_at", tz).notNull(),
  expiresAt: timestamp("expires_at", tz).notNull(),
  usedAt: timestamp("used_at", tz),
});

export const auditLog = pgTable(
  "audit_log",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    type: text("type").notNull(),
    userId: uuid("user_id"),
    actorId: uuid("actor_id"),
    ip: text("ip"),
    details: jsonb("details").notNull().default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", tz).notNull(),
  },
  (t) => [
    index("audit_log_created_at_idx").on(t.createdAt),
    index("audit_log_user_id_idx").on(t.userId),
    index("audit_log_type_idx").on(t.type),
    index("audit_log_actor_id_idx").on(t.actorId),
  ],
);

/** One appeal per ban: (user, ban start) is unique. */
export const appeals = pgTable(
  "appeals",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    banStartedAt: timestamp("ban_started_at", tz).notNull(),
    banReason: text("ban_reason"),
    message: text("message").notNull(),
    status: text("status").notNull().default("open"),
    createdAt: timestamp("created_at", tz).notNull(),
    decidedAt: timestamp("decided_at", tz),
    decidedBy: uuid("decided_by"),
    note: text("note"),
  },
  (t) => [
    uniqueIndex("appeals_user_ban_idx").on(t.userId, t.banStartedAt),
    index("appeals_status_idx").on(t.status),
  ],
);

/** Fixed-window request counters (per IP / per account), shared by all processes. */
export const rateLimitCounters = pgTable("rate_limit_counters", {
  key: text("key").primaryKey(),
  hits: integer("hits").notNull(),
  windowStart: timestamp("window_start", tz).notNull(),
});

/** Consecutive failures and progressive lockout per IP / per account. */
export const authLockouts = pgTable("auth_lockouts", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull(),
  lastFailureAt: timestamp("last_failure_at", tz).notNull(),
  lockedUntil: timestamp("locked_until", tz),
});
