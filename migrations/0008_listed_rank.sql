-- Rank and count among *listed* participants (everyone with a total, visible or not). Rank lookups
-- take the few hidden, banned and deleted participants out in the application, from a cached list
-- of their totals per board bucket (leaderboard.service.ts), instead of probing ~1,000 of them on
-- every lookup. points_rank / points_visible_count (pages, exports) become these minus the
-- excluded participants, so the counting rule lives in one place.
CREATE OR REPLACE FUNCTION points_listed_rank(b text, k text, p numeric) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
  mine integer := points_band(p);
  above bigint;
  inside bigint;
BEGIN
  SELECT coalesce((SELECT sum(participants) FROM board_bands WHERE board = b AND bucket = k AND band > mine), 0)
       + coalesce((SELECT sum(participants) FROM board_band_deltas WHERE board = b AND bucket = k AND band > mine), 0)
    INTO above;
  SELECT count(*) INTO inside FROM board_totals bt
    WHERE bt.board = b AND bt.bucket = k AND bt.contributions > 0 AND bt.points > p
      AND bt.points < points_band_upper(mine);
  RETURN (1 + above + inside)::integer;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_listed_count(b text, k text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
DECLARE
  listed bigint;
BEGIN
  SELECT coalesce((SELECT sum(participants) FROM board_bands WHERE board = b AND bucket = k), 0)
       + coalesce((SELECT sum(participants) FROM board_band_deltas WHERE board = b AND bucket = k), 0)
    INTO listed;
  RETURN listed::integer;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_excluded_above(b text, k text, p numeric) RETURNS integer
LANGUAGE sql STABLE AS $$
  -- Hidden, banned and deleted participants on board b, bucket k with a total above p (all of them
  -- when p is NULL): few, found through the partial index on users.
  SELECT count(*)::integer FROM users u
    JOIN board_totals bt ON bt.board = b AND bt.bucket = k AND bt.user_id = u.id
    WHERE (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL) AND bt.contributions > 0
      AND (p IS NULL OR bt.points > p)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_rank(b text, k text, p numeric) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT points_listed_rank(b, k, p) - points_excluded_above(b, k, p)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_visible_count(b text, k text) RETURNS integer
LANGUAGE sql STABLE AS $$
  SELECT points_listed_count(b, k) - points_excluded_above(b, k, NULL)
$$;
