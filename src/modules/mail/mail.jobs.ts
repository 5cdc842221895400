// The only place mail leaves Merit: a job with retries and backoff; the outbox row tracks the outcome.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import type { JobRegistry } from "../../core/jobs/job-registry.ts";
import type { Logger } from "../../core/logger.ts";
import type { MailTransport } from "../../core/mail/mail-transport.ts";
import * as repo from "./mail.repo.ts";
import { MAIL_SEND_JOB } from "./mail.service.ts";

const RETRY_LIMIT = 5;

/** Registers `mail.send` ({outboxId}): delivers through the configured transport. */
export function defineMailJobs(deps: {
  db: Database;
  clock: Clock;
  registry: JobRegistry;
  logger: Logger;
  transport: MailTransport;
  from: string;
}): void {
  deps.registry.define<{ outboxId: string }>({
    name: MAIL_SEND_JOB,
    retryLimit: RETRY_LIMIT,
    retryDelay: 15,
    retryBackoff: true,
    handler: async ({ outboxId }, job) => {
      // A real transport delivers the link; the stored copy then loses it. With the log transport
      // (development) the outbox is the mailbox, and keeps it.
      const out = deps.transport.kind !== "log";
      const mail = await repo.findOutbox(deps.db.orm, outboxId);
      // Delivered already (a retry after a crash between send and bookkeeping) or deleted: nothing to do.
      if (!mail || mail.status === "sent") return;
      try {
        await deps.transport.send({
          from: deps.from,
          to: mail.to_address,
          subject: mail.subject,
          text: mail.text_body,
          html: mail.html_body,
        });
      } catch (err) {
        const last = job.retryCount >= RETRY_LIMIT;
        await repo.recordAttempt(deps.db.orm, outboxId, {
          status: last ? "failed" : "queued",
          error: (err as Error).message.slice(0, 1000),
          sentAt: null,
          removeLink: out && last,
        });
        throw err;
      }
      await repo.recordAttempt(deps.db.orm, outboxId, {
        status: "sent",
        error: null,
        sentAt: deps.clock.now(),
        removeLink: out,
      });
    },
  });
}
