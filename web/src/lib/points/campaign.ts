// Campaign timing shared by the campaign list and page.
import type { Campaign } from "./types";

export type CampaignStatus = "upcoming" | "active" | "ended";

/** Where now falls in the campaign's window. */
export function campaignStatus(c: Pick<Campaign, "startsAt" | "endsAt">, now: number): CampaignStatus {
  if (now < Date.parse(c.startsAt)) return "upcoming";
  return now < Date.parse(c.endsAt) ? "active" : "ended";
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

/** Share of the window elapsed, 0..1 (for progress bars). */
export function campaignProgress(c: Pick<Campaign, "startsAt" | "endsAt">, now: number): number {
  const start = Date.parse(c.startsAt);
  const end = Date.parse(c.endsAt);
  return Math.min(1, Math.max(0, (now - start) / Math.max(1, end - start)));
}
