// Campaign timing shared by the campaign list and page. endsAt null: open-ended (live once started).
import type { Campaign } from "./types";

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
