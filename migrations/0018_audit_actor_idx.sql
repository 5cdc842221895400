-- The audit log is filtered by who made a change (`actor`) as well as by whom it concerns: admin
-- events (catalog, campaigns, settings, forum rules) name no user, only their actor.
CREATE INDEX IF NOT EXISTS "audit_log_actor_id_idx" ON "audit_log" USING btree ("actor_id");
