-- Forum account ownership is proven, not assumed. Every participant wears the same signature
-- design, so finding it on a forum profile said nothing about who claimed the account: anyone could
-- claim an account first (its owner then got ALREADY_CLAIMED) or claim the account of someone
-- already wearing the design and verify it. Now each claim has its own random code that must be on
-- the forum profile (in the signature) when the claim is first verified, and only a verified claim
-- reserves the forum account: several Merit users may hold unverified claims on one account, the
-- first to verify keeps it and the other claims are removed.

-- 'merit-' and 8 Crockford base32 characters (no I, L, O, U), 40 bits from gen_random_uuid(), which
-- draws on the server's strong random source. Bytes 6 and 8 of a v4 UUID carry version and variant
-- bits, so only fully random bytes are read; a byte modulo 32 is uniform.
CREATE FUNCTION forum_verification_code() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT 'merit-' || string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ', get_byte(b, i) % 32 + 1, 1), '' ORDER BY n)
  FROM (SELECT uuid_send(gen_random_uuid()) AS b) r,
    unnest(ARRAY[0, 1, 2, 3, 4, 5, 9, 10]) WITH ORDINALITY AS t(i, n)
$$;
--> statement-breakpoint
-- A volatile default is evaluated per row: every existing claim gets a fresh code of its own.
ALTER TABLE "forum_profiles" ADD COLUMN "verification_code" text DEFAULT forum_verification_code() NOT NULL;
--> statement-breakpoint
-- When the claim's code was first found on the forum profile. A later design change sets status back
-- to 'unverified' but keeps this: ownership is proven once, re-verification checks the design only.
ALTER TABLE "forum_profiles" ADD COLUMN "owner_verified_at" timestamp with time zone;
--> statement-breakpoint
-- Profiles verified before this change (now or earlier, then re-designed) stay verified.
UPDATE "forum_profiles" SET "owner_verified_at" = COALESCE("verified_at", "created_at")
  WHERE "status" <> 'unverified' OR "verified_at" IS NOT NULL;
--> statement-breakpoint
-- Only a proven owner is ever tracked, listed or credited (all of those read status <> 'unverified').
ALTER TABLE "forum_profiles" ADD CONSTRAINT "forum_profiles_owner_proven"
  CHECK ("status" = 'unverified' OR "owner_verified_at" IS NOT NULL);
--> statement-breakpoint
DROP INDEX "forum_profiles_forum_user_idx";
--> statement-breakpoint
CREATE INDEX "forum_profiles_forum_user_idx" ON "forum_profiles" USING btree ("site_id","forum_user_id");
--> statement-breakpoint
CREATE UNIQUE INDEX "forum_profiles_owner_idx" ON "forum_profiles" USING btree ("site_id","forum_user_id")
  WHERE "owner_verified_at" IS NOT NULL;
