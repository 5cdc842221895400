// The crediting rules of a forum campaign, as pure functions: one place for each rule.
import { Decimal } from "../../core/decimal.ts";

const DAY_MS = 86_400_000;

/** Points of one post: postPoints x (1 + rank bonus / 100), exact. */
export function postPointsFor(postPoints: string, bonusPercent: string): string {
  return new Decimal(postPoints).times(new Decimal(bonusPercent).div(100).plus(1)).toFixed();
}

/** Start (UTC midnight) of the campaign week containing `at`; weeks start on `resetDay` (0 = Sunday). */
export function weekStart(at: Date, resetDay: number): Date {
  const midnight = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const back = (new Date(midnight).getUTCDay() - resetDay + 7) % 7;
  return new Date(midnight - back * DAY_MS);
}

export interface RuleCampaign {
  starts_at: Date;
  ends_at: Date | null;
  min_post_length: number | null;
  excluded_boards: string[];
}

/** Why a post found in the history cannot earn points, or null when it can (the weekly cap aside). */
export function ruleViolation(
  post: { postedAt: Date; contentLength: number; boardName?: string | null },
  campaign: RuleCampaign,
  rankAllowed: boolean,
): string | null {
  if (post.postedAt < campaign.starts_at || (campaign.ends_at && post.postedAt >= campaign.ends_at)) {
    return "OUTSIDE_WINDOW";
  }
  if (!rankAllowed) return "RANK_NOT_ALLOWED";
  if (campaign.min_post_length !== null && post.contentLength < campaign.min_post_length) return "TOO_SHORT";
  const board = post.boardName?.trim().toLowerCase();
  if (board && campaign.excluded_boards.some((b) => b.trim().toLowerCase() === board))
    return "EXCLUDED_BOARD";
  return null;
}

export interface Observation {
  postedAt: Date;
  maturesAt: Date;
  /** End of the stretch already accounted for by earlier successful checks. */
  observedUntil: Date;
  missingMs: number;
}

/**
 * Accounts one successful signature check at `at`: the stretch since the previous successful check
 * (clipped to the post's maturation window) takes the state seen now. Failed checks never call this,
 * so an outage only widens the next stretch and is never counted as missing on its own.
 */
export function observe(o: Observation, at: Date, signatureFound: boolean): Observation {
  const from = Math.max(o.observedUntil.getTime(), o.postedAt.getTime());
  const to = Math.min(at.getTime(), o.maturesAt.getTime());
  if (to <= from) return o;
  return {
    ...o,
    observedUntil: new Date(to),
    missingMs: o.missingMs + (signatureFound ? 0 : to - from),
  };
}

/** Uptime over the whole maturation window, in percent, exact (missing time only counts against it). */
export function uptimePercent(o: Pick<Observation, "postedAt" | "maturesAt" | "missingMs">): Decimal {
  const windowMs = o.maturesAt.getTime() - o.postedAt.getTime();
  if (windowMs <= 0) return new Decimal(100);
  return new Decimal(windowMs - o.missingMs).div(windowMs).times(100);
}

/** Deleted: absent from two complete history scans in a row (one miss can be a page shifting mid-scan). */
export const DELETION_MISSES = 2;

export type Verdict = { status: "credited" } | { status: "uncredited"; reason: string } | null;

/** Final state of a pending post, or null while it must keep maturing. */
export function verdict(
  o: Observation & { missedScans: number },
  threshold: string,
  historyCheckedAt: Date | null,
): Verdict {
  if (o.missedScans >= DELETION_MISSES) return { status: "uncredited", reason: "DELETED" };
  if (o.observedUntil < o.maturesAt) return null;
  if (!historyCheckedAt || historyCheckedAt < o.maturesAt || o.missedScans > 0) return null;
  const uptime = uptimePercent(o);
  if (uptime.lessThan(threshold)) return { status: "uncredited", reason: "LOW_UPTIME" };
  return { status: "credited" };
}

/** Uptime rounded for display ("90.00"). */
export const uptimeText = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_DOWN).toFixed(2);
