import { describe, expect, it } from "vitest";
import { isUuid } from "../../core/ids.ts";
import { iso } from "./points.shared.ts";

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
