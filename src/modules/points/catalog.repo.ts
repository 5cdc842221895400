// SQL for categories, contribution types and multipliers.
import { type SQL, sql } from "drizzle-orm";
import { firstRow, rows, type Tx } from "../../core/db/client.ts";
import { isUuid } from "../../core/ids.ts";

export interface CategoryRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  created_at: Date;
}

export interface TypeRow {
  id: string;
  slug: string;
  name: string;
  description: string | null;
  category_id: string;
  category_slug: string;
  min_points: number;
  max_points: number;
  is_active: boolean;
  is_submittable: boolean;
  cap_total: number | null;
  cap_per_participant_week: number | null;
  current_multiplier: string;
  created_at: Date;
  updated_at: Date;
  managed_by: string | null;
}

export interface MultiplierRow {
  id: string;
  contribution_type_id: string;
  type_slug: string;
  value: string;
  valid_from: Date;
  description: string | null;
  created_at: Date;
}

/**
 * THE rule "which multiplier applies to type t on date d": the row with the latest valid_from not
 * after d. Every reader (awards, the active list, type views) goes through this fragment.
 */
export function multiplierAt(typeId: SQL, at: SQL, column: "value" | "id" = "value"): SQL {
  return sql`(SELECT m.${sql.raw(column)} FROM multipliers m WHERE m.contribution_type_id = ${typeId} AND m.valid_from <= ${at}
    ORDER BY m.valid_from DESC LIMIT 1)`;
}

export function insertCategory(
  db: Tx,
  c: { slug: string; name: string; description: string | null; at: Date },
) {
  return firstRow<CategoryRow>(
    db,
    sql`INSERT INTO contribution_categories (slug, name, description, created_at)
        VALUES (${c.slug}, ${c.name}, ${c.description}, ${c.at.toISOString()}) ON CONFLICT (slug) DO NOTHING RETURNING *`,
  );
}

/** Changes a category's name and/or description (undefined: kept); null when there is no such category. */
export function updateCategory(db: Tx, id: string, c: { name?: string; description?: string | null }) {
  const description = c.description === undefined ? sql`description` : sql`${c.description}`;
  return firstRow<CategoryRow>(
    db,
    sql`UPDATE contribution_categories SET name = COALESCE(${c.name ?? null}, name), description = ${description}
        WHERE id = ${id} RETURNING *`,
  );
}

/** A category, its row locked until the transaction ends (an edit reads what it changes from). */
export function lockCategory(db: Tx, id: string) {
  return firstRow<CategoryRow>(db, sql`SELECT * FROM contribution_categories WHERE id = ${id} FOR UPDATE`);
}

/** Locks a type's row until the transaction ends, so an edit's "from" values are the ones it replaced. */
export async function lockType(db: Tx, id: string): Promise<void> {
  await db.execute(sql`SELECT 1 FROM contribution_types WHERE id = ${id} FOR UPDATE`);
}

export function listCategories(db: Tx) {
  return rows<CategoryRow>(db, sql`SELECT * FROM contribution_categories ORDER BY name`);
}

export function findCategoryBySlug(db: Tx, slug: string) {
  return firstRow<CategoryRow>(db, sql`SELECT * FROM contribution_categories WHERE slug = ${slug}`);
}

const typeSelect = (now: Date) => sql`SELECT t.*, c.slug AS category_slug,
    ${multiplierAt(sql`t.id`, sql`${now.toISOString()}::timestamptz`)}::text AS current_multiplier
  FROM contribution_types t JOIN contribution_categories c ON c.id = t.category_id`;

export function listTypes(db: Tx, now: Date, categoryId?: string) {
  const where = categoryId ? sql`WHERE t.category_id = ${categoryId}` : sql``;
  return rows<TypeRow>(db, sql`${typeSelect(now)} ${where} ORDER BY c.slug, t.name`);
}

export function findTypeById(db: Tx, id: string, now: Date) {
  return firstRow<TypeRow>(db, sql`${typeSelect(now)} WHERE t.id = ${id}`);
}

