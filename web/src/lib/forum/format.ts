// Display helpers of the forum pages: post statuses and reasons, durations, points, rules.
import type { ApiResponse } from "$lib/api/api";
import { addDecimals, compareDecimals } from "$lib/points/decimal";
import type { ForumCampaign, ForumPost } from "./types";

export const postStatusBadges: Record<string, string> = {
  pending: "badge-warning",
  credited: "badge-success",
  uncredited: "badge-danger",
};

export const profileStatusBadges: Record<string, string> = {
  verified: "badge-success",
  unverified: "badge-warning",
  inactive: "",
};

/** Why a post earned nothing, in words a participant understands. */
const reasonLabels: Record<string, string> = {
  LOW_UPTIME: "Signature missing too long while the post matured",
  DELETED: "Post deleted before it matured",
  TOO_SHORT: "Post too short",
  EXCLUDED_BOARD: "Board not counted",
  WEEKLY_CAP: "Weekly post cap reached",
  RANK_NOT_ALLOWED: "Rank not allowed",
  OUTSIDE_WINDOW: "Outside the campaign window",
  ACCOUNT_DELETED: "The participant deleted their Merit account",
};

/** Why the points rules refused a matured post's award (POINTS_REFUSED:<code>), by the points error code. */
const refusalLabels: Record<string, string> = {
  CAP_EXCEEDED: "the contribution type's points cap is reached",
  CONTRIBUTION_TYPE_INACTIVE: "the contribution type is inactive",
  POINTS_OUT_OF_RANGE: "the points are outside the contribution type's range",
  USER_NOT_FOUND: "the participant's account is gone",
};

/** A post's reason in words: why it earned nothing, or why its matured award is held back. */
export function reasonLabel(reason: string): string {
  const refused = /^POINTS_REFUSED:(.+)$/.exec(reason);
  if (refused)
    return `Points held back: ${refusalLabels[refused[1]] ?? refused[1]}; tried again at each check`;
  return reasonLabels[reason] ?? reason;
}

export const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/** "1 d 2 h", "45 min", "30 s": a duration in its two largest units. */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.round(totalSeconds));
  const units: [string, number][] = [
    ["d", 86_400],
    ["h", 3_600],
    ["min", 60],
    ["s", 1],
  ];
  const parts: string[] = [];
  let rest = s;
  for (const [name, size] of units) {
    if (rest >= size || (parts.length === 0 && size === 1)) {
      parts.push(`${Math.floor(rest / size)} ${name}`);
      rest %= size;
    }
    if (parts.length === 2) break;
  }
  return parts.join(" ");
}

/** "10 minutes", "1 day", "36 hours" for a maturation period. */
export function formatMinutes(minutes: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (minutes % 1440 === 0) return plural(minutes / 1440, "day");
  if (minutes % 60 === 0) return plural(minutes / 60, "hour");
  return plural(minutes, "minute");
}

/** Exact a - b of two decimal strings. */
export function subtractDecimals(a: string, b: string): string {
  const negated = b.startsWith("-") ? b.slice(1) : `-${b}`;
  return addDecimals(a, negated);
}

/** Sum of the points of posts in a status (exact). */
export function sumPoints(posts: ForumPost[], status: string): string {
  return posts.filter((p) => p.status === status).reduce((total, p) => addDecimals(total, p.points), "0");
}

/** Credited points split into the campaign's base points per post and the rank bonus on top. */
export function pointsBreakdown(posts: ForumPost[], postPoints: string): { base: string; bonus: string } {
  let base = "0";
  let bonus = "0";
  for (const p of posts) {
    if (p.status !== "credited") continue;
    // A post's points are postPoints plus its rank bonus; anything above postPoints is the bonus.
    const postBase = compareDecimals(p.points, postPoints) < 0 ? p.points : postPoints;
    base = addDecimals(base, postBase);
    bonus = addDecimals(bonus, subtractDecimals(p.points, postBase));
  }
  return { base, bonus };
}

/** One UTC day of a profile's daily series (posts by the day they were written, points exact). */
export type ForumDay = ApiResponse<"/api/forum/profiles/{id}/daily">["items"][number];

/** Whether the campaign is running at `now` (started, not ended). */
export function isCampaignOpen(c: ForumCampaign, now: number): boolean {
  return Date.parse(c.startsAt) <= now && (c.endsAt === null || Date.parse(c.endsAt) > now);
}

/** The campaign a page should show: a running one first, then the latest starting. */
export function currentCampaign(list: ForumCampaign[], now: number): ForumCampaign | null {
  const open = list.filter((c) => isCampaignOpen(c, now));
  const pool = open.length > 0 ? open : list;
  return [...pool].sort((a, b) => Date.parse(b.startsAt) - Date.parse(a.startsAt))[0] ?? null;
}

/** points x (1 + bonusPercent / 100), exact (bonus percents have at most 4 fraction digits). */
export function withBonus(points: string, bonusPercent: string): string {
  const scaled = (text: string, scale: number) => {
    const [int, fraction = ""] = text.split(".");
    return BigInt(int + fraction.padEnd(scale, "0").slice(0, scale));
  };
  // points at scale 8 x (100 + bonus) at scale 6, then / 100: scale 16.
  const product = (scaled(points, 8) * (scaled(bonusPercent, 6) + 100_000_000n)).toString().padStart(17, "0");
  const fraction = product.slice(-16).replace(/0+$/, "");
  return fraction ? `${product.slice(0, -16)}.${fraction}` : product.slice(0, -16);
}

/** A post on the forum at `forumUrl` (the site's address from /api/forum/sites, no trailing slash). */
export function forumPostHref(
  forumUrl: string,
  topicId: string | number,
  messageId: string | number,
): string {
  return `${forumUrl}/index.php?topic=${topicId}.msg${messageId}#msg${messageId}`;
}

/** A member's profile on the forum at `forumUrl`. */
export function forumProfileHref(forumUrl: string, forumUserId: number): string {
  return `${forumUrl}/index.php?action=profile;u=${forumUserId}`;
}

/** The page where the member edits their signature (the forum lets only the account's owner in). */
export function forumSignatureEditHref(forumUrl: string, forumUserId: number): string {
  return `${forumProfileHref(forumUrl, forumUserId)};sa=forumProfile`;
}

/** A standing's rank as shown: "–" until the member has credited points (a shared last place says little). */
export function standingRank(row: { rank: number; points: string }): string {
  return Number(row.points) > 0 ? `#${row.rank}` : "–";
}
