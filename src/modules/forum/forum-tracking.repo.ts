// SQL of forum profiles, tracked posts and the scrape audit log.
import type { SQL } from "drizzle-orm";
import { firstRow, rows, sql, type Tx } from "../../core/db/client.ts";

export interface ProfileRow {
  id: string;
  user_id: string;
  site_id: string;
  campaign_id: string;
  forum_user_id: number;
  forum_username: string;
  position: string;
  signature_id: string | null;
  status: "unverified" | "verified" | "inactive";
  verified_at: Date | null;
  tracking_since: Date | null;
  last_attempt_at: Date | null;
  last_success_at: Date | null;
  last_history_at: Date | null;
  last_signature_found: boolean | null;
  last_outcome: string | null;
  checks: number;
  max_gap_seconds: number;
  lease_until: Date | null;
  created_at: Date;
  /** Secret of the claim: only its owner sees it. */
  verification_code: string;
  owner_verified_at: Date | null;
}

export interface PostRow {
  id: string;
  campaign_id: string;
  profile_id: string;
  message_id: string;
  topic_id: string;
  board_name: string | null;
  posted_at: Date;
  content_length: number;
  rank_name: string;
  bonus_percent: string;
  points: string;
  status: "pending" | "credited" | "uncredited";
  reason: string | null;
  matures_at: Date;
  missing_ms: string;
  observed_until: Date;
  missed_scans: number;
  uptime_percent: string | null;
  contribution_id: string | null;
  discovered_at: Date;
  decided_at: Date | null;
}

const iso = (d: Date) => d.toISOString();

export const findProfile = (db: Tx, id: string) =>
  firstRow<ProfileRow>(db, sql`SELECT * FROM forum_profiles WHERE id = ${id}`);
/** The claim of the forum account whose owner has been proven (at most one). */
export const findOwnedProfileByForumUser = (db: Tx, siteId: string, forumUserId: number) =>
  firstRow<ProfileRow>(
    db,
    sql`SELECT * FROM forum_profiles WHERE site_id = ${siteId} AND forum_user_id = ${forumUserId}
        AND owner_verified_at IS NOT NULL`,
  );
/** The user's own claim of the forum account, proven or not. */
export const findClaimOfUser = (db: Tx, userId: string, siteId: string, forumUserId: number) =>
  firstRow<ProfileRow>(
    db,
    sql`SELECT * FROM forum_profiles WHERE user_id = ${userId} AND site_id = ${siteId}
        AND forum_user_id = ${forumUserId}`,
  );

/**
 * Serialises claims and ownership proofs of one forum account until the transaction ends, so a
 * claim never slips in beside a proof and two proofs never interleave (the two-key advisory lock
 * space is apart from the single-key one the migrator and the points folder use).
 */
