// Admin routes of forum campaigns: ranks, signature designs, campaign settings, profiles, posts,
// scrape history, rescrape, coverage and data reset.
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ListOf, Offset } from "../../core/http/schemas.ts";
import * as s from "./forum.schemas.ts";
import * as views from "./forum-admin.schemas.ts";
import type { ForumAdminService } from "./forum-admin.service.ts";
import type { ForumCatalogService } from "./forum-catalog.service.ts";
import type { DailyService } from "./forum-daily.service.ts";

const tags = ["forum-admin"];
const security = [{ bearerAuth: [] }];
const Errors = { ...ErrorResponses, 503: ErrorResponses[400] };

/** Registers the admin forum routes. */
export function forumAdminRoutes(deps: {
  catalog: ForumCatalogService;
  admin: ForumAdminService;
  daily: DailyService;
}) {
  const { catalog, admin, daily } = deps;
  return async (app: App) => {
    app.patch(
      "/api/forum/ranks/:id",
      {
        schema: {
          tags,
          security,
          summary: "Edit a rank's bonus or admission",
          description:
            "Admins only. Sets a forum rank's bonus percent on post points and whether members of that rank may join; applies to posts found from now on (credited posts keep their points).",
          params: s.IdParams,
          body: s.RankPatch,
          response: { 200: s.Rank, ...Errors },
        },
      },
      async (request) => catalog.updateRank(request.actor, request.params.id, request.body),
    );
    app.post(
      "/api/forum/signatures",
      {
        schema: {
          tags,
          security,
          summary: "Add a signature design",
          description:
            "Admins only. A design is BBCode that participants paste into their forum signature; every link in it must be present for a profile to count as wearing it. `allowedRanks` lists the forum ranks it is offered to.",
          body: s.NewSignature,
          response: { 201: s.Signature, ...Errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createSignature(request.actor, request.body)),
    );
    app.patch(
      "/api/forum/signatures/:id",
      {
        schema: {
          tags,
          security,
          summary: "Edit a signature design",
          description:
            "Admins only. Changes the given fields; profiles wearing the design are checked against the new links from their next check. Set `active: false` to stop offering it.",
          params: s.IdParams,
          body: s.SignaturePatch,
          response: { 200: s.Signature, ...Errors },
        },
      },
      async (request) => catalog.updateSignature(request.actor, request.params.id, request.body),
    );
    app.delete(
      "/api/forum/signatures/:id",
      {
        schema: {
          tags,
          security,
          summary: "Delete an unused signature design",
          description: "Admins only. 409 when a profile uses it: deactivate it instead.",
          params: s.IdParams,
          response: { 204: Type.Null(), ...Errors },
        },
      },
      async (request, reply) => {
        await catalog.deleteSignature(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
    app.post(
      "/api/forum/campaigns",
      {
        schema: {
          tags,
          security,
          summary: "Create a forum campaign",
          description:
            "Admins only. A signature campaign on one forum site: window, optional token pool, points per post, maturation period and uptime threshold. Its points campaign (the board of credited posts) is created with it.",
          body: s.NewCampaign,
          response: { 201: s.Campaign, ...Errors },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createCampaign(request.actor, request.body)),
    );
    app.patch(
      "/api/forum/campaigns/:slug",
      {
        schema: {
          tags,
          security,
          summary: "Edit a forum campaign",
          description:
            "Admins only. Changed rules apply to posts found from now on. Name, window and pool are changed on the points campaign first, so a value the points side refuses changes nothing.",
          params: s.SlugParams,
          body: s.CampaignPatch,
          response: { 200: s.Campaign, ...Errors },
        },
      },
      async (request) => catalog.updateCampaign(request.actor, request.params.slug, request.body),
    );

    app.get(
      "/api/admin/forum/campaigns/:slug/profiles",
      {
        schema: {
          tags,
          security,
          summary: "Profiles of a campaign with their last check",
          description:
            "Admins and stewards. Every claimed profile of the campaign, verified or not, with its state, checks so far and the longest gap between them.",
          params: s.SlugParams,
          response: {
            200: ListOf(views.AdminProfile, "Every profile of the campaign, by forum username"),
            ...Errors,
          },
        },
      },
      async (request) => {
        const items = await admin.profiles(request.actor, request.params.slug);
        return { items, total: items.length };
      },
    );
    app.get(
      "/api/admin/forum/profiles/:id/scrapes",
      {
        schema: {
          tags,
          security,
          summary: "Scrape history of a profile",
          description:
            "Every stored scrape result: outcome, HTTP status, attempts, signature found, links, duration.",
          params: s.IdParams,
          querystring: Type.Object({
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          }),
          response: { 200: ListOf(views.Scrape, "The profile's scrapes, newest first"), ...Errors },
        },
      },
      async (request) => {
        const items = await admin.scrapes(request.actor, request.params.id, request.query.limit ?? 100);
        return { items, total: items.length };
      },
    );
    app.post(
      "/api/admin/forum/profiles/:id/rescrape",
      {
        schema: {
          tags,
          security,
          summary: "Check a profile now",
          description:
            "Admins and stewards. Reads a verified profile and its new posts at once, under the forum's shared rate limit, and records the result like a scheduled check; a check already running for it is not repeated.",
          params: s.IdParams,
          response: { 200: views.RescrapeResult, ...Errors },
        },
      },
      async (request) => admin.rescrape(request.actor, request.params.id),
    );
    app.get(
      "/api/admin/forum/campaigns/:slug/posts",
      {
        schema: {
          tags,
          security,
          summary: "Posts of a campaign",
          description:
            "Admins and stewards. Tracked forum posts, newest first, optionally by status (pending, credited, uncredited).",
          params: s.SlugParams,
          querystring: Type.Object({
            status: Type.Optional(
              Type.Union([Type.Literal("pending"), Type.Literal("credited"), Type.Literal("uncredited")]),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 50 })),
            offset: Type.Optional(Offset),
          }),
          response: {
            200: ListOf(views.AdminPost, "A page of the posts, newest first; `total` counts every match"),
            ...Errors,
          },
        },
      },
      async (request) =>
        admin.posts(request.actor, request.params.slug, {
          status: request.query.status,
          limit: request.query.limit ?? 50,
          offset: request.query.offset ?? 0,
        }),
    );
    app.get(
      "/api/admin/forum/campaigns/:slug/coverage",
      {
        schema: {
          tags,
          security,
          summary: "Scrape coverage",
          description:
            "How often each profile was actually checked, the last round's plan and a warning when the request budget is too small.",
          params: s.SlugParams,
          response: { 200: views.Coverage, ...Errors },
        },
      },
      async (request) => admin.coverage(request.actor, request.params.slug),
    );
    app.get(
      "/api/admin/forum/campaigns/:slug/daily",
      {
        schema: {
          tags,
          security,
          summary: "A campaign's posts per day",
          description:
            "Admins. The same daily series as a profile's, over every participant of the campaign: per UTC day the posts were written, posts found, pending, credited and uncredited, and points.",
          params: s.SlugParams,
          querystring: s.DailyQuery,
          response: { 200: s.CampaignDaily, ...Errors },
        },
      },
      async (request) =>
        daily.campaignDaily(request.actor, request.params.slug, request.query.days ?? s.DEFAULT_DAILY_DAYS),
    );
    app.post(
      "/api/admin/forum/campaigns/:slug/reset",
      {
        schema: {
          tags,
          security,
          summary: "Reset a campaign's tracked data",
          description:
            "Revokes credited points, deletes tracked posts and scrape history; profiles stay verified. `confirm` must repeat the slug.",
          params: s.SlugParams,
          body: Type.Object({ confirm: Type.String() }, { additionalProperties: false }),
          response: { 200: views.ResetCounts, ...Errors },
        },
      },
      async (request) => admin.reset(request.actor, request.params.slug, request.body.confirm),
    );
  };
}
