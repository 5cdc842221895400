-- points_kept_cuts (migration 0010) returned one record through OUT parameters, so every statement
-- that used it (each award batch, correction, revocation, verify and prune) ran it through the SQL
-- function executor, which plans its body on each call: 0.24-0.40 ms per award statement here. As a
-- set-returning function of one SELECT the planner inlines it into the calling statement (a plain
-- Result, ~0.005 ms) when its argument is a plain expression or column, not a sub-select. ROWS 1
-- keeps the planner's estimate right. Same name, arguments, columns and single row.
DROP FUNCTION points_kept_cuts(timestamp with time zone);
--> statement-breakpoint
CREATE FUNCTION points_kept_cuts(at_now timestamp with time zone) RETURNS TABLE (week text, month text)
LANGUAGE sql STABLE ROWS 1 AS $$
  SELECT points_period_key('week', points_kept_from('week', at_now)), points_period_key('month', points_kept_from('month', at_now))
$$;
