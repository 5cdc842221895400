// Test helpers for the points module: users, actors and a small catalog.
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { TestMerit } from "../../../test/support/test-app.ts";
import { rows } from "../../core/db/client.ts";
import type { Actor } from "../../core/http/actor.ts";

export const adminActor = (userId: string): Actor => ({ userId, roles: ["admin", "member"], via: "session" });
export const stewardActor = (userId: string): Actor => ({
  userId,
  roles: ["steward", "member"],
  via: "session",
});
export const memberActor = (userId: string): Actor => ({ userId, roles: ["member"], via: "session" });

/** Inserts users directly (fast; no password hashing). Returns ids by username. */
export async function makeUsers(merit: TestMerit, names: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const r = (await merit.core.db.orm.execute(
      sql`INSERT INTO users (email, username, display_name, referral_code, roles)
          VALUES (${`${name}@test.local`}, ${name}, ${name.toUpperCase()}, ${`ref-${name}`}, ARRAY['member']::text[]) RETURNING id`,
    )) as unknown as { rows: Array<{ id: string }> };
    out[name] = r.rows[0].id;
  }
  return out;
}

/** A category + type fixture through the services. */
export async function makeType(
  merit: TestMerit,
  admin: Actor,
  opts: {
    category?: string;
    slug: string;
    min?: number;
    max?: number;
    caps?: { total?: number; perParticipantPerWeek?: number };
  },
) {
  const svc = merit.composition.points.catalog;
  const category = opts.category ?? "builder";
  if (!(await svc.listCategories()).some((c) => c.slug === category)) {
    await svc.createCategory(admin, { name: category, slug: category });
  }
  return svc.createType(admin, {
    name: opts.slug,
    slug: opts.slug,
    category,
    minPoints: opts.min ?? 1,
    maxPoints: opts.max ?? 100,
    caps: opts.caps,
  });
}

/** Rebuilds every total from the ledger and expects board_totals to come out exactly as it was. */
export async function expectRebuildUnchanged(merit: TestMerit): Promise<void> {
  const totals = () =>
    rows(merit.core.db.orm, sql`SELECT * FROM board_totals ORDER BY board, bucket, user_id`);
  const before = await totals();
  await merit.composition.points.ledger.rebuild();
  expect(await totals()).toEqual(before);
}
