// The campaign page's window line: one phrase, never two different ends for one campaign.
import { describe, expect, it } from "vitest";
import { campaignDays, campaignWindow, lastDay } from "../../web/src/lib/points/campaign.ts";

describe("campaignWindow", () => {
  it("names whole UTC days for a midnight-to-midnight window, the exclusive end's day before as the last", () => {
    const c = { startsAt: "2026-11-11T00:00:00.000Z", endsAt: "2026-12-11T00:00:00.000Z" };
    expect(lastDay(c.endsAt).toISOString()).toBe("2026-12-10T00:00:00.000Z");
    expect(campaignWindow(c)).toBe("Nov 11 – Dec 10, 2026 (UTC)");
    expect(campaignWindow(c)).not.toContain("Dec 11");
  });

  it("gives the exact instants when either end falls inside a day", () => {
    const c = { startsAt: "2026-12-01T03:53:00.000Z", endsAt: "2026-12-31T03:53:00.000Z" };
    expect(campaignWindow(c)).toBe("Dec 1, 2026, 03:53 UTC – Dec 31, 2026, 03:53 UTC");
    expect(campaignWindow({ ...c, startsAt: "2026-12-01T00:00:00.000Z" })).toBe(
      "Dec 1, 2026, 00:00 UTC – Dec 31, 2026, 03:53 UTC",
    );
  });

  it("has no window line for an open-ended campaign", () => {
    const c = { startsAt: "2026-12-01T00:00:00.000Z", endsAt: null };
    expect(campaignWindow(c)).toBeNull();
    expect(campaignDays(c)).toBe("From Dec 1, 2026");
  });
});
