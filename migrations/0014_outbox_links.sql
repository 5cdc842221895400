-- Mails carry live action links (confirm an address, reset a password): bearer secrets whose only
-- other copies are stored hashed. The outbox kept them in clear for ever, so any admin (who reads the
-- outbox) or a database backup could take over an account with a fresh reset link. Each mail with a
-- link now also stores its bodies with the link replaced; once the mail is out (sent, or failed for
-- good) through a real transport (smtp, postmark), those replace the bodies. With MAIL_TRANSPORT=log
-- (development) the outbox is the mailbox and keeps its links.
ALTER TABLE "mail_outbox" ADD COLUMN "redacted_text" text;
--> statement-breakpoint
ALTER TABLE "mail_outbox" ADD COLUMN "redacted_html" text;
