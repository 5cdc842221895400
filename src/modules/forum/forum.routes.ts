// Public and participant routes of forum campaigns, plus Venue's leaderboard-data endpoint.
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf } from "../../core/http/schemas.ts";
import * as s from "./forum.schemas.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import type { DailyService } from "./forum-daily.service.ts";
import type { ProfilesService } from "./forum-profiles.service.ts";
import { DEFAULT_FORUM_SITE } from "./forum-sites.ts";
import type { StandingsService } from "./forum-standings.service.ts";

const tags = ["forum"];
const security = [{ bearerAuth: [] }];
const Errors = { ...ErrorResponses, 503: ErrorResponses[400] };

/** Registers the participant-facing forum routes. */
export function forumRoutes(deps: {
  catalog: ForumCatalogService;
  profiles: ProfilesService;
  standings: StandingsService;
  daily: DailyService;
}) {
  const { catalog, profiles, standings, daily } = deps;
  return async (app: App) => {
    app.get(
      "/api/forum/sites",
      {
        schema: {
          tags,
          summary: "Forum sites",
          description:
            "The forums Merit can track (Bitcointalk), each with `url`, the address that links to its posts and profiles start from (in demo mode this server's /demo-forum, which shows the simulated forum). Public.",
          response: { 200: ListOf(s.Site) },
        },
      },
      async () => {
        const items = await catalog.listSites();
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/forum/ranks",
      {
        schema: {
          tags,
          summary: "Ranks of a forum site",
          description: "Which ranks may join and the bonus their posts earn.",
          querystring: Type.Object({ site: Type.String({ default: DEFAULT_FORUM_SITE }) }),
          response: { 200: ListOf(s.Rank), ...Errors },
        },
      },
      async (request) => {
        const items = await catalog.listRanks(request.query.site);
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/forum/signatures",
      {
        schema: {
          tags,
          summary: "Signature designs",
          description:
            "Active designs, optionally only those offered to a rank (a rank with none offered lists none). Admins add `includeInactive=true` to see switched-off designs too (401/403 for anyone else asking for them). An unknown `site`: 404 FORUM_SITE_NOT_FOUND.",
          querystring: Type.Object({
            site: Type.Optional(Type.String()),
            rank: Type.Optional(Type.String()),
            includeInactive: Type.Optional(
              Type.Boolean({ default: false, description: "Admins only: list inactive designs as well" }),
            ),
          }),
          response: { 200: ListOf(s.Signature), ...Errors },
        },
      },
      async (request) => {
        const items = await catalog.listSignatures(request.actor, request.query);
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/forum/campaigns",
      {
        schema: {
          tags,
          summary: "Forum campaigns",
          description: "Signature campaigns, newest first, with their rules and pool. Public.",
          response: { 200: ListOf(s.Campaign) },
        },
      },
      async () => {
        const items = await catalog.listCampaigns();
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/forum/campaigns/:slug",
      {
        schema: {
          tags,
          summary: "One forum campaign",
          description:
            "A signature campaign by slug with its rules and pool; 404 for an unknown slug. Public.",
          params: s.SlugParams,
          response: { 200: s.Campaign, ...Errors },
        },
      },
      async (request) => catalog.getCampaign(request.params.slug),
    );
    app.get(
      "/api/forum/campaigns/:slug/standings",
      {
        schema: {
          tags,
          summary: "Campaign standings",
          description:
            "Participants ranked by credited points, with pending points and estimated pool tokens (exact decimals).",
          params: s.SlugParams,
          response: { 200: s.Standings, ...Errors },
        },
      },
      async (request) => standings.standings(request.params.slug),
    );

    app.post(
      "/api/forum/profiles/check",
      {
        schema: {
          tags,
          security,
          summary: "Look up a forum account",
          description:
            "Fetches the forum profile (user id or profile URL): name, rank, whether the rank may join and whether the account is claimed. 503 FORUM_UNAVAILABLE when the forum does not answer.",
          body: s.CheckBody,
          response: { 200: s.CheckResult, ...Errors },
        },
      },
      async (request) => profiles.check(request.actor, request.body),
    );
    app.post(
      "/api/forum/profiles",
      {
        schema: {
          tags,
          security,
          summary: "Claim a forum account for a campaign",
          description:
            "Returns the claim's verification code: put it in the forum signature with the design before verifying. A claim reserves nothing until verified: several Merit users may claim one forum account, the first to verify keeps it. 403 RANK_NOT_ALLOWED, 409 ALREADY_CLAIMED (the forum account is verified by another Merit user, or you already have a forum profile on this site), 422 FORUM_USER_NOT_FOUND or CAMPAIGN_NOT_FOUND. Claiming your own again answers 200 with the same id and code.",
          body: s.ClaimBody,
          response: { 200: s.ClaimResult, 201: s.ClaimResult, ...Errors },
        },
      },
      async (request, reply) => {
        const r = await profiles.claim(request.actor, request.body);
        return reply.status(r.created ? 201 : 200).send({ id: r.id, verificationCode: r.verificationCode });
      },
    );
    app.get(
      "/api/forum/profiles/mine",
      {
        schema: {
          tags,
          security,
          summary: "My forum profiles",
          description:
            "The caller's claimed forum accounts with their state, chosen design, points so far and, until ownership is proven, the claim's verification code.",
          response: { 200: ListOf(s.MyProfile), ...Errors },
        },
      },
      async (request) => {
        const items = await profiles.mine(request.actor);
        return { items, total: items.length };
      },
    );
    app.post(
      "/api/forum/profiles/:id/signature",
      {
        schema: {
          tags,
          security,
          summary: "Choose the signature design",
          description:
            "Only the profile's owner. Returns the BBCode to paste into the forum profile; a new design needs a new verification.",
          params: s.IdParams,
          body: Type.Object(
            { signatureId: Type.String({ format: "uuid" }) },
            { additionalProperties: false },
          ),
          response: { 200: Type.Object({ code: Type.String() }), ...Errors },
        },
      },
      async (request) => profiles.chooseSignature(request.actor, request.params.id, request.body.signatureId),
    );
    app.post(
      "/api/forum/profiles/:id/verify",
      {
        schema: {
          tags,
          security,
          summary: "Verify the signature",
          description:
            "Reads the forum profile now. 422 SIGNATURE_NOT_FOUND with details {missing, unexpected, verificationCodeFound?} when a link of the design is not in the signature. The first verification of a claim also needs the claim's verification code in the signature (422 VERIFICATION_CODE_NOT_FOUND otherwise; it may be removed afterwards) and removes the other users' unverified claims of the forum account; 409 ALREADY_CLAIMED when another Merit user verified it first.",
          params: s.IdParams,
          response: { 200: Type.Object({ verified: Type.Literal(true) }), ...Errors },
        },
      },
      async (request) => profiles.verify(request.actor, request.params.id),
    );
    app.delete(
      "/api/forum/profiles/:id",
      {
        schema: {
          tags,
          security,
          summary: "Withdraw a claim",
          description:
            "Deletes the caller's own claim of a forum account whose ownership is not proven yet (a wrong account claimed, say), so another one can be claimed. 409 CLAIM_VERIFIED once the claim is verified; 403 for someone else's claim; 404 when it is gone (another user proved the account first).",
          params: s.IdParams,
          response: { 204: Type.Null(), ...Errors },
        },
      },
      async (request, reply) => {
        await profiles.withdraw(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.get(
      "/api/forum/profiles/:id/posts",
      {
        schema: {
          tags,
          security,
          summary: "Posts tracked for a profile",
          description:
            "Owner, admins and stewards. Pending posts show the points they will earn at maturation; only credited posts are in the ledger.",
          params: s.IdParams,
          response: { 200: ListOf(s.Post), ...Errors },
        },
      },
      async (request) => {
        const items = await profiles.posts(request.actor, request.params.id);
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/forum/profiles/:id/daily",
      {
        schema: {
          tags,
          security,
          summary: "A profile's posts per day",
          description:
            "Owner and admins (403 NOT_PROFILE_OWNER otherwise). Per UTC day the posts were written, oldest first with every day present: posts found, pending, credited and uncredited, credited and pending points (exact decimals). Credited points are dated like the ledger dates them, by the day of the post.",
          params: s.IdParams,
          querystring: s.DailyQuery,
          response: { 200: s.ProfileDaily, ...Errors },
        },
      },
      async (request) =>
        daily.profileDaily(request.actor, request.params.id, request.query.days ?? s.DEFAULT_DAILY_DAYS),
    );

    app.get(
      "/api/retrieve/leaderboard-data/",
      {
        schema: {
          tags: ["venue"],
          summary: "Venue-compatible leaderboard",
          description:
            "Venue's `leaderboard-data` shape (snake_case, numbers) for the current forum campaign, so Venue's front end keeps working. Query parameters are accepted and ignored, as Venue's own endpoint did.",
          querystring: Type.Object({}, { additionalProperties: true }),
          response: { 200: s.VenueLeaderboard },
        },
      },
      async (request) => standings.venueLeaderboard(request.actor),
    );
  };
}
