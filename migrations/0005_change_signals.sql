-- Change signals for in-process caches (src/core/changes.ts): every process LISTENs on
-- merit_changes; these triggers NOTIFY it when data that leaderboard pages show changes outside
-- points awards (awards carry their own events). NOTIFY is delivered at commit, once per
-- transaction and payload.
CREATE OR REPLACE FUNCTION merit_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('merit_changes', TG_ARGV[0]);
  RETURN NULL;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER users_visibility_changed
  AFTER UPDATE OF username, display_name, hidden, banned_at, deleted_at ON users
  FOR EACH STATEMENT EXECUTE FUNCTION merit_notify_change('users');
--> statement-breakpoint
CREATE TRIGGER campaigns_changed
  AFTER INSERT OR UPDATE OR DELETE ON campaigns
  FOR EACH STATEMENT EXECUTE FUNCTION merit_notify_change('boards');
