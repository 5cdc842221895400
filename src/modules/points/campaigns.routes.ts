// HTTP routes of campaigns, participants and stats.
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf, Pagination, ShortListPagination } from "../../core/http/schemas.ts";
import * as s from "./campaigns.schemas.ts";
import type { CampaignsService } from "./campaigns.service.ts";
import { DecimalString } from "./catalog.schemas.ts";
import { Contribution } from "./contributions.schemas.ts";
import type { ParticipantsService } from "./participants.service.ts";

const auth = [{ bearerAuth: [] }];

const ParticipantItem = Type.Object({
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  points: DecimalString("All-time global points"),
  contributions: Type.Integer({
    description:
      "Contributions counted on the global board, revoked ones not included (so 0 when all were revoked)",
  }),
});

const Profile = Type.Object({
  userId: Type.String({ format: "uuid" }),
  username: Type.String(),
  displayName: Type.Union([Type.String(), Type.Null()]),
  joinedAt: Type.String({ format: "date-time" }),
  listed: Type.Boolean({
    description:
      "False when the participant is hidden, banned or deleted: left out of every board (ranks null), and the profile is shown only to staff and to themselves",
  }),
  totals: Type.Object({ points: DecimalString("All-time global points"), contributions: Type.Integer() }),
  ranks: Type.Array(
    Type.Object({
      board: Type.String(),
      period: Type.String(),
      rank: Type.Union([Type.Integer(), Type.Null()]),
      points: DecimalString("Points on this board"),
      contributions: Type.Integer(),
      total: Type.Integer(),
    }),
  ),
  recentContributions: Type.Array(Contribution),
  rankHistory: Type.Array(
    Type.Object({
      snapshotId: Type.String({ format: "uuid" }),
      board: Type.String(),
      period: Type.String(),
      takenAt: Type.String({ format: "date-time" }),
      rank: Type.Integer(),
      points: DecimalString("Points at the snapshot"),
    }),
  ),
  pointsSeries: Type.Array(
    Type.Object({
      date: Type.String(),
      points: DecimalString("Points earned that day"),
      contributions: Type.Integer(),
    }),
  ),
});

const Stats = Type.Object({
  participants: Type.Integer(),
  contributions: Type.Integer(),
  points: DecimalString("All global points"),
  daily: Type.Array(
    Type.Object({
      date: Type.String(),
      contributions: Type.Integer(),
      points: DecimalString("Points that day"),
      participants: Type.Integer(),
    }),
  ),
  latest: Type.Array(Contribution, {
    description: "The 3 newest contributions (by contribution date) of visible participants, not revoked",
  }),
});

/** Registers campaign, participant and stats routes. */
export function campaignsRoutes(campaigns: CampaignsService, participants: ParticipantsService) {
  return async (app: App) => {
    app.get(
      "/api/campaigns",
      {
        schema: {
          tags: ["campaigns"],
          summary: "List campaigns",
          description: "Latest first.",
          querystring: ShortListPagination,
          response: { 200: ListOf(s.Campaign), ...ErrorResponses },
        },
      },
      async (request) => campaigns.list(request.query),
    );
    app.post(
      "/api/campaigns",
      {
        schema: {
          tags: ["campaigns"],
          summary: "Create a campaign",
          description:
            "Admins. A time window [startsAt, endsAt) (open-ended without endsAt) counting the given contribution types (all when empty), with an optional pool split pro rata by points (largest remainder, in the token's smallest unit). Contributions already in the window are counted at once.",
          security: auth,
          body: s.NewCampaign,
          response: { 201: s.Campaign, ...ErrorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await campaigns.create(request.actor, request.body)),
    );
    app.get(
      "/api/campaigns/:slug",
      {
        schema: {
          tags: ["campaigns"],
          summary: "One campaign",
          description:
            "A campaign by slug: window, pool, counted contribution types, participant count and points so far. Its board is `GET /api/leaderboard?board=campaign:<slug>`. 404 for an unknown slug.",
          params: Type.Object({ slug: Type.String() }),
          response: { 200: s.Campaign, ...ErrorResponses },
        },
      },
      async (request) => campaigns.get(request.params.slug),
    );
    app.patch(
      "/api/campaigns/:slug",
      {
        schema: {
          tags: ["campaigns"],
          summary: "Edit a campaign",
          description:
            "Admins. Changes name, description, window, pool or counted types; the slug never changes. A new window or type list recounts the campaign board from the ledger in the same request, so contributions move in or out of it at once. 422 INVALID_CAMPAIGN_WINDOW, INVALID_POOL or CONTRIBUTION_TYPE_NOT_FOUND change nothing; 409 CAMPAIGN_MANAGED for a campaign another module keeps in step (`managedBy`, e.g. a forum signature campaign: edit it there). Recorded in the audit log (campaign.updated) with the old and new values.",
          security: auth,
          params: Type.Object({ slug: Type.String() }),
          body: s.CampaignPatch,
          response: { 200: s.Campaign, ...ErrorResponses },
        },
      },
      async (request) => campaigns.update(request.actor, request.params.slug, request.body),
    );

    app.get(
      "/api/participants",
      {
        schema: {
          tags: ["participants"],
          summary: "Search participants",
          description:
            "The global board's participants: visible (not hidden, banned or deleted) with at least one live contribution, in the board's order (all-time global points, highest first; ties as on the board: who reached the total first, then user id), with `total` the board's count. Accounts without points (staff, newcomers, everything revoked) are left out, except that a `search` equal to their username finds them. Public.",
          querystring: Type.Intersect([
            Pagination,
            Type.Object({
              search: Type.Optional(
                Type.String({
                  maxLength: 100,
                  description:
                    "Part of a username or display name (case-insensitive), among the board's participants; an exact username also finds a visible account without points",
                }),
              ),
            }),
          ]),
          response: { 200: ListOf(ParticipantItem) },
        },
      },
      async (request) => participants.list(request.query),
    );
    app.get(
      "/api/participants/:username",
      {
        schema: {
          tags: ["participants"],
          summary: "A participant's profile",
          description:
            "Totals, rank on each board they are on (all/week/month), recent contributions, rank history from snapshots, daily points.",
          params: Type.Object({ username: Type.String() }),
          response: { 200: Profile, ...ErrorResponses },
        },
      },
      async (request) => participants.profile(request.actor, request.params.username),
    );
    app.get(
      "/api/stats",
      {
        schema: {
          tags: ["participants"],
          summary: "Totals, a daily series (last 30 days) and the latest contributions",
          description: "Public; computed at most once every 10 s and shared by every caller.",
          response: { 200: Stats },
        },
      },
      async () => participants.stats(),
    );
  };
}