export function findTypeBySlug(db: Tx, slug: string, now: Date) {
  return firstRow<TypeRow>(db, sql`${typeSelect(now)} WHERE t.slug = ${slug}`);
}

/** A type named by id or by slug, as the API's filters take them. */
export function findTypeByRef(db: Tx, ref: string, now: Date) {
  return isUuid(ref) ? findTypeById(db, ref, now) : findTypeBySlug(db, ref, now);
}

export interface TypeFields {
  slug: string;
  name: string;
  description: string | null;
  categoryId: string;
  minPoints: number;
  maxPoints: number;
  isActive: boolean;
  isSubmittable: boolean;
  capTotal: number | null;
  capPerParticipantWeek: number | null;
}

/** Inserts a type; null when the slug is taken. */
export async function insertType(
  db: Tx,
  t: TypeFields,
  at: Date,
  managedBy: string | null,
): Promise<string | null> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO contribution_types (slug, name, description, category_id, min_points, max_points, is_active,
          is_submittable, cap_total, cap_per_participant_week, created_at, updated_at, managed_by)
        VALUES (${t.slug}, ${t.name}, ${t.description}, ${t.categoryId}, ${t.minPoints}, ${t.maxPoints}, ${t.isActive},
          ${t.isSubmittable}, ${t.capTotal}, ${t.capPerParticipantWeek}, ${at.toISOString()}, ${at.toISOString()}, ${managedBy})
        ON CONFLICT (slug) DO NOTHING RETURNING id`,
  );
  return r?.id ?? null;
}

export async function updateType(db: Tx, id: string, t: TypeFields, at: Date): Promise<void> {
  await db.execute(sql`UPDATE contribution_types SET slug = ${t.slug}, name = ${t.name}, description = ${t.description},
      category_id = ${t.categoryId}, min_points = ${t.minPoints}, max_points = ${t.maxPoints}, is_active = ${t.isActive},
      is_submittable = ${t.isSubmittable}, cap_total = ${t.capTotal}, cap_per_participant_week = ${t.capPerParticipantWeek},
      updated_at = ${at.toISOString()} WHERE id = ${id}`);
}

export function slugTaken(db: Tx, slug: string, exceptId: string) {
  return firstRow<{ id: string }>(
    db,
    sql`SELECT id FROM contribution_types WHERE slug = ${slug} AND id <> ${exceptId}`,
  );
}

/** Inserts a multiplier; null when the type already has one with this valid_from. */
export async function insertMultiplier(
  db: Tx,
  m: {
    typeId: string;
    value: string;
    validFrom: Date;
    description: string | null;
    at: Date;
    by: string | null;
  },
): Promise<string | null> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO multipliers (contribution_type_id, value, valid_from, description, created_at, created_by)
        VALUES (${m.typeId}, ${m.value}::numeric, ${m.validFrom.toISOString()}, ${m.description}, ${m.at.toISOString()}, ${m.by})
        ON CONFLICT (contribution_type_id, valid_from) DO NOTHING RETURNING id`,
  );
  return r?.id ?? null;
}

const multiplierSelect = sql`SELECT m.id, m.contribution_type_id, t.slug AS type_slug, m.value::text AS value,
    m.valid_from, m.description, m.created_at
  FROM multipliers m JOIN contribution_types t ON t.id = m.contribution_type_id`;

export function listMultipliers(db: Tx, typeId: string | null) {
  const where = typeId ? sql`WHERE m.contribution_type_id = ${typeId}` : sql``;
  return rows<MultiplierRow>(db, sql`${multiplierSelect} ${where} ORDER BY t.slug, m.valid_from`);
}

export function findMultiplier(db: Tx, id: string) {
  return firstRow<MultiplierRow>(db, sql`${multiplierSelect} WHERE m.id = ${id}`);
}

/** The multiplier in force now for every type (the same rule as awards use). */
export function activeMultipliers(db: Tx, now: Date) {
  return rows<MultiplierRow>(
    db,
    sql`${multiplierSelect}
        WHERE m.id = ${multiplierAt(sql`t.id`, sql`${now.toISOString()}::timestamptz`, "id")}
        ORDER BY t.slug`,
  );
}
