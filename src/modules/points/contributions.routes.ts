// HTTP routes of contributions (award, list, export, revoke, correct) and the admin ledger.
import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf, textResponse } from "../../core/http/schemas.ts";
import { IdParams } from "./catalog.schemas.ts";
import type { ContributionQueries } from "./contribution-queries.service.ts";
import * as s from "./contributions.schemas.ts";
import type { ContributionsService } from "./contributions.service.ts";

const auth = [{ bearerAuth: [] }];

/** Streams CSV lines as a download. */
export async function sendCsv(reply: FastifyReply, filename: string, lines: AsyncGenerator<string>) {
  // Pull the header first so errors (unknown board, bad range) still become JSON error responses.
  const first = await lines.next();
  async function* all() {
    if (!first.done) yield first.value;
    yield* lines;
  }
  return reply
    .type("text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .send(Readable.from(chunked(all())));
}

async function* chunked(gen: AsyncGenerator<string>) {
  {
    let chunk = "";
    for await (const line of gen) {
      chunk += line;
      if (chunk.length > 64_000) {
        yield chunk;
        chunk = "";
      }
    }
    if (chunk) yield chunk;
  }
}

/** Registers contribution and ledger routes. */
export function contributionsRoutes(svc: ContributionsService, queries: ContributionQueries) {
  return async (app: App) => {
    app.post(
      "/api/contributions",
      {
        schema: {
          tags: ["points"],
          summary: "Award points",
          description:
            "Admins and stewards. Give `username` or `userId` (both: they must name the same participant, else 422 USER_MISMATCH). Stores multiplierAtCreation (the multiplier valid on contributionDate) and globalPoints = points x multiplier exactly. 422 POINTS_OUT_OF_RANGE, CAP_EXCEEDED, CONTRIBUTION_TYPE_INACTIVE, USER_NOT_FOUND, CONTRIBUTION_DATE_IN_FUTURE.",
          security: auth,
          body: s.NewContribution,
          response: { 201: s.Contribution, ...ErrorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await svc.award(request.actor, request.body)),
    );
    app.get(
      "/api/contributions",
      {
        schema: {
          tags: ["points"],
          summary: "List contributions",
          description:
            "Newest contribution date first. Filters: user, type, category, campaign, from/to. The public sees contributions of visible participants only; staff see everyone's, and a participant also sees their own. A filter naming something unknown answers 404 with `details.field` set to that filter: PARTICIPANT_NOT_FOUND (also for a hidden, banned or deleted participant the caller may not see), CONTRIBUTION_TYPE_NOT_FOUND, BOARD_NOT_FOUND (category or campaign).",
          querystring: s.ContributionQuery,
          response: { 200: ListOf(s.Contribution), ...ErrorResponses },
        },
      },
      async (request) => queries.list(request.actor, request.query),
    );
    app.get(
      "/api/contributions/export.csv",
      {
        schema: {
          tags: ["points"],
          summary: "Export contributions as CSV",
          description:
            "Same filters as GET /api/contributions, every matching row (no pagination); revoke_reason as revokeReason there (empty unless the caller is staff or the contribution's participant).",
          querystring: Type.Omit(s.ContributionQuery, ["limit", "offset"]),
          produces: ["text/csv"],
          response: {
            200: textResponse(
              "text/csv",
              "Header line, then one line per contribution, newest contribution date first",
            ),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) =>
        sendCsv(reply, "contributions.csv", queries.csv(request.actor, request.query)),
    );
    app.get(
      "/api/contributions/:id",
      {
        schema: {
          tags: ["points"],
          summary: "One contribution",
          description:
            "A contribution with its frozen multiplier and global points, evidence and public notes; revoked ones too (`revokedAt`), with the revocation reason shown only to its participant and to staff. 404 CONTRIBUTION_NOT_FOUND for an unknown id, and for a contribution of a hidden, banned or deleted participant unless the caller is staff or that participant.",
          params: IdParams,
          response: { 200: s.Contribution, ...ErrorResponses },
        },
      },
      async (request) => svc.get(request.actor, request.params.id),
    );
    app.delete(
      "/api/contributions/:id",
      {
        schema: {
          tags: ["points"],
          summary: "Revoke a contribution",
          description: "Admins and stewards. Appends a revocation entry to the ledger; 409 ALREADY_REVOKED.",
          security: auth,
          params: IdParams,
          body: s.Reason,
          response: { 200: s.Contribution, ...ErrorResponses },
        },
      },
      async (request) => svc.revoke(request.actor, request.params.id, request.body.reason),
    );
    app.post(
      "/api/contributions/:id/corrections",
      {
        schema: {
          tags: ["points"],
          summary: "Correct a contribution's points",
          description:
            "Admins. Sets new base points (multiplier stays frozen); appends a correction entry to the ledger. 422 POINTS_OUT_OF_RANGE outside the type's range; 422 CAP_EXCEEDED when raising the points would pass the type's total or weekly cap (lowering is always allowed); 422 POINTS_UNCHANGED when the points are the same; 409 ALREADY_REVOKED.",
          security: auth,
          params: IdParams,
          body: s.Correction,
          response: { 200: s.Contribution, ...ErrorResponses },
        },
      },
      async (request) =>
        svc.correct(request.actor, request.params.id, request.body.points, request.body.reason),
    );
    app.get(
      "/api/admin/ledger",
      {
        schema: {
          tags: ["admin"],
          summary: "Points ledger",
          description:
            "Admins and stewards. Every award, correction and revocation, newest first. An unknown `user` answers 404 PARTICIPANT_NOT_FOUND, an unknown `contribution` 404 CONTRIBUTION_NOT_FOUND, each with `details.field`.",
          security: auth,
          querystring: s.LedgerQuery,
          response: { 200: ListOf(s.LedgerEntry), ...ErrorResponses },
        },
      },
      async (request) => queries.ledger(request.actor, request.query),
    );
  };
}
