// Request/response schemas of leaderboards and snapshots (campaigns: campaigns.schemas.ts).
import { Type } from "typebox";
import { Offset } from "../../core/http/schemas.ts";
import { Pool } from "./campaigns.schemas.ts";
import { DecimalString } from "./catalog.schemas.ts";

const boardNameRule = {
  description: "global, category:<slug> or campaign:<slug>",
  pattern: "^(global|(category|campaign):[a-z0-9-]+)$",
};
/** A board in a query, global when absent. */
export const BoardName = Type.String({ ...boardNameRule, default: "global" });
/** A board a list is narrowed to; without one, the list holds every board (so no default). */
export const BoardFilter = Type.String({
  ...boardNameRule,
  description: "only this board (global, category:<slug> or campaign:<slug>); every board when absent",
});
export const PeriodName = Type.Union(
  [Type.Literal("all"), Type.Literal("week"), Type.Literal("month"), Type.Literal("custom")],
  {
    description: "all time, this week (Monday-Sunday UTC), this month (UTC) or custom from/to",
    default: "all",
  },
);

export const BoardQuery = Type.Object({
  board: Type.Optional(BoardName),
  period: Type.Optional(PeriodName),
  from: Type.Optional(Type.String({ description: "custom: start (date or date-time, inclusive)" })),
  to: Type.Optional(
    Type.String({ description: "custom: end (date-time exclusive; a plain date includes that day)" }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Offset),
  search: Type.Optional(Type.String({ maxLength: 100, description: "username or display name contains" })),
});

export const BoardItem = Type.Object({
  rank: Type.Integer({ description: "Standard competition rank (1, 2, 2, 4)" }),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  points: DecimalString("Global points"),
  contributions: Type.Integer(),
  share: Type.Optional(
    DecimalString(
      "Campaign boards with a pool, period all: estimated share of the pool in token units (the pool is split over the whole campaign, so other periods carry no share)",
    ),
  ),
});

export const BoardPage = Type.Object({
  board: Type.String(),
  period: PeriodName,
  bucket: Type.Union([Type.String(), Type.Null()]),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.Union([Type.String(), Type.Null()]),
  items: Type.Array(BoardItem),
  total: Type.Integer(),
});

export const RankQuery = Type.Object({
  board: Type.Optional(BoardName),
  period: Type.Optional(PeriodName),
  from: BoardQuery.properties.from,
  to: BoardQuery.properties.to,
  user: Type.String({ description: "username or user id" }),
});

export const RankView = Type.Object({
  board: Type.String(),
  period: Type.String(),
  bucket: Type.Union([Type.String(), Type.Null()]),
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  rank: Type.Union([Type.Integer(), Type.Null()], { description: "null when hidden or without points here" }),
  points: DecimalString("Global points on this board"),
  contributions: Type.Integer(),
  total: Type.Integer({ description: "Ranked participants on this board" }),
  share: Type.Optional(
    DecimalString(
      "Campaign boards with a pool, period all: the participant's estimated share in token units (the same split as the board's pages)",
    ),
  ),
});

const Instant = Type.String({ format: "date-time" });

export const SnapshotSchedule = Type.Object({
  trigger: Type.Union([Type.Literal("daily"), Type.Literal("weekly")]),
  cron: Type.String({ description: "Five-field cron, UTC; empty: the run is switched off" }),
  period: Type.Union([Type.Literal("all"), Type.Literal("week")], {
    description:
      "What each board's snapshot freezes: all time (daily run) or the week ending at the run (weekly)",
  }),
  boards: Type.Array(Type.String(), { description: "As set; category:* and campaign:* expand at each run" }),
  nextRunAt: Type.Union([Instant, Type.Null()], {
    description: "The next minute the cron matches; null when switched off or never due",
  }),
  lastRun: Type.Union([
    Type.Object({
      dueAt: Instant,
      startedAt: Instant,
      finishedAt: Type.Union([Instant, Type.Null()], {
        description:
          "Null while running, or when it stopped half-way (the next tick within the hour finishes it)",
      }),
    }),
    Type.Null(),
  ]),
});

export const SnapshotSummary = Type.Object({
  id: Type.String({ format: "uuid" }),
  board: Type.String(),
  period: Type.String(),
  bucket: Type.Union([Type.String(), Type.Null()]),
  label: Type.Union([Type.String(), Type.Null()]),
  trigger: Type.String({ description: "manual, daily or weekly" }),
  takenAt: Type.String({ format: "date-time" }),
  total: Type.Integer(),
  pool: Type.Union([Pool, Type.Null()], {
    description:
      "Campaign boards with a pool (period all): the pool as it stood when the snapshot was taken, which the items' `share` split; null elsewhere",
  }),
});

export const Snapshot = Type.Intersect([SnapshotSummary, Type.Object({ items: Type.Array(BoardItem) })]);

export const NewSnapshot = Type.Object(
  {
    board: Type.String(boardNameRule),
    period: Type.Optional(Type.Union([Type.Literal("all"), Type.Literal("week"), Type.Literal("month")])),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
