// Mail: render from a template, record in the outbox and enqueue delivery in the caller's transaction,
// so a mail exists exactly when the state change that caused it commits. Delivery is the job's business.
import type { Clock } from "../../core/clock.ts";
import type { Database, Tx } from "../../core/db/client.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import type { JobQueue } from "../../core/jobs/job-runner.ts";
import * as repo from "./mail.repo.ts";
import { type MailTemplate, type MailVars, renderMail, withoutLink } from "./mail.templates.ts";

export const MAIL_SEND_JOB = "mail.send";

export interface MailRequest {
  to: string;
  template: MailTemplate;
  locale?: string | null;
  vars: MailVars;
}

export interface OutboxView {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  status: repo.OutboxRow["status"];
  attempts: number;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
}

export interface MailService {
  /** Renders a mail, stores it as queued and enqueues `mail.send` inside `tx`. */
  enqueue(tx: Tx, mail: MailRequest): Promise<string>;
  /**
   * Deletes every mail to these addresses inside `tx` (an account deleted: its mail is personal
   * data). A queued one is then never sent: the job finds no row.
   */
  forgetRecipients(tx: Tx, addresses: string[]): Promise<number>;
  /** The outbox, newest first (admins only). */
  listOutbox(
    actor: Actor | null,
    page: { limit: number; offset: number },
  ): Promise<{ items: OutboxView[]; total: number }>;
}

const view = (r: repo.OutboxRow): OutboxView => ({
  id: r.id,
  to: r.to_address,
  subject: r.subject,
  text: r.text_body,
  html: r.html_body,
  template: r.template,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  createdAt: new Date(r.created_at).toISOString(),
  sentAt: r.sent_at ? new Date(r.sent_at).toISOString() : null,
});

/** Creates the mail service. */
export function createMailService(deps: { db: Database; clock: Clock; jobs: JobQueue }): MailService {
  return {
    async enqueue(tx, mail) {
      const rendered = renderMail(mail.template, mail.locale, mail.vars);
      const row = await repo.insertOutbox(tx, {
        to: mail.to,
        ...rendered,
        template: mail.template,
        createdAt: deps.clock.now(),
        redacted: withoutLink(rendered, mail.vars.link),
      });
      await deps.jobs.send(MAIL_SEND_JOB, { outboxId: row.id }, { tx });
      return row.id;
    },
    forgetRecipients(tx, addresses) {
      return repo.deleteMailTo(tx, addresses);
    },
    async listOutbox(actor, page) {
      requireRole(actor, "admin");
      const r = await repo.listOutbox(deps.db.orm, page.limit, page.offset);
      return { items: r.items.map(view), total: r.total };
    },
  };
}
