import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf, Pagination } from "../../core/http/schemas.ts";
import type { MailService } from "./mail.service.ts";

const OutboxItem = Type.Object({
  id: Type.String({ format: "uuid" }),
  to: Type.String(),
  subject: Type.String(),
  text: Type.String(),
  html: Type.String(),
  template: Type.String(),
  status: Type.Union([Type.Literal("queued"), Type.Literal("sent"), Type.Literal("failed")]),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: "date-time" }),
  sentAt: Type.Union([Type.String({ format: "date-time" }), Type.Null()]),
});

/** Admin view of the mail outbox. */
export function mailRoutes(mail: MailService) {
  return async (app: App) => {
    app.get(
      "/api/admin/outbox",
      {
        schema: {
          tags: ["admin"],
          summary: "Read the mail outbox",
          description:
            'Every mail Merit sent or will send, newest first, with its delivery status. Once a mail is out (sent, or failed for good) through smtp or postmark, its action link (confirm, reset) is replaced by "[link removed once sent]": no live link stays stored. With MAIL_TRANSPORT=log this is where development mail ends up, links included.',
          security: [{ bearerAuth: [] }],
          querystring: Pagination,
          response: { 200: ListOf(OutboxItem), ...ErrorResponses },
        },
      },
      async (request) =>
        mail.listOutbox(request.actor, {
          limit: request.query.limit ?? 20,
          offset: request.query.offset ?? 0,
        }),
    );
  };
}
