-- Week and month totals are kept for the current and the previous period only. The boards read
-- "this week" and "this month"; scheduled snapshots right after a rollover read the period that
-- just ended. Older buckets used to stay in board_totals forever, so the table (and its rank index)
-- grew with every week a participant contributed in: ~44 totals per participant after 90 days, and
-- verify/rebuild paid for all of them. Writers now skip buckets that are no longer kept (at the
-- award's time), verify and rebuild compute kept buckets only, and the worker deletes buckets once
-- they age out (points_prune_buckets).

-- The one rule: the first instant whose week (month) bucket is kept at instant `at_now`: the start of
-- the previous week (month), UTC. 'all' is always kept.
CREATE FUNCTION points_kept_from(period text, at_now timestamp with time zone) RETURNS timestamp with time zone
LANGUAGE sql STABLE AS $$
  SELECT CASE period
    WHEN 'week' THEN (date_trunc('week', at_now AT TIME ZONE 'UTC') - interval '7 days') AT TIME ZONE 'UTC'
    WHEN 'month' THEN (date_trunc('month', at_now AT TIME ZONE 'UTC') - interval '1 month') AT TIME ZONE 'UTC'
    ELSE '-infinity'::timestamp with time zone
  END
$$;
--> statement-breakpoint
-- Is this board_totals bucket kept at `at_now`? Keys are fixed-width ISO dates ('w:YYYY-MM-DD' of the
-- Monday, 'm:YYYY-MM'), so they compare as text in date order.
CREATE FUNCTION points_bucket_kept(bucket text, at_now timestamp with time zone) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT CASE left(bucket, 2)
    WHEN 'w:' THEN bucket >= points_period_key('week', points_kept_from('week', at_now))
    WHEN 'm:' THEN bucket >= points_period_key('month', points_kept_from('month', at_now))
    ELSE true
  END
$$;
--> statement-breakpoint
-- Deletes the totals, bands and pending band moves of buckets no longer kept at `at_now`; returns the
-- totals deleted. Concurrent awards write kept buckets only, so they never touch these rows.
CREATE FUNCTION points_prune_buckets(at_now timestamp with time zone) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
  deleted integer;
BEGIN
  -- The band folder takes the same lock, so it cannot fold a delta of a pruned bucket back in.
  PERFORM pg_advisory_xact_lock(hashtext('points_fold_bands'));
  DELETE FROM board_band_deltas WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, at_now);
  DELETE FROM board_bands WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, at_now);
  DELETE FROM board_totals WHERE bucket <> 'all' AND NOT points_bucket_kept(bucket, at_now);
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;
