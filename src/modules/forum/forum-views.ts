// API shapes (camelCase, decimals as strings, ISO dates) of forum rows.
import { Decimal } from "../../core/decimal.ts";
import type * as catalog from "./forum-catalog.repo.ts";
import type * as repo from "./forum-tracking.repo.ts";

export const isoOf = (d: Date | string | null): string | null =>
  d === null ? null : new Date(d).toISOString();
export const dec = (v: string | number) => new Decimal(v).toFixed();

export const rankView = (r: catalog.RankRow) => ({
  id: r.id,
  site: r.site_id,
  name: r.name,
  bonusPercent: dec(r.bonus_percent),
  allowed: r.allowed,
});

export const signatureView = (s: catalog.SignatureRow) => ({
  id: s.id,
  site: s.site_id,
  name: s.name,
  code: s.code,
  imageUrl: s.image_url,
  allowedRanks: s.allowed_ranks,
  active: s.active,
});

export const campaignView = (c: catalog.CampaignRow) => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  site: c.site_id,
  startsAt: isoOf(c.starts_at) as string,
  endsAt: isoOf(c.ends_at),
  pool: c.pool_amount === null ? null : dec(c.pool_amount),
  poolToken: c.pool_token,
  postPoints: dec(c.post_points),
  maturationMinutes: c.maturation_minutes,
  uptimeThresholdPercent: dec(c.uptime_threshold_percent),
  scrapeIntervalSeconds: c.scrape_interval_seconds,
  minPostLength: c.min_post_length,
  excludedBoards: c.excluded_boards,
  weeklyPostCap: c.weekly_post_cap,
  weekResetDay: c.week_reset_day,
  pointsCampaignId: c.points_campaign_id,
});

export const profileView = (p: repo.ProfileRow, campaignSlug: string | null) => ({
  id: p.id,
  userId: p.user_id,
  site: p.site_id,
  campaign: campaignSlug,
  forumUserId: p.forum_user_id,
  username: p.forum_username,
  position: p.position,
  signatureId: p.signature_id,
  status: p.status,
  verifiedAt: isoOf(p.verified_at),
  ownerVerifiedAt: isoOf(p.owner_verified_at),
  lastCheckedAt: isoOf(p.last_success_at),
  lastAttemptAt: isoOf(p.last_attempt_at),
  lastOutcome: p.last_outcome,
  signatureFound: p.last_signature_found,
});

export const postView = (p: repo.PostRow) => ({
  id: p.id,
  messageId: Number(p.message_id),
  topicId: Number(p.topic_id),
  boardName: p.board_name,
  postedAt: isoOf(p.posted_at) as string,
  maturesAt: isoOf(p.matures_at) as string,
  contentLength: p.content_length,
  rank: p.rank_name,
  bonusPercent: dec(p.bonus_percent),
  points: dec(p.points),
  status: p.status,
  reason: p.reason,
  uptimePercent: p.uptime_percent === null ? null : new Decimal(p.uptime_percent).toFixed(2),
  missingSeconds: Math.floor(Number(p.missing_ms) / 1000),
  decidedAt: isoOf(p.decided_at),
});

export const scrapeView = (s: repo.ScrapeRow) => ({
  id: Number(s.id),
  kind: s.kind,
  outcome: s.outcome,
  httpStatus: s.http_status,
  attempts: s.attempts,
  pages: s.pages,
  signatureFound: s.signature_found,
  links: s.links,
  missingLinks: s.missing_links,
  newPosts: s.new_posts,
  error: s.error,
  durationMs: s.duration_ms,
  at: isoOf(s.created_at) as string,
});
