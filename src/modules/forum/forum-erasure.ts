// What the forum module forgets when a Merit account is deleted (accounts runs this eraser inside
// the deletion's transaction, see accounts/account-erasers.ts).
// - The claim on the forum account is released: the forum user id and name are blanked and the
//   ownership proof dropped, so the person can claim the same forum account again from a new Merit
//   account. The scrape log of those profiles (forum ids, signature links found) is deleted.
// - Pending posts end as uncredited with reason ACCOUNT_DELETED instead of waiting for ever (the
//   scheduler already skips deleted accounts). Tracked posts keep their forum message ids: the
//   campaign's (campaign, message) key is what stops a post from being credited twice when the
//   forum account is claimed again. Credited points stay in the ledger, as for any deleted account.
import { sql } from "drizzle-orm";
import type { AccountEraser } from "../accounts/account-erasers.ts";

/** Forum user id of an erased claim: Bitcointalk numbers its members from 1. */
const ERASED_FORUM_USER = 0;

/** The forum module's account eraser. */
export const forgetForumAccount: AccountEraser = async (tx, deleted) => {
  const profiles = sql`SELECT id FROM forum_profiles WHERE user_id = ${deleted.userId}`;
  // First lock the claims: a check that is writing what it read waits for this to commit, and one
  // that already holds a claim (holdsForumAccount) is waited for, so its posts are seen below.
  await tx.execute(sql`${profiles} FOR UPDATE`);
  await tx.execute(
    sql`UPDATE forum_posts SET status = 'uncredited', reason = 'ACCOUNT_DELETED', decided_at = ${deleted.at.toISOString()}
        WHERE status = 'pending' AND profile_id IN (${profiles})`,
  );
  await tx.execute(sql`DELETE FROM forum_scrapes WHERE profile_id IN (${profiles})`);
  await tx.execute(
    sql`UPDATE forum_profiles SET forum_user_id = ${ERASED_FORUM_USER}, forum_username = ${deleted.username},
          status = 'unverified', owner_verified_at = NULL, verified_at = NULL, tracking_since = NULL,
          lease_until = NULL, last_signature_found = NULL, last_outcome = NULL
        WHERE user_id = ${deleted.userId}`,
  );
};
