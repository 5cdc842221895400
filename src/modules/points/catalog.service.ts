// Categories and contribution types (admin-managed catalog); the multiplier history is in
// multipliers.service.ts and joins this service's object.
import { isUniqueViolation } from "../../core/db/client.ts";
import { conflict, inBody, notFound, unprocessable } from "../../core/errors.ts";
import { type Actor, requireRole } from "../../core/http/actor.ts";
import { recordAudit, recordEdit } from "../accounts/audit.service.ts";
import { checkManager } from "./catalog.lookups.ts";
import * as repo from "./catalog.repo.ts";
import { createMultiplierOps } from "./multipliers.service.ts";
import { BEGINNING_OF_TIME, iso, type ManagedBy, type PointsDeps, requiredText } from "./points.shared.ts";

export interface CategoryView {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  createdAt: string;
}

export interface TypeView {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  category: string;
  categoryId: string;
  minPoints: number;
  maxPoints: number;
  active: boolean;
  submittable: boolean;
  caps: { total: number | null; perParticipantPerWeek: number | null };
  currentMultiplier: string;
  /** The module that scores this type ("forum"); null: edited on the types page. */
  managedBy: string | null;
  createdAt: string;
}

export interface TypeInput {
  name: string;
  slug: string;
  category: string;
  description?: string | null;
  minPoints: number;
  maxPoints: number;
  submittable?: boolean;
  active?: boolean;
  caps?: { total?: number | null; perParticipantPerWeek?: number | null };
}

const categoryView = (r: repo.CategoryRow): CategoryView => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  createdAt: iso(r.created_at)!,
});

const typeView = (r: repo.TypeRow): TypeView => ({
  id: r.id,
  slug: r.slug,
  name: r.name,
  description: r.description,
  category: r.category_slug,
  categoryId: r.category_id,
  minPoints: r.min_points,
  maxPoints: r.max_points,
  active: r.is_active,
  submittable: r.is_submittable,
  caps: { total: r.cap_total, perParticipantPerWeek: r.cap_per_participant_week },
  currentMultiplier: r.current_multiplier,
  managedBy: r.managed_by,
  createdAt: iso(r.created_at)!,
});

/** What an admin edits on a category: the before and after of a category.updated event. */
const editableCategory = (r: repo.CategoryRow) => ({ name: r.name, description: r.description });

/** What an edit may change on a type (everything but ids, dates and the multiplier in force). */
const editableType = (t: TypeView) => ({
  slug: t.slug,
  name: t.name,
  description: t.description,
  minPoints: t.minPoints,
  maxPoints: t.maxPoints,
  active: t.active,
  submittable: t.submittable,
  caps: t.caps,
});

