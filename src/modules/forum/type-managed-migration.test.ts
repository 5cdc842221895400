// Migration 0017 on a database from before it: the posts type of a forum campaign is marked as
// scored by the forum; a type of the types page stays editable there.
import { describe, expect, it } from "vitest";
import { useDatabaseBefore } from "../../../test/support/one-migration.ts";

// Back to the schema before 0017, as a database upgraded from an earlier release has it.
const before = useDatabaseBefore(
  "0017_type_managed_by",
  `
    ALTER TABLE contribution_types DROP COLUMN managed_by;
    INSERT INTO contribution_categories (id, slug, name) VALUES
      ('00000000-0000-4000-8000-000000000010', 'forum', 'Forum');
    INSERT INTO contribution_types (id, slug, name, category_id, min_points, max_points) VALUES
      ('00000000-0000-4000-8000-000000000011', 'forum-sig', 'Signature posts',
       '00000000-0000-4000-8000-000000000010', 0, 1000),
      ('00000000-0000-4000-8000-000000000012', 'plain', 'Plain',
       '00000000-0000-4000-8000-000000000010', 1, 10);
    INSERT INTO forum_campaigns (slug, name, site_id, starts_at, contribution_type_id)
      VALUES ('sig', 'Signature', 'bitcointalk', '2026-01-01', '00000000-0000-4000-8000-000000000011'),
             ('unlinked', 'Unlinked', 'bitcointalk', '2026-01-01', NULL)
  `,
);

describe(before.title, () => {
  it("marks the posts types of forum campaigns, and no other", async () => {
    expect(await before.apply()).toEqual([before.id]);
    const rows = await before.db.query<{ slug: string; managed_by: string | null }>(
      "SELECT slug, managed_by FROM contribution_types ORDER BY slug",
    );
    expect(rows).toEqual([
      { slug: "forum-sig", managed_by: "forum" },
      { slug: "plain", managed_by: null },
    ]);
  });
});
