import { describe, expect, it } from "vitest";
import { parseInstant, parseRange, parseRangeEnd } from "./instants.ts";

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
    // The other zone forms the schemas' "date-time" format lets through mean the same instant.
    expect(parseInstant("2026-01-05T12:30:15+0200", "from").toISOString()).toBe("2026-01-05T10:30:15.000Z");
    expect(parseInstant("2026-01-05T12:30:15-02", "from").toISOString()).toBe("2026-01-05T14:30:15.000Z");
    expect(parseInstant("2026-01-05t12:30:15z", "from").toISOString()).toBe("2026-01-05T12:30:15.000Z");
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
      "2026-01-05T12:00:00+0160",
      "2026-01-05T12:00:00+1",
      "2026-01-05T23:59:60Z",
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

describe("ranges given by users", () => {
  it("keeps either side optional, includes a plain end date's day, and refuses an empty range naming to", () => {
    expect(parseRange(undefined, undefined)).toEqual({ from: undefined, to: undefined });
    expect(parseRange("2026-03-01", undefined).from?.toISOString()).toBe("2026-03-01T00:00:00.000Z");
    expect(parseRange("2026-03-01", "2026-03-01").to?.toISOString()).toBe("2026-03-02T00:00:00.000Z");
    for (const [from, to] of [
      ["2026-03-10", "2026-03-01"],
      ["2026-03-10T00:00:00Z", "2026-03-10T00:00:00Z"],
    ]) {
      try {
        parseRange(from, to);
        expect.unreachable(`${from}..${to} accepted`);
      } catch (e) {
        expect(e).toMatchObject({ code: "INVALID_RANGE", status: 422, details: { field: "to" } });
      }
    }
  });
});
