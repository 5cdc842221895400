// Checks one verified profile: reads its signature and post history, finds new posts, measures the
// signature's uptime for maturing posts and decides matured posts.
//
// Pending vs credited: a post found in the campaign window is stored `pending` with its points
// (postPoints x (1 + rank bonus at discovery)) shown but NOT yet in the ledger. Only when it has
// matured (a successful check at or after `matures_at`, and a complete history scan after it that
// still lists the post) is it `credited` and awarded through the PointsSink, or `uncredited` with a
// reason (LOW_UPTIME, DELETED; rule failures TOO_SHORT, EXCLUDED_BOARD, WEEKLY_CAP, RANK_NOT_ALLOWED,
// OUTSIDE_WINDOW are decided at discovery; a WEEKLY_CAP post is re-opened when a counted post of its
// week is uncredited, taking the freed slot). Failed scrapes (5xx, timeouts, Cloudflare, "too fast",
// missing profile) never count as "signature missing" and never decide anything, so an outage can
// only delay crediting, never uncredit.
import type { Clock } from "../../core/clock.ts";
import type { Database } from "../../core/db/client.ts";
import { AppError } from "../../core/errors.ts";
import type { Logger } from "../../core/logger.ts";
import * as catalog from "./forum-catalog.repo.ts";
import {
  DELETION_MISSES,
  type Observation,
  observe,
  postPointsFor,
  ruleViolation,
  uptimePercent,
  uptimeText,
  verdict,
  weekStart,
} from "./forum-crediting.rules.ts";
import type { PointsSink } from "./forum-points.ts";
import { profileScrapeFields, signatureState } from "./forum-signature-check.ts";
import * as repo from "./forum-tracking.repo.ts";
import type { ForumSiteClient } from "./scraper/bitcointalk-site.ts";

export interface TrackingDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  site: (siteId: string) => ForumSiteClient;
  sink: () => PointsSink;
  /** How long a check holds its profile (default 10 minutes); tests shorten it. */
  leaseMs?: number;
}

export interface CheckResult {
  profileId: string;
  skipped?: "LEASED" | "NOT_VERIFIED" | "LEASE_EXPIRED";
  outcome?: string;
  signatureFound?: boolean | null;
  newPosts?: number;
  credited?: number;
  uncredited?: number;
}

const LEASE_MS = 10 * 60_000;
/** A check gives up at this share of its lease, so it never runs on after another may take the profile. */
const LEASE_USE = 0.9;
/** History scans re-read a little before the last complete scan, for posts listed late. */
const RESCAN_MARGIN_MS = 10 * 60_000;
const WEEK_MS = 7 * 86_400_000;

/**
 * Posts count from the campaign start or the profile's verification, whichever is later. Forum times
 * have whole-second resolution: a post written in the second the profile was verified counts, so the
 * verification time is rounded down to its second.
 */
export function trackingStartOf(
  campaign: catalog.CampaignRow,
  profile: repo.ProfileRow,
  fallback: Date,
): Date {
  const verified = Math.floor(new Date(profile.tracking_since ?? fallback).getTime() / 1000) * 1000;
  return new Date(Math.max(campaign.starts_at.getTime(), verified));
}

/** The forum_posts row of a newly found post: pending, or uncredited with the rule it breaks. */
export function foundPostRow(
  campaign: catalog.CampaignRow,
  profileId: string,
  rank: catalog.RankRow,
  p: { messageId: number; topicId: number; boardName?: string | null; postedAt: Date; contentLength: number },
  reason: string | null,
  at: Date,
): repo.PostInsert {
  return {
    campaignId: campaign.id,
    profileId,
    messageId: p.messageId,
    topicId: p.topicId,
    boardName: p.boardName ?? null,
    postedAt: p.postedAt,
    contentLength: p.contentLength,
    rankName: rank.name,
    bonusPercent: rank.bonus_percent,
    points: postPointsFor(campaign.post_points, rank.bonus_percent),
    status: reason ? "uncredited" : "pending",
    reason,
    maturesAt: new Date(p.postedAt.getTime() + campaign.maturation_minutes * 60_000),
    at,
  };
}