/** Builds the catalog service. */
export function createCatalogService(deps: PointsDeps) {
  const { db, clock } = deps;

  /** The id of the category a request names; 404 CATEGORY_NOT_FOUND (422 from a body: inBody). */
  async function categoryIdOf(slug: string): Promise<string> {
    const c = await repo.findCategoryBySlug(db.orm, slug);
    if (!c) throw notFound("CATEGORY_NOT_FOUND", `No category with slug "${slug}"`, { field: "category" });
    return c.id;
  }

  function checkRange(minPoints: number, maxPoints: number) {
    if (maxPoints < minPoints) {
      throw unprocessable("INVALID_POINTS_RANGE", "maxPoints must be at least minPoints", {
        field: "maxPoints",
      });
    }
  }

  async function getType(id: string): Promise<TypeView> {
    const r = await repo.findTypeById(db.orm, id, clock.now());
    if (!r) throw notFound("CONTRIBUTION_TYPE_NOT_FOUND", "No contribution type with this id");
    return typeView(r);
  }

  return {
    /** Every category, by name. */
    async listCategories(): Promise<CategoryView[]> {
      return (await repo.listCategories(db.orm)).map(categoryView);
    },

    /** Creates a category (admins); 409 when the slug is taken. */
    async createCategory(
      actor: Actor | null,
      input: { name: string; slug: string; description?: string | null },
    ) {
      const admin = requireRole(actor, "admin");
      const name = requiredText(input.name, "name");
      const r = await db.transaction(async (tx) => {
        const row = await repo.insertCategory(tx, {
          ...input,
          name,
          description: input.description ?? null,
          at: clock.now(),
        });
        if (!row)
          throw conflict("SLUG_TAKEN", `Another category uses the slug "${input.slug}": choose another one`, {
            field: "slug",
          });
        await recordAudit(tx, clock, {
          type: "category.created",
          actorId: admin.userId,
          details: { category: row.slug, categoryId: row.id, name: row.name },
        });
        return row;
      });
      return categoryView(r);
    },

    /**
     * Renames a category or changes its description (admins). The slug stays: it is the board's public
     * name, which snapshots and shared links keep. 404 CATEGORY_NOT_FOUND for an unknown id.
     */
    async updateCategory(
      actor: Actor | null,
      id: string,
      patch: { name?: string; description?: string | null },
    ): Promise<CategoryView> {
      const admin = requireRole(actor, "admin");
      const name = patch.name === undefined ? undefined : requiredText(patch.name, "name");
      const r = await db.transaction(async (tx) => {
        const before = await repo.lockCategory(tx, id);
        if (!before) throw notFound("CATEGORY_NOT_FOUND", "No category with this id");
        const after = (await repo.updateCategory(tx, id, { name, description: patch.description }))!;
        await recordEdit(
          tx,
          clock,
          {
            type: "category.updated",
            actorId: admin.userId,
            details: { category: after.slug, categoryId: id },
          },
          editableCategory(before),
          editableCategory(after),
        );
        return after;
      });
      return categoryView(r);
    },

    /** Contribution types, optionally of one category. */
    async listTypes(category?: string): Promise<TypeView[]> {
      const categoryId = category ? await categoryIdOf(category) : undefined;
      return (await repo.listTypes(db.orm, clock.now(), categoryId)).map(typeView);
    },

    getType,

    /**
     * Creates a type with a 1.00 multiplier valid from the beginning of time (admins). A module that
     * scores the type itself (`managed`) is the only one that may edit it afterwards.
     */
    async createType(actor: Actor | null, input: TypeInput, managed?: ManagedBy): Promise<TypeView> {
      const admin = requireRole(actor, "admin");
      const name = requiredText(input.name, "name");
      checkRange(input.minPoints, input.maxPoints);
      const categoryId = await inBody(categoryIdOf(input.category));
      const now = clock.now();
      const id = await db.transaction(async (tx) => {
        const typeId = await repo.insertType(
          tx,
          {
            slug: input.slug,
            name,
            description: input.description ?? null,
            categoryId,
            minPoints: input.minPoints,
            maxPoints: input.maxPoints,
            isActive: input.active ?? true,
            isSubmittable: input.submittable ?? false,
            capTotal: input.caps?.total ?? null,
            capPerParticipantWeek: input.caps?.perParticipantPerWeek ?? null,
          },
          now,
          managed?.managedBy ?? null,
        );
        if (!typeId)
          throw conflict(
            "SLUG_TAKEN",
            `Another contribution type uses the slug "${input.slug}": choose another one`,
            {
              field: "slug",
            },
          );
        await repo.insertMultiplier(tx, {
          typeId,
          value: "1.00",
          validFrom: BEGINNING_OF_TIME,
          description: "Initial multiplier",
          at: now,
          by: admin.userId,
        });
        await recordAudit(tx, clock, {
          type: "contribution-type.created",
          actorId: admin.userId,
          details: {
            contributionType: input.slug,
            contributionTypeId: typeId,
            category: input.category,
            minPoints: input.minPoints,
            maxPoints: input.maxPoints,
            ...(managed ? { managedBy: managed.managedBy } : {}),
          },
        });
        return typeId;
      });
      return getType(id);
    },

    /**
     * Changes a type's fields (admins); awarded points are never touched. A managed type changes
     * only through its module's calls: 409 TYPE_MANAGED otherwise.
     */
    async updateType(
      actor: Actor | null,
      id: string,
      patch: Partial<TypeInput>,
      managed?: ManagedBy,
    ): Promise<TypeView> {
      const admin = requireRole(actor, "admin");
      const name = patch.name === undefined ? undefined : requiredText(patch.name, "name");
      const current = await getType(id);
      checkManager(current, managed, "fields");
      const minPoints = patch.minPoints ?? current.minPoints;
      const maxPoints = patch.maxPoints ?? current.maxPoints;
      checkRange(minPoints, maxPoints);
      const slug = patch.slug ?? current.slug;
      const taken = () =>
        conflict("SLUG_TAKEN", `Another contribution type uses the slug "${slug}": choose another one`, {
          field: "slug",
        });
      if (await repo.slugTaken(db.orm, slug, id)) throw taken();
      if (patch.category !== undefined && patch.category !== current.category) {
        // Boards are keyed by the category stored on each contribution; moving a type would split history.
        throw unprocessable("CATEGORY_IMMUTABLE", "A type's category cannot change once created", {
          field: "category",
        });
      }
      const fields: repo.TypeFields = {
        slug,
        name: name ?? current.name,
        description: patch.description === undefined ? current.description : patch.description,
        categoryId: current.categoryId,
        minPoints,
        maxPoints,
        isActive: patch.active ?? current.active,
        isSubmittable: patch.submittable ?? current.submittable,
        capTotal: patch.caps && "total" in patch.caps ? (patch.caps.total ?? null) : current.caps.total,
        capPerParticipantWeek:
          patch.caps && "perParticipantPerWeek" in patch.caps
            ? (patch.caps.perParticipantPerWeek ?? null)
            : current.caps.perParticipantPerWeek,
      };
      try {
        await db.transaction(async (tx) => {
          await repo.lockType(tx, id);
          const before = await repo.findTypeById(tx, id, clock.now());
          if (!before) throw notFound("CONTRIBUTION_TYPE_NOT_FOUND", "No contribution type with this id");
          await repo.updateType(tx, id, fields, clock.now());
          const after = (await repo.findTypeById(tx, id, clock.now()))!;
          await recordEdit(
            tx,
            clock,
            {
              type: "contribution-type.updated",
              actorId: admin.userId,
              details: { contributionType: after.slug, contributionTypeId: id },
            },
            editableType(typeView(before)),
            editableType(typeView(after)),
          );
        });
      } catch (err) {
        // A concurrent rename to the same slug passed the check above and met the unique index.
        if (isUniqueViolation(err)) throw taken();
        throw err;
      }
      return getType(id);
    },

    ...createMultiplierOps(deps),
  };
}

export type CatalogService = ReturnType<typeof createCatalogService>;
