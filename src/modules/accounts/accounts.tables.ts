import { sql } from "drizzle-orm";
import { bigint, boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Null once the account is deleted (personal data removed, points history kept). */
    email: text("email"),
    username: text("username").notNull(),
    displayName: text("display_name"),
    passwordHash: text("password_hash"),
    roles: text("roles").array().notNull().default(sql`ARRAY['member']::text[]`),
    emailConfirmedAt: timestamp("email_confirmed_at", { withTimezone: true }),
    locale: text("locale"),
    twoFactorSecret: text("two_factor_secret"),
    twoFactorEnabledAt: timestamp("two_factor_enabled_at", { withTimezone: true }),
    /** Last TOTP time step accepted, so a code works once. */
    twoFactorLastStep: bigint("two_factor_last_step", { mode: "number" }),
    walletAddress: text("wallet_address"),
    referralCode: text("referral_code").notNull(),
    referredBy: uuid("referred_by"),
    bannedAt: timestamp("banned_at", { withTimezone: true }),
    banReason: text("ban_reason"),
    hidden: boolean("hidden").notNull().default(false),
    deletedAt: timestamp("deleted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("users_email_lower_idx").on(sql`lower(${t.email})`),
    uniqueIndex("users_username_lower_idx").on(sql`lower(${t.username})`),
    uniqueIndex("users_wallet_address_idx").on(t.walletAddress),
    uniqueIndex("users_referral_code_idx").on(t.referralCode),
    index("users_created_at_idx").on(t.createdAt),
  ],
);
