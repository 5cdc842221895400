-- Contention-free band counts. Every award used to add and subtract 1 on shared board_bands rows
-- (one per board, bucket and points band), so concurrent awards of different participants queued
-- on those row locks. Writers now only INSERT their +1/-1 moves into board_band_deltas; a folder
-- (points_fold_bands, run every few seconds by the worker) moves them into board_bands in one
-- transaction. Readers always count board_bands + board_band_deltas in one statement, so ranks stay
-- exact whether or not the deltas have been folded yet.
CREATE TABLE "board_band_deltas" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"board" text NOT NULL,
	"bucket" text NOT NULL,
	"band" integer NOT NULL,
	"participants" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "board_band_deltas_board_idx" ON "board_band_deltas" USING btree ("board","bucket","band");
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_rank(b text, k text, p numeric) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
-- Standard competition rank of total p on board b, bucket k: 1 + visible participants with more
-- points, from the bands histogram (folded rows + pending deltas) above p's band, an index range
-- count inside it, minus the few hidden/banned/deleted participants above. PL/pgSQL caches these
-- plans per connection, so a rank lookup does not pay the planner on every call.
DECLARE
  mine integer := points_band(p);
  above bigint;
  inside bigint;
  excluded bigint;
BEGIN
  SELECT coalesce((SELECT sum(participants) FROM board_bands WHERE board = b AND bucket = k AND band > mine), 0)
       + coalesce((SELECT sum(participants) FROM board_band_deltas WHERE board = b AND bucket = k AND band > mine), 0)
    INTO above;
  SELECT count(*) INTO inside FROM board_totals bt
    WHERE bt.board = b AND bt.bucket = k AND bt.contributions > 0 AND bt.points > p
      AND bt.points < points_band_upper(mine);
  SELECT count(*) INTO excluded FROM users u
    JOIN board_totals bt ON bt.board = b AND bt.bucket = k AND bt.user_id = u.id
    WHERE (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL) AND bt.contributions > 0 AND bt.points > p;
  RETURN (1 + above + inside - excluded)::integer;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION points_visible_count(b text, k text) RETURNS integer
LANGUAGE plpgsql STABLE AS $$
-- Visible participants on board b, bucket k: the bands histogram (folded + pending) minus
-- hidden/banned/deleted ones.
DECLARE
  listed bigint;
  excluded bigint;
BEGIN
  SELECT coalesce((SELECT sum(participants) FROM board_bands WHERE board = b AND bucket = k), 0)
       + coalesce((SELECT sum(participants) FROM board_band_deltas WHERE board = b AND bucket = k), 0)
    INTO listed;
  SELECT count(*) INTO excluded FROM users u
    JOIN board_totals bt ON bt.board = b AND bt.bucket = k AND bt.user_id = u.id
    WHERE (u.hidden OR u.banned_at IS NOT NULL OR u.deleted_at IS NOT NULL) AND bt.contributions > 0;
  RETURN (listed - excluded)::integer;
END
$$;
--> statement-breakpoint
CREATE FUNCTION points_fold_bands(max_rows integer) RETURNS integer
LANGUAGE plpgsql AS $$
-- Moves up to max_rows pending deltas (oldest first) into board_bands, atomically; one folder at a
-- time (others return 0 at once). Returns how many deltas were folded.
DECLARE
  folded integer;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('points_fold_bands')) THEN
    RETURN 0;
  END IF;
  WITH d AS (
    DELETE FROM board_band_deltas WHERE id IN (SELECT id FROM board_band_deltas ORDER BY id LIMIT max_rows)
    RETURNING board, bucket, band, participants
  ), s AS (
    SELECT board, bucket, band, sum(participants)::int AS participants, count(*)::int AS n
    FROM d GROUP BY board, bucket, band
  ), up AS (
    INSERT INTO board_bands (board, bucket, band, participants)
    SELECT board, bucket, band, participants FROM s WHERE participants <> 0 ORDER BY board, bucket, band
    ON CONFLICT (board, bucket, band) DO UPDATE SET participants = board_bands.participants + EXCLUDED.participants
  )
  SELECT coalesce(sum(n), 0)::int INTO folded FROM s;
  RETURN folded;
END
$$;
