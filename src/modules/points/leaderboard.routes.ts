// HTTP routes of leaderboards: pages, rank lookup, CSV export, the live stream, snapshots.
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf, Pagination, textResponse } from "../../core/http/schemas.ts";
import { sendCsv } from "./contributions.routes.ts";
import * as s from "./leaderboard.schemas.ts";
import type { LeaderboardService } from "./leaderboard.service.ts";
import type { PointsEvents } from "./points-events.ts";
import type { SnapshotsService } from "./snapshots.service.ts";

const auth = [{ bearerAuth: [] }];
const KEEPALIVE_MS = 25_000;

/** Registers leaderboard and snapshot routes. */
export function leaderboardRoutes(
  board: LeaderboardService,
  snapshots: SnapshotsService,
  events: PointsEvents,
) {
  return async (app: App) => {
    const streams = new Set<import("node:http").ServerResponse>();
    // Open streams never end by themselves; end them so the server can close.
    app.addHook("preClose", async () => {
      for (const res of streams) res.end();
    });
    app.get(
      "/api/leaderboard",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "A leaderboard page",
          description:
            "Boards: global, category:<slug>, campaign:<slug>. Periods: all, week (Monday-Sunday UTC), month (UTC), custom (from/to, by contribution date). Standard competition ranks (1, 2, 2, 4); inside a tie, whoever reached the total first comes first, then user id. Hidden and banned participants are left out without gaps. Campaign boards with a pool add `share`. period=custom without from or to: 400 RANGE_REQUIRED; a date it cannot read: 422 INVALID_DATE; to not after from: 422 INVALID_RANGE.",
          querystring: s.BoardQuery,
          response: { 200: s.BoardPage, ...ErrorResponses },
        },
      },
      async (request) => board.page(request.query),
    );
    app.get(
      "/api/leaderboard/rank",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "One participant's rank on a board",
          description:
            "Rank (standard competition ranking), points and contributions of one participant (`user`: username or id) on a board for all time, this week, this month or a custom from/to range (computed from that range's contributions, as its page is). `rank` is null when the participant has no points there, or is hidden, banned or deleted: such a participant is shown only to staff and to themselves, and anyone else gets 404 PARTICIPANT_NOT_FOUND, as for an unknown name. period=custom without from and to: 400 RANGE_REQUIRED.",
          querystring: s.RankQuery,
          response: { 200: s.RankView, ...ErrorResponses },
        },
      },
      async (request) => board.rankOf(request.actor, request.query),
    );
    app.get(
      "/api/leaderboard/export.csv",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "Export a whole board as CSV",
          description: "Same board/period/from/to as GET /api/leaderboard; every ranked row.",
          querystring: Type.Omit(s.BoardQuery, ["limit", "offset", "search"]),
          produces: ["text/csv"],
          response: {
            200: textResponse(
              "text/csv",
              "Header line rank,username,display_name,user_id,points,contributions (plus share,token on the all-time board of a campaign with a pool: the estimated share of the pool in token units, and the token symbol), then one line per ranked participant",
            ),
            ...ErrorResponses,
          },
        },
      },
      async (request, reply) => {
        const name = `${(request.query.board ?? "global").replace(":", "-")}-${request.query.period ?? "all"}.csv`;
        return sendCsv(reply, name, board.csv(request.query));
      },
    );
    app.get(
      "/api/leaderboard/stream",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "Live points events (server-sent events)",
          description:
            "text/event-stream. Events `award`, `revocation` and `correction` with JSON data {type, contributionId, userId, username, points (change), boards, contributionDate, at}; a comment every 25 s keeps proxies from closing it. Changes of hidden, banned or deleted participants are left out, as they are left out of the boards.",
          produces: ["text/event-stream"],
          response: {
            200: textResponse("text/event-stream", "An endless event stream (see the description)"),
          },
        },
      },
      async (request, reply) => {
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          "content-type": "text/event-stream; charset=utf-8",
          "cache-control": "no-cache, no-transform",
          connection: "keep-alive",
          "x-accel-buffering": "no",
        });
        res.write("retry: 3000\n: connected\n\n");
        const unsubscribe = events.subscribe((e) => {
          // Hidden, banned and deleted participants are left out of the boards, and so of the stream.
          if (e.listed === false) return;
          res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`);
        });
        const keepalive = setInterval(() => res.write(": keepalive\n\n"), KEEPALIVE_MS);
        streams.add(res);
        request.raw.on("close", () => {
          clearInterval(keepalive);
          unsubscribe();
          streams.delete(res);
        });
      },
    );

    app.get(
      "/api/leaderboard/snapshots",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "List snapshots",
          description:
            "Frozen boards, newest first: of every board, or of the one `board` names; each with its trigger (manual, daily, weekly), period and participant count. Public; the entries are at `/api/leaderboard/snapshots/{id}`.",
          querystring: Type.Intersect([Pagination, Type.Object({ board: Type.Optional(s.BoardFilter) })]),
          response: { 200: ListOf(s.SnapshotSummary), ...ErrorResponses },
        },
      },
      async (request) => snapshots.list(request.query),
    );
    app.post(
      "/api/leaderboard/snapshots",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "Take a snapshot now",
          description: "Admins. Freezes the board (period all, week or month) with ranks; kept forever.",
          security: auth,
          body: s.NewSnapshot,
          response: { 201: s.Snapshot, ...ErrorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await snapshots.create(request.actor, request.body)),
    );
    app.get(
      "/api/leaderboard/snapshots/schedule",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "The snapshot schedule",
          description:
            "Admins. The daily and weekly runs as the settings define them (cron, boards), each with its next run and how its last run went. Change them with PATCH /api/admin/settings (leaderboard.snapshot* keys).",
          security: auth,
          response: { 200: ListOf(s.SnapshotSchedule), ...ErrorResponses },
        },
      },
      async (request) => {
        const items = await snapshots.schedules(request.actor);
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/leaderboard/snapshots/:id",
      {
        schema: {
          tags: ["leaderboard"],
          summary: "One snapshot with its items",
          description: "Items are paginated with limit/offset; `total` is the number of ranked participants.",
          params: Type.Object({ id: Type.String({ format: "uuid" }) }),
          querystring: Pagination,
          response: { 200: s.Snapshot, ...ErrorResponses },
        },
      },
      async (request) =>
        snapshots.get(request.params.id, request.query.limit ?? 100, request.query.offset ?? 0),
    );
  };
}
