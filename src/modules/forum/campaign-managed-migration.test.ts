// Migration 0016 on a database from before it: the points campaign of a forum campaign is marked as
// managed by the forum; a campaign of the points pages stays editable there.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { applyOneMigration } from "../../../test/support/one-migration.ts";
import { cloneTemplate, type TestDatabase } from "../../../test/support/template-db.ts";

const ID = "0016_campaign_managed_by";
let t: TestDatabase;

beforeAll(async () => {
  t = await cloneTemplate(inject("templateDb"));
  // Back to the schema before 0016, as a database upgraded from an earlier release has it.
  await t.db.exec(`
    ALTER TABLE campaigns DROP COLUMN managed_by;
    DELETE FROM merit_migrations WHERE id = '${ID}';
    INSERT INTO campaigns (id, slug, name, starts_at) VALUES
      ('00000000-0000-4000-8000-000000000001', 'sig', 'Signature', '2026-01-01'),
      ('00000000-0000-4000-8000-000000000002', 'plain', 'Plain', '2026-01-01');
    INSERT INTO forum_campaigns (slug, name, site_id, starts_at, points_campaign_id)
      VALUES ('sig', 'Signature', 'bitcointalk', '2026-01-01', '00000000-0000-4000-8000-000000000001'),
             ('unlinked', 'Unlinked', 'bitcointalk', '2026-01-01', NULL);
  `);
});
afterAll(() => t?.drop());

describe(`migration ${ID} (${process.env.TEST_DATABASE_URL ? "PostgreSQL" : "PGlite"})`, () => {
  it("marks the points campaigns of forum campaigns, and no other", async () => {
    expect(await applyOneMigration(t.db, ID)).toEqual([ID]);
    const rows = await t.db.query<{ slug: string; managed_by: string | null }>(
      "SELECT slug, managed_by FROM campaigns ORDER BY slug",
    );
    expect(rows).toEqual([
      { slug: "plain", managed_by: null },
      { slug: "sig", managed_by: "forum" },
    ]);
  });
});
