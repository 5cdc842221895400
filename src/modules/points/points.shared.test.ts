import { describe, expect, it } from "vitest";
import { isUuid } from "../../core/ids.ts";
import { iso, parseInstant, parseRangeEnd } from "./points.shared.ts";

const code = (f: () => unknown) => {
  try {
    f();
    return "accepted";
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe("dates given by users", () => {
  it("reads plain UTC dates and RFC 3339 date-times with a zone", () => {
    expect(parseInstant("2026-01-05", "from").toISOString()).toBe("2026-01-05T00:00:00.000Z");
    expect(parseInstant("2026-01-05T12:30:00Z", "from").toISOString()).toBe("2026-01-05T12:30:00.000Z");
    expect(parseInstant("2026-01-05T12:30:15.250+02:00", "from").toISOString()).toBe(
      "2026-01-05T10:30:15.250Z",
    );
    expect(parseInstant("2026-01-05T01:00-03:30", "from").toISOString()).toBe("2026-01-05T04:30:00.000Z");
    expect(parseInstant("0099-03-01", "from").getUTCFullYear()).toBe(99);
    expect(parseRangeEnd("2026-01-05", "to").toISOString()).toBe("2026-01-06T00:00:00.000Z");
    expect(parseRangeEnd("2026-01-05T12:00:00Z", "to").toISOString()).toBe("2026-01-05T12:00:00.000Z");
    // The last day there is ends at the last millisecond PostgreSQL is sent, not in year 10000.
    expect(parseRangeEnd("9999-12-31", "to").toISOString()).toBe("9999-12-31T23:59:59.999Z");
    expect(parseInstant("0001-01-01", "from").toISOString()).toBe("0001-01-01T00:00:00.000Z");
  });

  it("refuses impossible days, times without a zone, short or extended years and other text", () => {
    for (const bad of [
      "2026-02-30",
      "2026-13-01",
      "2026-01-05T24:00:00Z",
      "2026-01-05T12:00:00",
      "2026-01-05T12:00:00+25:00",
      "1",
      "2026",
      "+200000-01-01T00:00:00Z",
      "-200000-01-01T00:00:00Z",
      "next tuesday",
      "",
      // Years 1 to 9999 as written, but outside them in UTC (PostgreSQL cannot read those as sent).
      "0000-01-01",
      "0001-01-01T00:30:00+01:00",
      "9999-12-31T23:30:00-01:00",
    ]) {
      expect([bad, code(() => parseInstant(bad, "from"))]).toEqual([bad, "INVALID_DATE"]);
    }
  });
});

describe("ids", () => {
  it("tells canonical UUIDs from names of the same length", () => {
    expect(isUuid("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")).toBe(true);
    expect(isUuid("-".repeat(36))).toBe(false);
    expect(isUuid("a".repeat(36))).toBe(false);
  });
});

describe("timestamps read from PostgreSQL's text", () => {
  it("keeps years 1-99 and applies zones of hours, minutes and seconds", () => {
    expect(iso("0001-01-01 00:00:00+00")).toBe("0001-01-01T00:00:00.000Z");
    expect(iso("0049-12-31 23:59:59.999+00")).toBe("0049-12-31T23:59:59.999Z");
    expect(iso("0099-06-01 00:00:00+00")).toBe("0099-06-01T00:00:00.000Z");
    expect(iso("2026-01-05 12:00:00.123456+00")).toBe("2026-01-05T12:00:00.123Z");
    expect(iso("2026-01-05 12:00:00+05:30")).toBe("2026-01-05T06:30:00.000Z");
    expect(iso("2026-01-05 12:00:00-03")).toBe("2026-01-05T15:00:00.000Z");
    // Local mean time of old dates in a session zone such as Europe/Paris.
    expect(iso("0001-01-01 00:09:21+00:09:21")).toBe("0001-01-01T00:00:00.000Z");
    expect(iso("9999-12-31 23:59:59.999+00")).toBe("9999-12-31T23:59:59.999Z");
    expect(iso(new Date("0001-01-01T00:00:00Z"))).toBe("0001-01-01T00:00:00.000Z");
    expect(iso(null)).toBeNull();
  });
});
