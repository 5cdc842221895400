import { jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

/** Runtime settings admins change while the app runs; defaults live in code, rows hold overrides. */
export const settings = pgTable("settings", {
  key: text("key").primaryKey(),
  value: jsonb("value").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedBy: uuid("updated_by"),
});
