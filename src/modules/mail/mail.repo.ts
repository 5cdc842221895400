import { sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";

export interface OutboxRow {
  id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  template: string;
  status: "queued" | "sent" | "failed";
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  redacted_text: string | null;
  redacted_html: string | null;
}

export interface NewOutboxMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  createdAt: Date;
  /** The bodies with the action link replaced, when the mail has one. */
  redacted: { text: string; html: string } | null;
}

/** Records a queued mail. */
export async function insertOutbox(db: Tx, m: NewOutboxMail): Promise<OutboxRow> {
  const row = await firstRow<OutboxRow>(
    db,
    sql`INSERT INTO mail_outbox (to_address, subject, text_body, html_body, template, created_at, redacted_text, redacted_html)
        VALUES (${m.to}, ${m.subject}, ${m.text}, ${m.html}, ${m.template}, ${m.createdAt.toISOString()},
          ${m.redacted?.text ?? null}, ${m.redacted?.html ?? null})
        RETURNING *`,
  );
  return row!;
}

export function findOutbox(db: Tx, id: string): Promise<OutboxRow | null> {
  return firstRow<OutboxRow>(db, sql`SELECT * FROM mail_outbox WHERE id = ${id}`);
}

/**
 * Marks a delivery attempt's result. With `removeLink` the stored bodies become their copies without
 * the action link (when the mail has one): call it once the mail is out for good.
 */
export async function recordAttempt(
  db: Tx,
  id: string,
  r: { status: OutboxRow["status"]; error: string | null; sentAt: Date | null; removeLink: boolean },
): Promise<void> {
  const bodies = r.removeLink
    ? sql`, text_body = coalesce(redacted_text, text_body), html_body = coalesce(redacted_html, html_body),
        redacted_text = NULL, redacted_html = NULL`
    : sql``;
  await db.execute(sql`UPDATE mail_outbox SET status = ${r.status}, attempts = attempts + 1,
      last_error = ${r.error}, sent_at = ${r.sentAt?.toISOString() ?? null} ${bodies} WHERE id = ${id}`);
}

/** Deletes every mail to these addresses (any case); returns how many. */
export async function deleteMailTo(db: Tx, addresses: string[]): Promise<number> {
  if (addresses.length === 0) return 0;
  const r = await rows<{ n: number }>(
    db,
    sql`WITH d AS (DELETE FROM mail_outbox WHERE lower(to_address) IN
          (SELECT lower(a) FROM jsonb_array_elements_text(${JSON.stringify(addresses)}::jsonb) AS t(a))
        RETURNING 1) SELECT count(*)::int AS n FROM d`,
  );
  return r[0]?.n ?? 0;
}

/** A page of the outbox, newest first. */
export async function listOutbox(db: Tx, limit: number, offset: number) {
  const items = await rows<OutboxRow>(
    db,
    sql`SELECT * FROM mail_outbox ORDER BY created_at DESC, id DESC LIMIT ${limit} OFFSET ${offset}`,
  );
  const total = await firstRow<{ n: number }>(db, sql`SELECT count(*)::int AS n FROM mail_outbox`);
  return { items, total: total?.n ?? 0 };
}
