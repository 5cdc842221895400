-- An award that comes from somewhere (a forum post, a submission, a bounty claim) names it in
-- (source, source_ref), and that origin is awarded at most once: the database enforces it, so two
-- workers crediting the same forum post at once, or a retry after a crash or a lost answer, can
-- never write a second contribution. Awards write with ON CONFLICT DO NOTHING on this index and
-- return the contribution already there. Manual awards have no source_ref and are not indexed.
CREATE UNIQUE INDEX "contributions_source_ref_key" ON "contributions" ("source", "source_ref")
  WHERE "source_ref" IS NOT NULL;