/**
 * The reason kept on a post whose award the points rules refused (422: a cap reached, the type
 * deactivated, points out of its range...): POINTS_REFUSED:<code>. Null for any other failure.
 */
export function refusalOf(err: unknown): string | null {
  return err instanceof AppError && err.status === 422 ? `POINTS_REFUSED:${err.code}` : null;
}

/**
 * Awards a credited post through the points sink and links the contribution to it. When the award
 * fails the decision is undone (the post is pending again, decided on the next check, so no points
 * are lost while an admin fixes a cap or a type) with the refusal recorded, and the error is rethrown.
 */
export async function creditPost(
  db: Database,
  sink: PointsSink,
  site: ForumSiteClient,
  campaign: catalog.CampaignRow,
  profile: repo.ProfileRow,
  post: repo.PostRow,
): Promise<void> {
  try {
    const contributionId = await sink.award({
      forumCampaignId: campaign.id,
      pointsCampaignId: campaign.points_campaign_id,
      contributionTypeId: campaign.contribution_type_id,
      userId: profile.user_id,
      points: post.points,
      bonusPercent: post.bonus_percent,
      postedAt: new Date(post.posted_at),
      sourceRef: `forum-post:${post.id}`,
      evidenceUrl: site.postLink(post.topic_id, post.message_id),
    });
    await repo.setContribution(db.orm, post.id, contributionId);
  } catch (err) {
    await repo.undoDecision(db.orm, post.id, refusalOf(err));
    throw err;
  }
}

