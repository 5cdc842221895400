// What the points pages print for dates and times: always UTC, whatever the machine's time zone.
import { describe, expect, it } from "vitest";
import {
  formatCompact,
  formatDate,
  formatDateTime,
  formatDayRange,
  formatInstant,
  formatRelative,
  formatShortDay,
  formatTimeUtc,
  periodSpan,
  snapshotPeriodLabel,
} from "../../web/src/lib/points/format.ts";

// 23:30 UTC is already the next day east of UTC and 00:30 the day before west of it.
const lateNight = "2026-03-04T23:30:05Z";
const midnight = "2026-12-01T00:00:00Z";

describe("points date formatting", () => {
  it("prints days and date-times in UTC on a 24-hour clock", () => {
    expect(formatDate(lateNight)).toBe("Mar 4, 2026");
    expect(formatDateTime(lateNight)).toBe("Mar 4, 2026, 23:30 UTC");
    expect(formatInstant(midnight)).toBe("Dec 1, 2026, 00:00 UTC");
    expect(formatTimeUtc(new Date(lateNight))).toBe("23:30:05 UTC");
    expect(formatTimeUtc(new Date(midnight))).toBe("00:00:00 UTC");
    expect([formatDate(null), formatDateTime(""), formatDate("not a date")]).toEqual([
      "–",
      "–",
      "not a date",
    ]);
  });

  it("names day ranges, board periods and frozen snapshot periods", () => {
    const day = (d: string) => new Date(`${d}T00:00:00Z`);
    expect(formatDayRange(day("2026-11-01"), day("2026-11-30"))).toBe("Nov 1 – Nov 30, 2026");
    expect(formatDayRange(day("2025-12-01"), day("2026-01-31"))).toBe("Dec 1, 2025 – Jan 31, 2026");
    expect(formatDayRange(day("2026-11-01"), day("2026-11-01"))).toBe("Nov 1, 2026");
    expect(periodSpan("w:2026-11-30")).toBe("Mon, Nov 30 – now (UTC)");
    expect(periodSpan("m:2026-11")).toBe("Nov 1 – now (UTC)");
    expect(periodSpan("all")).toBeNull();
    expect(snapshotPeriodLabel({ period: "week", bucket: "w:2026-01-26" })).toBe("Week of Jan 26, 2026");
    expect(snapshotPeriodLabel({ period: "month", bucket: "m:2026-01" })).toBe("January 2026");
    expect(snapshotPeriodLabel({ period: "all", bucket: "all" })).toBe("All time");
  });

  it("labels chart days in UTC", () => {
    expect(formatShortDay(new Date(lateNight))).toBe("Mar 4");
    expect(formatShortDay(new Date(midnight))).toBe("Dec 1");
    expect(formatShortDay(new Date("2026-03-04"))).toBe("Mar 4");
  });
});

describe("relative times and compact numbers", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  it("picks the largest whole unit, in the past and the future", () => {
    expect(formatRelative("2026-11-30T11:57:00Z", now)).toBe("3 minutes ago");
    expect(formatRelative("2026-12-02T12:00:00Z", now)).toBe("in 2 days");
    expect(formatRelative("2026-11-29T12:00:00Z", now)).toBe("yesterday");
    expect(formatRelative("2026-11-30T11:59:30Z", now)).toBe("30 seconds ago");
    expect(formatRelative("2026-11-30T12:00:00Z", now)).toBe("now");
  });
  it("counts days up to two months, so a month-end campaign does not read as ending 'next month'", () => {
    expect(formatRelative("2027-01-01T00:00:00Z", now)).toBe("in 31 days");
    expect(formatRelative("2026-12-07T12:00:00Z", now)).toBe("in 7 days");
    expect(formatRelative("2026-10-02T12:00:00Z", now)).toBe("59 days ago");
    expect(formatRelative("2026-10-01T12:00:00Z", now)).toBe("2 months ago");
    expect(formatRelative("2027-03-01T12:00:00Z", now)).toBe("in 3 months");
    expect(formatRelative("2026-12-01T13:00:00Z", now)).toBe("tomorrow");
    expect(formatRelative("2029-06-01T00:00:00Z", now)).toBe("in 2 years");
    expect(formatRelative("2028-06-01T00:00:00Z", now)).toBe("in 18 months");
  });
  it("shortens axis values", () => {
    expect(formatCompact(1200)).toBe("1.2K");
    expect(formatCompact(950)).toBe("950");
    expect(formatCompact(2_500_000)).toBe("2.5M");
  });
});