export async function lockForumAccount(tx: Tx, siteId: string, forumUserId: number): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`forum-account:${siteId}`}), ${forumUserId})`);
}

/**
 * Deletes the unproven claims among `ids` (a subquery of profile ids); returns how many. Their verify
 * attempts stay in the scrape log, detached. Unproven claims are never tracked, so they have no posts.
 */
async function deleteUnprovenClaims(tx: Tx, ids: SQL): Promise<number> {
  const unproven = sql`SELECT id FROM forum_profiles WHERE id IN (${ids}) AND owner_verified_at IS NULL`;
  await tx.execute(sql`UPDATE forum_scrapes SET profile_id = NULL WHERE profile_id IN (${unproven})`);
  const r = await firstRow<{ n: number }>(
    tx,
    sql`WITH d AS (DELETE FROM forum_profiles WHERE id IN (${unproven}) RETURNING 1) SELECT count(*)::int AS n FROM d`,
  );
  return r?.n ?? 0;
}

/** Removes the other users' unproven claims of the forum account: its owner has just proven it. */
export const dropRivalClaims = (tx: Tx, p: ProfileRow) =>
  deleteUnprovenClaims(
    tx,
    sql`SELECT id FROM forum_profiles WHERE site_id = ${p.site_id} AND forum_user_id = ${p.forum_user_id} AND id <> ${p.id}`,
  );

/** Deletes one claim if its owner was never proven (its claimant withdrawing it); false otherwise. */
export const deleteUnprovenClaim = async (tx: Tx, id: string) =>
  (await deleteUnprovenClaims(tx, sql`SELECT ${id}::uuid`)) > 0;

export const findProfileOfUser = (db: Tx, userId: string, siteId: string) =>
  firstRow<ProfileRow>(
    db,
    sql`SELECT * FROM forum_profiles WHERE user_id = ${userId} AND site_id = ${siteId}`,
  );
export const listProfilesOfUser = (db: Tx, userId: string) =>
  rows<ProfileRow>(db, sql`SELECT * FROM forum_profiles WHERE user_id = ${userId} ORDER BY created_at`);

export function insertProfile(
  db: Tx,
  p: {
    userId: string;
    siteId: string;
    campaignId: string;
    forumUserId: number;
    username: string;
    position: string;
  },
  at: Date,
) {
  return firstRow<ProfileRow>(
    db,
    sql`INSERT INTO forum_profiles (user_id, site_id, campaign_id, forum_user_id, forum_username, position, created_at)
        VALUES (${p.userId}, ${p.siteId}, ${p.campaignId}, ${p.forumUserId}, ${p.username}, ${p.position}, ${iso(at)})
        ON CONFLICT DO NOTHING RETURNING *`,
  );
}

export async function setSignature(db: Tx, id: string, signatureId: string): Promise<void> {
  // A new design must be verified again before posts count.
  await db.execute(
    sql`UPDATE forum_profiles SET signature_id = ${signatureId},
          status = CASE WHEN signature_id IS DISTINCT FROM ${signatureId} THEN 'unverified' ELSE status END
        WHERE id = ${id}`,
  );
}

/** Marks the design verified; the first verification also records the proven owner. */
export async function markVerified(db: Tx, id: string, at: Date, u: { username: string; position: string }) {
  await db.execute(
    sql`UPDATE forum_profiles SET status = 'verified', verified_at = ${iso(at)},
          owner_verified_at = COALESCE(owner_verified_at, ${iso(at)}),
          tracking_since = COALESCE(tracking_since, ${iso(at)}), forum_username = ${u.username},
          position = ${u.position}, last_signature_found = true, last_success_at = ${iso(at)},
          last_attempt_at = ${iso(at)}, last_outcome = 'ok'
        WHERE id = ${id}`,
  );
}

/** Takes the check lease so two workers never check one profile at once. */
export function claimLease(db: Tx, id: string, now: Date, until: Date) {
  return firstRow<ProfileRow>(
    db,
    sql`UPDATE forum_profiles SET lease_until = ${iso(until)}
        WHERE id = ${id} AND (lease_until IS NULL OR lease_until <= ${iso(now)}) RETURNING *`,
  );
}

export async function releaseLease(db: Tx, id: string): Promise<void> {
  await db.execute(sql`UPDATE forum_profiles SET lease_until = NULL WHERE id = ${id}`);
}

export interface CheckUpdate {
  at: Date;
  outcome: string;
  success: boolean;
  signatureFound: boolean | null;
  username?: string;
  position?: string;
  historyCompleteAt?: Date | null;
}

/**
 * Records a check on the profile row (counters, coverage gap, latest rank and signature state),
 * unless the profile no longer holds the forum account the check read (an account deletion erased
 * it meanwhile: see forum-erasure.ts).
 */
export async function recordCheck(
  db: Tx,
  profile: { id: string; forum_user_id: number },
  u: CheckUpdate,
): Promise<void> {
  const at = iso(u.at);
  await db.execute(
    sql`UPDATE forum_profiles SET last_attempt_at = ${at}, last_outcome = ${u.outcome},
          checks = checks + CASE WHEN ${u.success} THEN 1 ELSE 0 END,
          max_gap_seconds = CASE WHEN ${u.success} AND last_success_at IS NOT NULL
            THEN GREATEST(max_gap_seconds, floor(extract(epoch FROM (${at}::timestamptz - last_success_at)))::int)
            ELSE max_gap_seconds END,
          last_success_at = CASE WHEN ${u.success} THEN ${at}::timestamptz ELSE last_success_at END,
          last_signature_found = CASE WHEN ${u.success} THEN ${u.signatureFound} ELSE last_signature_found END,
          forum_username = COALESCE(${u.username ?? null}, forum_username),
          position = COALESCE(${u.position ?? null}, position),
          last_history_at = COALESCE(${u.historyCompleteAt ? iso(u.historyCompleteAt) : null}::timestamptz, last_history_at)
        WHERE id = ${profile.id} AND forum_user_id = ${profile.forum_user_id}`,
  );
}

export interface ScrapeInsert {
  profileId: string | null;
  campaignId: string | null;
  siteId: string;
  forumUserId: number;
  kind: "profile" | "history" | "verify" | "check";
  outcome: string;
  httpStatus: number | null;
  attempts: number;
  pages: number;
  signatureFound: boolean | null;
  links: string[] | null;
  missingLinks: string[] | null;
  newPosts: number | null;
  error: string | null;
  durationMs: number;
  at: Date;
}

/** Logs a scrape; one of a profile that no longer holds that forum account (erased meanwhile) is dropped. */
export async function insertScrape(db: Tx, s: ScrapeInsert): Promise<void> {
  await db.execute(
    sql`INSERT INTO forum_scrapes (profile_id, campaign_id, site_id, forum_user_id, kind, outcome, http_status,
          attempts, pages, signature_found, links, missing_links, new_posts, error, duration_ms, created_at)
        SELECT ${s.profileId}::uuid, ${s.campaignId}::uuid, ${s.siteId}, ${s.forumUserId}, ${s.kind}, ${s.outcome},
          ${s.httpStatus}::int, ${s.attempts}::int, ${s.pages}::int, ${s.signatureFound}::boolean,
          ${s.links === null ? null : JSON.stringify(s.links)}::jsonb,
          ${s.missingLinks === null ? null : JSON.stringify(s.missingLinks)}::jsonb,
          ${s.newPosts}::int, ${s.error}, ${s.durationMs}::int, ${iso(s.at)}::timestamptz
        WHERE ${s.profileId}::uuid IS NULL OR EXISTS (
          SELECT 1 FROM forum_profiles WHERE id = ${s.profileId}::uuid AND forum_user_id = ${s.forumUserId})`,
  );
}

/**
 * Whether the profile still holds the forum account a check read, locking it against an erasure
 * until the caller's transaction ends (the eraser locks the profiles first: forum-erasure.ts).
 */
export async function holdsForumAccount(
  tx: Tx,
  profile: { id: string; forum_user_id: number },
): Promise<boolean> {
  const r = await firstRow(
    tx,
    sql`SELECT 1 FROM forum_profiles WHERE id = ${profile.id} AND forum_user_id = ${profile.forum_user_id} FOR SHARE`,
  );
  return r !== null;
}

export interface ScrapeRow {
  id: string;
  kind: string;
  outcome: string;
  http_status: number | null;
  attempts: number;
  pages: number;
  signature_found: boolean | null;
  links: string[] | null;
  missing_links: string[] | null;
  new_posts: number | null;
  error: string | null;
  duration_ms: number;
  created_at: Date;
}

export const listScrapes = (db: Tx, profileId: string, limit: number) =>
  rows<ScrapeRow>(
    db,
    sql`SELECT * FROM forum_scrapes WHERE profile_id = ${profileId} ORDER BY id DESC LIMIT ${limit}`,
  );

export const listPostsOfProfile = (db: Tx, profileId: string) =>
  rows<PostRow>(db, sql`SELECT * FROM forum_posts WHERE profile_id = ${profileId} ORDER BY posted_at DESC`);
export const listPendingPosts = (db: Tx, profileId: string) =>
  rows<PostRow>(
    db,
    sql`SELECT * FROM forum_posts WHERE profile_id = ${profileId} AND status = 'pending' ORDER BY posted_at`,
  );
/** Credited posts whose award has not reached the ledger (just decided, or a crash came in between). */
export const listUnawardedPosts = (db: Tx, profileId: string) =>
  rows<PostRow>(
    db,
    sql`SELECT * FROM forum_posts WHERE profile_id = ${profileId} AND status = 'credited'
        AND contribution_id IS NULL ORDER BY posted_at`,
  );
export const knownMessageIds = async (db: Tx, campaignId: string, ids: number[]) =>
  new Set(
    (
      await rows<{ message_id: string }>(
        db,
        sql`SELECT message_id::text FROM forum_posts WHERE campaign_id = ${campaignId}
            AND message_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::bigint)`,
      )
    ).map((r) => Number(r.message_id)),
  );

/** Posts of the profile that count toward the weekly cap in [from, to). */
export async function countCountedPosts(db: Tx, profileId: string, from: Date, to: Date): Promise<number> {
  const r = await firstRow<{ n: number }>(
    db,
    sql`SELECT count(*)::int AS n FROM forum_posts WHERE profile_id = ${profileId}
        AND status IN ('pending','credited') AND posted_at >= ${iso(from)} AND posted_at < ${iso(to)}`,
  );
  return r?.n ?? 0;
}

export interface PostInsert {
  campaignId: string;
  profileId: string;
  messageId: number;
  topicId: number;
  boardName: string | null;
  postedAt: Date;
  contentLength: number;
  rankName: string;
  bonusPercent: string;
  points: string;
  status: "pending" | "uncredited";
  reason: string | null;
  maturesAt: Date;
  at: Date;
}

export async function insertPost(db: Tx, p: PostInsert): Promise<boolean> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`INSERT INTO forum_posts (campaign_id, profile_id, message_id, topic_id, board_name, posted_at, content_length,
          rank_name, bonus_percent, points, status, reason, matures_at, observed_until, discovered_at, decided_at)
        VALUES (${p.campaignId}, ${p.profileId}, ${p.messageId}, ${p.topicId}, ${p.boardName}, ${iso(p.postedAt)},
          ${p.contentLength}, ${p.rankName}, ${p.bonusPercent}, ${p.points}, ${p.status}, ${p.reason},
          ${iso(p.maturesAt)}, ${iso(p.postedAt)}, ${iso(p.at)}, ${p.status === "pending" ? null : iso(p.at)})
        ON CONFLICT (campaign_id, message_id) DO NOTHING RETURNING id`,
  );
  return r !== null;
}

export async function updatePostObservation(
  db: Tx,
  id: string,
  o: { missingMs: number; observedUntil: Date; missedScans: number; uptimePercent: string },
): Promise<void> {
  await db.execute(
    sql`UPDATE forum_posts SET missing_ms = ${o.missingMs}, observed_until = ${iso(o.observedUntil)},
          missed_scans = ${o.missedScans}, uptime_percent = ${o.uptimePercent}
        WHERE id = ${id} AND status = 'pending'`,
  );
}

/** Moves a pending post to its final state; false when another worker decided it first. */
export async function decidePost(
  db: Tx,
  id: string,
  d: { status: "credited" | "uncredited"; reason: string | null; at: Date },
): Promise<boolean> {
  const r = await firstRow<{ id: string }>(
    db,
    sql`UPDATE forum_posts SET status = ${d.status}, reason = ${d.reason}, decided_at = ${iso(d.at)}
        WHERE id = ${id} AND status = 'pending' RETURNING id`,
  );
  return r !== null;
}

/**
 * Gives a freed weekly slot back: re-opens the profile's earliest post of [from, to) refused for the
 * weekly cap, while that week counts fewer than `cap` posts (pending or credited). It then matures
 * like any pending post, its uptime measured from its posting. True when one was re-opened.
 */
export async function reopenCappedPost(db: Tx, profileId: string, from: Date, to: Date, cap: number) {
  const week = sql`profile_id = ${profileId} AND posted_at >= ${iso(from)} AND posted_at < ${iso(to)}`;
  const r = await firstRow<{ id: string }>(
    db,
    sql`UPDATE forum_posts SET status = 'pending', reason = NULL, decided_at = NULL
        WHERE id = (SELECT id FROM forum_posts WHERE ${week} AND status = 'uncredited' AND reason = 'WEEKLY_CAP'
            ORDER BY posted_at, message_id LIMIT 1)
          AND (SELECT count(*) FROM forum_posts WHERE ${week} AND status IN ('pending', 'credited')) < ${cap}
        RETURNING id`,
  );
  return r !== null;
}

/**
 * Makes a credited post whose award failed pending again, decided anew on the next check; `refusal`
 * (POINTS_REFUSED:<code>) records why the points core refused it, for admins, until it is awarded.
 */
export async function undoDecision(db: Tx, id: string, refusal: string | null = null): Promise<void> {
  await db.execute(
    sql`UPDATE forum_posts SET status = 'pending', reason = ${refusal}, decided_at = NULL WHERE id = ${id}`,
  );
}

export async function setContribution(db: Tx, id: string, contributionId: string | null): Promise<void> {
  await db.execute(sql`UPDATE forum_posts SET contribution_id = ${contributionId} WHERE id = ${id}`);
}
