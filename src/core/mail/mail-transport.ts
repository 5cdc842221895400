// Mail transports chosen by MAIL_TRANSPORT: log (development default), SMTP (nodemailer), Postmark.
// Only the mail.send job calls these, never a request handler.
import nodemailer from "nodemailer";
import { ServerClient } from "postmark";
import type { Config } from "../../config.ts";
import type { Logger } from "../logger.ts";

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  kind: Config["mail"]["transport"];
  /** Delivers one mail; throws when the provider refuses it (the job retries). */
  send(mail: OutgoingMail): Promise<void>;
  close?(): void;
}

export interface MailTransportOptions {
  /** Replaces Postmark's HTTP fetch (tests answer locally instead of calling the API). */
  postmarkFetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

/** Builds the transport configured in MAIL_TRANSPORT. */
export function createMailTransport(
  config: Config["mail"],
  logger: Logger,
  options: MailTransportOptions = {},
): MailTransport {
  if (config.transport === "smtp") {
    if (!config.smtpUrl) throw new Error("SMTP_URL is required for the smtp transport");
    const transporter = nodemailer.createTransport(config.smtpUrl);
    return {
      kind: "smtp",
      async send(mail) {
        await transporter.sendMail(mail);
      },
      close: () => transporter.close(),
    };
  }
  if (config.transport === "postmark") {
    if (!config.postmarkServerToken) throw new Error("POSTMARK_SERVER_TOKEN is required for postmark");
    const client = new ServerClient(
      config.postmarkServerToken,
      options.postmarkFetch ? { fetch: options.postmarkFetch } : {},
    );
    return {
      kind: "postmark",
      async send(mail) {
        await client.sendEmail({
          From: mail.from,
          To: mail.to,
          Subject: mail.subject,
          TextBody: mail.text,
          HtmlBody: mail.html,
          MessageStream: "outbound",
        });
      },
    };
  }
  return {
    kind: "log",
    async send(mail) {
      // The outbox row already holds the full mail; the log line makes development flows followable.
      logger.info({ to: mail.to, subject: mail.subject, text: mail.text }, "mail (log transport)");
    },
  };
}
