// Migration 0015 on a database holding snapshots from before it: a campaign snapshot with frozen
// shares gets the campaign's pool; other snapshots (no shares, other boards) get none.
import { describe, expect, it } from "vitest";
import { useDatabaseBefore } from "../../../test/support/one-migration.ts";

// Back to the schema before 0015, as a database upgraded from an earlier release has it.
const before = useDatabaseBefore(
  "0015_snapshot_pool",
  `
    ALTER TABLE leaderboard_snapshots DROP COLUMN pool_amount;
    ALTER TABLE leaderboard_snapshots DROP COLUMN pool_token;
    ALTER TABLE leaderboard_snapshots DROP COLUMN pool_decimals;
    INSERT INTO campaigns (slug, name, starts_at, ends_at, pool_amount, pool_token, pool_decimals)
      VALUES ('pooled', 'Pooled', '2026-01-01', '2026-02-01', 1000, 'VTX', 8),
             ('dry', 'Dry', '2026-01-01', '2026-02-01', NULL, NULL, NULL);
    INSERT INTO leaderboard_snapshots (id, board, period, trigger, taken_at, total) VALUES
      ('00000000-0000-4000-8000-000000000001', 'campaign:pooled', 'all', 'manual', now(), 1),
      ('00000000-0000-4000-8000-000000000002', 'campaign:pooled', 'week', 'manual', now(), 1),
      ('00000000-0000-4000-8000-000000000003', 'campaign:dry', 'all', 'manual', now(), 1),
      ('00000000-0000-4000-8000-000000000004', 'global', 'all', 'manual', now(), 1);
    INSERT INTO leaderboard_snapshot_entries (snapshot_id, position, rank, user_id, username, points, contributions, share)
      SELECT s.id, 1, 1, gen_random_uuid(), 'someone', 5, 1,
        CASE WHEN s.id = '00000000-0000-4000-8000-000000000001' THEN 1000 END
      FROM leaderboard_snapshots s WHERE s.id::text LIKE '00000000-0000-4000-8000-00000000000%'
  `,
);

describe(before.title, () => {
  it("gives snapshots with frozen shares their campaign's pool, and no other snapshot one", async () => {
    expect(await before.apply()).toEqual([before.id]);
    const rows = await before.db.query<{
      id: string;
      amount: string | null;
      token: string | null;
      decimals: number | null;
    }>(
      "SELECT id, pool_amount::text AS amount, pool_token AS token, pool_decimals AS decimals FROM leaderboard_snapshots WHERE id::text LIKE '00000000-0000-4000-8000-00000000000%' ORDER BY id",
    );
    expect(rows.map((r) => [r.id.slice(-1), r.amount, r.token, r.decimals])).toEqual([
      ["1", "1000", "VTX", 8],
      ["2", null, null, null],
      ["3", null, null, null],
      ["4", null, null, null],
    ]);
  });
});
