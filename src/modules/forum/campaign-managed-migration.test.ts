// Migration 0016 on a database from before it: the points campaign of a forum campaign is marked as
// managed by the forum; a campaign of the points pages stays editable there.
import { describe, expect, it } from "vitest";
import { useDatabaseBefore } from "../../../test/support/one-migration.ts";

// Back to the schema before 0016, as a database upgraded from an earlier release has it.
const before = useDatabaseBefore(
  "0016_campaign_managed_by",
  `
    ALTER TABLE campaigns DROP COLUMN managed_by;
    INSERT INTO campaigns (id, slug, name, starts_at) VALUES
      ('00000000-0000-4000-8000-000000000001', 'sig', 'Signature', '2026-01-01'),
      ('00000000-0000-4000-8000-000000000002', 'plain', 'Plain', '2026-01-01');
    INSERT INTO forum_campaigns (slug, name, site_id, starts_at, points_campaign_id)
      VALUES ('sig', 'Signature', 'bitcointalk', '2026-01-01', '00000000-0000-4000-8000-000000000001'),
             ('unlinked', 'Unlinked', 'bitcointalk', '2026-01-01', NULL)
  `,
);

describe(before.title, () => {
  it("marks the points campaigns of forum campaigns, and no other", async () => {
    expect(await before.apply()).toEqual([before.id]);
    const rows = await before.db.query<{ slug: string; managed_by: string | null }>(
      "SELECT slug, managed_by FROM campaigns ORDER BY slug",
    );
    expect(rows).toEqual([
      { slug: "plain", managed_by: null },
      { slug: "sig", managed_by: "forum" },
    ]);
  });
});
