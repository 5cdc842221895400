// HTTP routes of the catalog: categories, contribution types, multipliers.
import { Type } from "typebox";
import type { App } from "../../core/http/app.ts";
import { ErrorResponses, ShortListPagination } from "../../core/http/schemas.ts";
import { pageOf } from "../../core/paging.ts";
import * as s from "./catalog.schemas.ts";
import type { CatalogService } from "./catalog.service.ts";

const auth = [{ bearerAuth: [] }];
const items = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer() });

/** Registers the catalog routes. */
export function catalogRoutes(catalog: CatalogService) {
  return async (app: App) => {
    app.get(
      "/api/categories",
      {
        schema: {
          tags: ["points"],
          summary: "List categories",
          description:
            "Every contribution category (each has its own board `category:<slug>`), by name. Public.",
          querystring: ShortListPagination,
          response: { 200: items(s.Category), ...ErrorResponses },
        },
      },
      async (request) => pageOf(await catalog.listCategories(), request.query),
    );
    app.post(
      "/api/categories",
      {
        schema: {
          tags: ["points"],
          summary: "Create a category",
          description: "Admins only. Each category gets its own board, `category:<slug>`.",
          security: auth,
          body: s.NewCategory,
          response: { 201: s.Category, ...ErrorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createCategory(request.actor, request.body)),
    );

    app.patch(
      "/api/categories/:id",
      {
        schema: {
          tags: ["points"],
          summary: "Change a category",
          description:
            "Admins only. Changes the name or description (null clears it). The slug never changes: it is the board's public name (`category:<slug>`), kept by snapshots and shared links. 404 CATEGORY_NOT_FOUND, 422 BLANK_FIELD for a blank name.",
          security: auth,
          params: s.IdParams,
          body: s.CategoryPatch,
          response: { 200: s.Category, ...ErrorResponses },
        },
      },
      async (request) => catalog.updateCategory(request.actor, request.params.id, request.body),
    );

    app.get(
      "/api/contributions/types",
      {
        schema: {
          tags: ["points"],
          summary: "List contribution types",
          description:
            "Contribution types by category, then name, inactive ones included, each with its points range, caps and the multiplier that applies now; `category` (a slug) keeps one category's (404 CATEGORY_NOT_FOUND when there is none). Public.",
          querystring: Type.Object({
            category: Type.Optional(Type.String({ description: "Category slug" })),
            ...ShortListPagination.properties,
          }),
          response: { 200: items(s.ContributionType), ...ErrorResponses },
        },
      },
      async (request) => pageOf(await catalog.listTypes(request.query.category), request.query),
    );
    app.post(
      "/api/contributions/types",
      {
        schema: {
          tags: ["points"],
          summary: "Create a contribution type",
          description:
            "Admins only. The type starts with a 1.00 multiplier valid from the beginning of time.",
          security: auth,
          body: s.NewType,
          response: { 201: s.ContributionType, ...ErrorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await catalog.createType(request.actor, request.body)),
    );
    app.patch(
      "/api/contributions/types/:id",
      {
        schema: {
          tags: ["points"],
          summary: "Change a contribution type",
          description:
            "Admins only. Awarded points never change; the category is fixed once created (422 CATEGORY_IMMUTABLE). 409 TYPE_MANAGED for a type another module scores (`managedBy`, e.g. a forum signature campaign's posts: edit the campaign there).",
          security: auth,
          params: s.IdParams,
          body: s.TypePatch,
          response: { 200: s.ContributionType, ...ErrorResponses },
        },
      },
      async (request) => catalog.updateType(request.actor, request.params.id, request.body),
    );

    app.get(
      "/api/leaderboard/multipliers",
      {
        schema: {
          tags: ["points"],
          summary: "Multiplier history",
          description:
            "Every multiplier row, by type then validFrom. Filter with `contributionType` (id or slug).",
          querystring: Type.Object({
            contributionType: Type.Optional(Type.String()),
            ...ShortListPagination.properties,
          }),
          response: { 200: items(s.Multiplier), ...ErrorResponses },
        },
      },
      async (request) => pageOf(await catalog.listMultipliers(request.query.contributionType), request.query),
    );
    app.get(
      "/api/leaderboard/multipliers/active",
      {
        schema: {
          tags: ["points"],
          summary: "Multipliers in force now",
          description: "For each type, the multiplier with the latest validFrom not after now.",
          querystring: ShortListPagination,
          response: { 200: items(s.Multiplier), ...ErrorResponses },
        },
      },
      async (request) => pageOf(await catalog.activeMultipliers(), request.query),
    );
    app.post(
      "/api/leaderboard/multipliers",
      {
        schema: {
          tags: ["points"],
          summary: "Add a multiplier",
          description:
            "Admins only. Applies to contributions dated at or after validFrom (until a later row). Awarded points never change. Same type and validFrom twice -> 409 MULTIPLIER_EXISTS; an unknown contributionTypeId -> 422 CONTRIBUTION_TYPE_NOT_FOUND; a type another module scores (`managedBy`) -> 409 TYPE_MANAGED.",
          security: auth,
          body: s.NewMultiplier,
          response: { 201: s.Multiplier, ...ErrorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await catalog.createMultiplier(request.actor, request.body)),
    );
  };
}
