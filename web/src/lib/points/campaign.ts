// Campaign timing shared by the campaign list and page. endsAt null: open-ended (live once started).
// With extensions and no $lib imports: test/web's unit tests load this module under Node's resolution too.
import { formatDayRange, formatInstant } from "./format.ts";

/** The fields of a campaign (the API's Campaign) these helpers read. */
interface Campaign {
  startsAt: string;
  endsAt: string | null;
  description: string | null;
  managedBy: string | null;
}

export type CampaignStatus = "upcoming" | "active" | "ended";

/** Where now falls in the campaign's window. */
export function campaignStatus(c: Pick<Campaign, "startsAt" | "endsAt">, now: number): CampaignStatus {
  if (now < Date.parse(c.startsAt)) return "upcoming";
  return c.endsAt === null || now < Date.parse(c.endsAt) ? "active" : "ended";
}

export const statusLabels: Record<CampaignStatus, string> = {
  upcoming: "Starts soon",
  active: "Live",
  ended: "Ended",
};

export const statusBadges: Record<CampaignStatus, string> = {
  upcoming: "badge-warning",
  active: "badge-success",
  ended: "",
};

/** Share of the window elapsed, 0..1 (for progress bars); null for an open-ended campaign. */
export function campaignProgress(c: Pick<Campaign, "startsAt" | "endsAt">, now: number): number | null {
  if (c.endsAt === null) return null;
  const start = Date.parse(c.startsAt);
  const end = Date.parse(c.endsAt);
  return Math.min(1, Math.max(0, (now - start) / Math.max(1, end - start)));
}

/** Sort key of the end: open-ended campaigns after every dated one. */
export function endOf(c: Pick<Campaign, "endsAt">): number {
  return c.endsAt === null ? Number.POSITIVE_INFINITY : Date.parse(c.endsAt);
}

const DAY_MS = 86_400_000;

/** Whether an instant is a UTC midnight (an exclusive end that means "through the day before"). */
export function isUtcMidnight(iso: string): boolean {
  return Date.parse(iso) % DAY_MS === 0;
}

/**
 * The last day a campaign counts, as a UTC midnight: an end at 00:00 UTC is exclusive, so the day
 * before is the last one (Dec 1 00:00 -> Nov 30); an end later in a day keeps that day.
 */
export function lastDay(endsAt: string): Date {
  const end = Date.parse(endsAt);
  return new Date(Math.floor((isUtcMidnight(endsAt) ? end - DAY_MS : end) / DAY_MS) * DAY_MS);
}

/** "Nov 1 – Nov 30, 2026" (both days included, UTC), or "From Nov 1, 2026" when open-ended. */
export function campaignDays(c: Pick<Campaign, "startsAt" | "endsAt">): string {
  const first = new Date(Math.floor(Date.parse(c.startsAt) / DAY_MS) * DAY_MS);
  if (c.endsAt === null) return `From ${formatDayRange(first, first)}`;
  return formatDayRange(first, lastDay(c.endsAt));
}

/**
 * The window of a dated campaign in one phrase that never names two different ends: whole UTC days
 * when it starts and ends at midnight ("Nov 11 – Dec 10, 2026 (UTC)": the end at Dec 11 00:00 is
 * exclusive), the exact instants otherwise. Null for an open-ended campaign.
 */
export function campaignWindow(c: Pick<Campaign, "startsAt" | "endsAt">): string | null {
  if (c.endsAt === null) return null;
  if (isUtcMidnight(c.startsAt) && isUtcMidnight(c.endsAt)) return `${campaignDays(c)} (UTC)`;
  return `${formatInstant(c.startsAt)} – ${formatInstant(c.endsAt)}`;
}

/**
 * What a campaign's card and page say under its name: its description, or for the board of a forum
 * signature campaign (which has none of its own: the forum campaign has the rules) what earns points.
 */
export function campaignBlurb(c: Pick<Campaign, "description" | "managedBy">): string | null {
  if (c.description) return c.description;
  return c.managedBy === "forum"
    ? "A forum signature campaign: posts that keep the campaign signature until they mature earn points."
    : null;
}
