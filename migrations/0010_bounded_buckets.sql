-- Week and month totals are kept for the current and the previous period only. The boards read
-- "this week" and "this month"; scheduled snapshots right after a rollover read the period that
-- just ended. Older buckets used to stay in board_totals forever, so the table (and its rank index)
-- grew with every week a participant contributed in: ~44 totals per participant after 90 days, and
-- verify/rebuild paid for all of them. Writers now skip buckets that are no longer kept (at the
-- award's time), verify and rebuild compute kept buckets only, and the worker deletes buckets once
-- they age out (points_prune_buckets).

-- The one rule of periods: the instant a week (Monday 00:00 UTC) or month (the 1st, 00:00 UTC)
-- starts; '-infinity' for all time. points_period_key is now derived from it (same keys as before),
-- and verify/rebuild group entries by these instants (date_trunc) before turning them into keys
-- (to_char costs ~1.4 us per row, three times the grouping itself).
CREATE FUNCTION points_period_start(period text, at timestamp with time zone) RETURNS timestamp with time zone
LANGUAGE sql STABLE AS $$
  SELECT CASE period
    WHEN 'week' THEN date_trunc('week', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    WHEN 'month' THEN date_trunc('month', at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    ELSE '-infinity'::timestamp with time zone
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_period_key(period text, at timestamp with time zone) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE period
    WHEN 'all' THEN 'all'
    WHEN 'week' THEN 'w:' || to_char(points_period_start('week', at) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
    WHEN 'month' THEN 'm:' || to_char(points_period_start('month', at) AT TIME ZONE 'UTC', 'YYYY-MM')
  END
$$;
--> statement-breakpoint
-- The first instant whose week (month) bucket is kept at instant `at_now`: the start of the
-- previous period. All time is always kept.
CREATE FUNCTION points_kept_from(period text, at_now timestamp with time zone) RETURNS timestamp with time zone
LANGUAGE sql STABLE AS $$
  SELECT points_period_start(period, points_period_start(period, at_now) - interval '1 microsecond')
$$;
--> statement-breakpoint
-- The oldest kept week and month keys at `at_now`, computed once per statement.
CREATE FUNCTION points_kept_cuts(at_now timestamp with time zone, OUT week text, OUT month text)
LANGUAGE sql STABLE AS $$
  SELECT points_period_key('week', points_kept_from('week', at_now)), points_period_key('month', points_kept_from('month', at_now))
$$;
--> statement-breakpoint
-- Is this board_totals bucket kept, given the cuts of points_kept_cuts? Keys are fixed-width ISO
-- dates ('w:YYYY-MM-DD' of the Monday, 'm:YYYY-MM'), so they compare as text in date order.
-- Immutable and inlined: a plain expression per row in bulk statements.
CREATE FUNCTION points_bucket_kept(bucket text, week_cut text, month_cut text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE left(bucket, 2) WHEN 'w:' THEN bucket >= week_cut WHEN 'm:' THEN bucket >= month_cut ELSE true END
$$;
--> statement-breakpoint
-- Deletes the totals, bands and pending band moves of buckets no longer kept at `at_now`; returns the
-- totals deleted. Concurrent awards write kept buckets only, so they never touch these rows.
CREATE FUNCTION points_prune_buckets(at_now timestamp with time zone) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  deleted integer;
  cut record;
BEGIN
  SELECT * INTO cut FROM points_kept_cuts(at_now);
  -- The band folder takes the same lock, so it cannot fold a delta of a pruned bucket back in.
  PERFORM pg_advisory_xact_lock(hashtext('points_fold_bands'));
  DELETE FROM board_band_deltas WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, cut.week, cut.month);
  DELETE FROM board_bands WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, cut.week, cut.month);
  DELETE FROM board_totals WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, cut.week, cut.month);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;