/** Builds the profile checker. */
export function createTrackingService(deps: TrackingDeps) {
  const { db, clock } = deps;

  async function discover(
    profile: repo.ProfileRow,
    campaign: catalog.CampaignRow,
    posts: Awaited<ReturnType<ForumSiteClient["fetchHistory"]>>["posts"],
    trackingStart: Date,
    rank: catalog.RankRow,
  ): Promise<number> {
    const now = clock.now();
    const candidates = posts
      .filter((p) => p.postedAt >= trackingStart && p.postedAt <= now)
      .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime() || a.messageId - b.messageId);
    if (candidates.length === 0) return 0;
    return db.transaction(async (tx) => {
      // The account was deleted while the forum was read: its claim is erased, nothing is tracked.
      if (!(await repo.holdsForumAccount(tx, profile))) return 0;
      const known = await repo.knownMessageIds(
        tx,
        campaign.id,
        candidates.map((p) => p.messageId),
      );
      let added = 0;
      for (const p of candidates) {
        if (known.has(p.messageId)) continue;
        let reason = ruleViolation(p, campaign, rank.allowed);
        if (!reason && campaign.weekly_post_cap !== null) {
          const from = weekStart(p.postedAt, campaign.week_reset_day);
          const used = await repo.countCountedPosts(tx, profile.id, from, new Date(from.getTime() + WEEK_MS));
          if (used >= campaign.weekly_post_cap) reason = "WEEKLY_CAP";
        }
        const inserted = await repo.insertPost(tx, foundPostRow(campaign, profile.id, rank, p, reason, now));
        if (inserted) added++;
      }
      return added;
    });
  }

  /** Applies one check's observations to pending posts and decides those that matured. */
  async function settle(
    profile: repo.ProfileRow,
    campaign: catalog.CampaignRow,
    seen: { at: Date; signatureFound: boolean } | null,
    history: { at: Date; since: Date; messageIds: Set<number> } | null,
    historyCheckedAt: Date | null,
  ) {
    const decided: Array<{ post: repo.PostRow; status: "credited" | "uncredited"; reason: string | null }> =
      [];
    // Refusals recorded by earlier checks: a refusal repeated at every check is logged once.
    const refusedBefore = new Map<string, string | null>();
    await db.transaction(async (tx) => {
      for (const post of await repo.listPendingPosts(tx, profile.id)) {
        refusedBefore.set(post.id, post.reason);
        let o: Observation & { missedScans: number } = {
          postedAt: new Date(post.posted_at),
          maturesAt: new Date(post.matures_at),
          observedUntil: new Date(post.observed_until),
          missingMs: Number(post.missing_ms),
          missedScans: post.missed_scans,
        };
        if (history && o.postedAt >= history.since) {
          o.missedScans = history.messageIds.has(Number(post.message_id)) ? 0 : o.missedScans + 1;
        }
        if (seen) o = { ...o, ...observe(o, seen.at, seen.signatureFound) };
        await repo.updatePostObservation(tx, post.id, {
          missingMs: o.missingMs,
          observedUntil: o.observedUntil,
          missedScans: o.missedScans,
          uptimePercent: uptimeText(uptimePercent(o)),
        });
        const v = verdict(o, campaign.uptime_threshold_percent, historyCheckedAt);
        if (!v) continue;
        const reason = v.status === "uncredited" ? v.reason : null;
        if (await repo.decidePost(tx, post.id, { status: v.status, reason, at: clock.now() })) {
          decided.push({ post, status: v.status, reason });
          // An uncredited post no longer counts toward its week's cap: its slot goes to the week's
          // earliest post refused for the cap, if any.
          if (v.status === "uncredited" && campaign.weekly_post_cap !== null) {
            const from = weekStart(o.postedAt, campaign.week_reset_day);
            const to = new Date(from.getTime() + WEEK_MS);
            await repo.reopenCappedPost(tx, profile.id, from, to, campaign.weekly_post_cap);
          }
        }
      }
    });
    const credited = decided.filter((d) => d.status === "credited");
    const site = deps.site(profile.site_id);
    // Every credited post not yet in the ledger: those just decided, and any a crash left between a
    // decision's commit and its award (the sink finds an award that was written but not linked).
    const unawarded = campaign.contribution_type_id
      ? await repo.listUnawardedPosts(db.orm, profile.id)
      : credited.map((d) => d.post);
    for (const post of unawarded) {
      await creditPost(db, deps.sink(), site, campaign, profile, post).catch((err: unknown) => {
        // The post stays pending and is decided again on the next check.
        const refusal = refusalOf(err);
        if (refusal === null)
          deps.logger.error({ err, postId: post.id }, "awarding a matured forum post failed");
        else if (refusedBefore.get(post.id) !== refusal)
          deps.logger.warn(
            { postId: post.id, refusal, message: (err as Error).message },
            "points refused a matured forum post; kept pending",
          );
      });
    }
    return {
      credited: credited.length,
      uncredited: decided.filter((d) => d.status === "uncredited").length,
    };
  }

  async function runCheck(profile: repo.ProfileRow, signal?: AbortSignal): Promise<CheckResult> {
    const campaign = await catalog.findCampaignById(db.orm, profile.campaign_id);
    if (!campaign) return { profileId: profile.id, skipped: "NOT_VERIFIED" };
    const signature = profile.signature_id ? await catalog.findSignature(db.orm, profile.signature_id) : null;
    const site = deps.site(profile.site_id);
    const base = {
      profileId: profile.id,
      campaignId: campaign.id,
      siteId: profile.site_id,
      forumUserId: profile.forum_user_id,
    };

    const startedAt = clock.now();
    const page = await site.fetchProfile(profile.forum_user_id, signal);
    const seenAt = clock.now();
    const state = page.profile && signature ? signatureState(page.profile, signature.code) : null;
    await repo.insertScrape(db.orm, {
      ...base,
      kind: "profile",
      ...profileScrapeFields(page, state),
      at: seenAt,
    });
    if (!page.profile || !state) {
      await repo.recordCheck(db.orm, profile, {
        at: seenAt,
        outcome: page.outcome,
        success: false,
        signatureFound: null,
      });
      return { profileId: profile.id, outcome: page.outcome, signatureFound: null };
    }
    const rank = await catalog.ensureRank(db.orm, profile.site_id, page.profile.position || "Brand new");

    const trackingStart = trackingStartOf(campaign, profile, startedAt);
    const pending = await repo.listPendingPosts(db.orm, profile.id);
    const cursor = profile.last_history_at
      ? new Date(profile.last_history_at).getTime() - RESCAN_MARGIN_MS
      : 0;
    const oldestPending = pending[0] ? new Date(pending[0].posted_at).getTime() : Number.POSITIVE_INFINITY;
    const since = new Date(
      Math.max(trackingStart.getTime(), Math.min(cursor || trackingStart.getTime(), oldestPending)),
    );
    const history = await site.fetchHistory(profile.forum_user_id, since, signal);
    const historyAt = clock.now();
    let newPosts = 0;
    if (history.posts.length > 0)
      newPosts = await discover(profile, campaign, history.posts, trackingStart, rank);
    await repo.insertScrape(db.orm, {
      ...base,
      kind: "history",
      outcome: history.outcome,
      httpStatus: history.status,
      attempts: history.attempts,
      pages: history.pages,
      signatureFound: null,
      links: null,
      missingLinks: null,
      newPosts,
      error: history.error ?? null,
      durationMs: history.durationMs,
      at: historyAt,
    });
    const complete = history.outcome === "ok" && history.complete;
    const historyCheckedAt = complete
      ? historyAt
      : profile.last_history_at
        ? new Date(profile.last_history_at)
        : null;
    const decided = await settle(
      profile,
      campaign,
      { at: seenAt, signatureFound: state.found },
      complete ? { at: historyAt, since, messageIds: new Set(history.posts.map((p) => p.messageId)) } : null,
      historyCheckedAt,
    );
    await repo.recordCheck(db.orm, profile, {
      at: seenAt,
      outcome: complete ? "ok" : `history-${history.outcome}`,
      success: true,
      signatureFound: state.found,
      username: page.profile.username,
      position: page.profile.position,
      historyCompleteAt: complete ? historyAt : null,
    });
    return {
      profileId: profile.id,
      outcome: page.outcome,
      signatureFound: state.found,
      newPosts,
      ...decided,
    };
  }

  return {
    /**
     * Checks one verified profile now (idempotent; a second concurrent call for it is skipped).
     * An aborted `signal` stops it between requests; what was already recorded stays recorded.
     */
    async checkProfile(profileId: string, signal?: AbortSignal): Promise<CheckResult> {
      const now = clock.now();
      const leaseMs = deps.leaseMs ?? LEASE_MS;
      const profile = await repo.claimLease(db.orm, profileId, now, new Date(now.getTime() + leaseMs));
      if (!profile) return { profileId, skipped: "LEASED" };
      // Waiting for the forum (a long Retry-After, a busy host queue) must not outlast the lease: the
      // next round would check the same profile at the same time. The check stops before it ends.
      const deadline = AbortSignal.timeout(Math.floor(leaseMs * LEASE_USE));
      const bounded = signal ? AbortSignal.any([signal, deadline]) : deadline;
      try {
        if (profile.status !== "verified") return { profileId, skipped: "NOT_VERIFIED" };
        return await runCheck(profile, bounded);
      } catch (err) {
        if (!deadline.aborted || signal?.aborted) throw err;
        deps.logger.warn(
          { profileId },
          "forum check stopped at the end of its lease; the next round checks again",
        );
        return { profileId, skipped: "LEASE_EXPIRED" };
      } finally {
        await repo.releaseLease(db.orm, profileId);
      }
    },
  };
}

export type TrackingService = ReturnType<typeof createTrackingService>;
export { DELETION_MISSES };
