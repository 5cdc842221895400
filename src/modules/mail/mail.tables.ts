// Mirror of the mail_outbox table in migrations/0001_accounts.sql and 0014_outbox_links.sql.
import { index, integer, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

const tz = { withTimezone: true } as const;

/** Every mail Merit sends, with its delivery state (queued | sent | failed); admins read it. */
export const mailOutbox = pgTable(
  "mail_outbox",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    toAddress: text("to_address").notNull(),
    subject: text("subject").notNull(),
    textBody: text("text_body").notNull(),
    htmlBody: text("html_body").notNull(),
    template: text("template").notNull(),
    status: text("status").notNull().default("queued"),
    attempts: integer("attempts").notNull().default(0),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", tz).notNull(),
    sentAt: timestamp("sent_at", tz),
    /** The bodies with the action link replaced; they replace the bodies once the mail is out. */
    redactedText: text("redacted_text"),
    redactedHtml: text("redacted_html"),
  },
  (t) => [index("mail_outbox_created_at_idx").on(t.createdAt)],
);
