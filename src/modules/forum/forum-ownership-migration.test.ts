// Migration 0011 on a database holding claims from before it: verified profiles (also those whose
// design changed since) stay verified, every claim gets a code of its own.
import { describe, expect, it } from "vitest";
import { useDatabaseBefore } from "../../../test/support/one-migration.ts";

// Back to the schema before 0011, as a database upgraded from an earlier release has it.
const before = useDatabaseBefore(
  "0011_forum_ownership",
  `
    DROP INDEX forum_profiles_owner_idx;
    DROP INDEX forum_profiles_forum_user_idx;
    ALTER TABLE forum_profiles DROP CONSTRAINT forum_profiles_owner_proven;
    ALTER TABLE forum_profiles DROP COLUMN owner_verified_at;
    ALTER TABLE forum_profiles DROP COLUMN verification_code;
    DROP FUNCTION forum_verification_code();
    CREATE UNIQUE INDEX forum_profiles_forum_user_idx ON forum_profiles (site_id, forum_user_id);
    INSERT INTO users (email, username, display_name, referral_code)
      SELECT n || '@mig.test', n, n, 'mig-' || n FROM unnest(ARRAY['m1','m2','m3','m4']) AS n;
    INSERT INTO forum_campaigns (slug, name, site_id, starts_at) VALUES ('mig', 'mig', 'bitcointalk', now());
    INSERT INTO forum_profiles (user_id, site_id, campaign_id, forum_user_id, forum_username, position, status,
        verified_at, created_at)
      SELECT u.id, 'bitcointalk', c.id, v.fid, u.username, 'Member', v.status, v.verified_at::timestamptz,
        '2026-01-01T00:00:00Z'
      FROM (VALUES ('m1', 1, 'verified', '2026-01-02T00:00:00Z'),
                   ('m2', 2, 'unverified', '2026-01-03T00:00:00Z'),
                   ('m3', 3, 'unverified', NULL),
                   ('m4', 4, 'unverified', NULL)) AS v(name, fid, status, verified_at)
      JOIN users u ON u.username = v.name, forum_campaigns c WHERE c.slug = 'mig'
  `,
);

describe(before.title, () => {
  it("keeps earlier verifications as proven owners and gives every claim a fresh code", async () => {
    expect(await before.apply()).toEqual([before.id]);

    const rows = await before.db.query<{
      forum_user_id: number;
      status: string;
      owner_verified_at: Date | null;
      verification_code: string;
    }>(
      "SELECT forum_user_id, status, owner_verified_at, verification_code FROM forum_profiles p JOIN forum_campaigns c ON c.id = p.campaign_id WHERE c.slug = 'mig' ORDER BY forum_user_id",
    );
    expect(rows.map((r) => [r.forum_user_id, r.status, r.owner_verified_at?.toISOString() ?? null])).toEqual([
      [1, "verified", "2026-01-02T00:00:00.000Z"],
      // Verified once, then a new design was chosen: the owner was proven back then.
      [2, "unverified", "2026-01-03T00:00:00.000Z"],
      [3, "unverified", null],
      [4, "unverified", null],
    ]);
    for (const r of rows) expect(r.verification_code).toMatch(/^merit-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(new Set(rows.map((r) => r.verification_code)).size).toBe(rows.length);
    // Codes are drawn per call, never shared.
    const codes = await before.db.query<{ c: string }>(
      "SELECT forum_verification_code() AS c FROM generate_series(1, 200)",
    );
    expect(new Set(codes.map((r) => r.c)).size).toBe(200);
  });
});
